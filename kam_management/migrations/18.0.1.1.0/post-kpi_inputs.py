# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Runs after the 18.0.1.1.0 models are loaded.

KPI inputs (docs/kpi.md, "Trusted inputs"):

- only messages flagged ``kam_activity_done`` count as done activities; the
  messages Odoo logged for done activities before the flag existed (an
  activity type and the subtype "Activities") are flagged once here;
- a won tender counts once its outcome is confirmed: the tenders closed
  before 18.0.1.1.0 are taken as confirmed;
- a generic rule runs with the rights of its author: the rules saved before
  18.0.1.1.0 get their last writer as author (re-check them: docs/kpi.md).
"""

import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:  # a fresh install has nothing to migrate
        return
    cr.execute(
        """
        UPDATE mail_message m
           SET kam_activity_done = TRUE
          FROM ir_model_data d
         WHERE d.module = 'mail' AND d.name = 'mt_activities'
           AND m.subtype_id = d.res_id
           AND m.mail_activity_type_id IS NOT NULL
           AND m.message_type = 'notification'
           AND NOT COALESCE(m.kam_activity_done, FALSE)
        """
    )
    _logger.info("kam_management: %s done-activity messages flagged", cr.rowcount)
    cr.execute(
        """
        UPDATE kam_tender
           SET outcome_confirmed = TRUE
         WHERE outcome IN ('won', 'lost', 'cancelled')
           AND NOT COALESCE(outcome_confirmed, FALSE)
        """
    )
    _logger.info("kam_management: %s closed tenders confirmed", cr.rowcount)
    cr.execute(
        """
        UPDATE kam_kpi_rule
           SET generic_author_id = write_uid
         WHERE measure = 'generic' AND generic_author_id IS NULL
        """
    )
