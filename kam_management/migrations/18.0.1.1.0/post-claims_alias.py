# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Runs after the 18.0.1.1.0 models and data are loaded.

The claims alias is loaded with ``noupdate="1"`` (an administrator may rename
it), so the upgrade does not change it: the previous releases accepted mail
from everyone. From 18.0.1.1.0 on, new claims come from known contacts of
customers only (docs/service.md): the alias of an existing database is set to
"Authenticated Partners" here, unless it is stricter already ("Followers").
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:  # a fresh install has nothing to migrate
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    alias = env.ref("kam_management.mail_alias_kam_claim", raise_if_not_found=False)
    if not alias:
        _logger.info("kam_management post-migration claims alias: no alias to update")
        return
    if alias.alias_contact == "everyone":
        alias.alias_contact = "partners"
    _logger.info(
        "kam_management post-migration claims alias: %s accepts %s",
        alias.display_name,
        alias.alias_contact,
    )
