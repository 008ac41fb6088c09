# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Runs before the 18.0.1.1.0 models and data are loaded, on the old schema.

The record rules of the addon are part of its access contract: from 18.0.1.1.0
on, their files load with ``noupdate="0"``, so that an upgrade brings the
rules of the new release (the previous releases loaded them with
``noupdate="1"``, and ``-u`` kept the old rules). Odoo skips a record whose
``ir.model.data`` row is flagged ``noupdate`` whatever the file says: the flag
of the addon's rules is cleared here. Rules an administrator added under
other names are left alone; changes made to the addon's own rules are
replaced by the release's (README, "Upgrades").
"""

import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:  # a fresh install has nothing to migrate
        return
    cr.execute(
        """
        UPDATE ir_model_data
           SET noupdate = FALSE
         WHERE module = 'kam_management'
           AND model = 'ir.rule'
           AND noupdate
        """
    )
    _logger.info(
        "kam_management %s -> 18.0.1.1.0: %s record rules follow the release again",
        version,
        cr.rowcount,
    )
