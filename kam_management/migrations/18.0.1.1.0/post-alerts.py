# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The classification alerts reveal how much the company depends on a
customer. Up to 18.0.1.0.x they were logged in the chatter of the partner and
written in the note of the alert activity, both readable by every employee.
From 18.0.1.1.0 on they are logged on the classification run (KAM users
only) and the activity names the run without figures (docs/key_accounts.md,
*Alerts*). This moves the messages the runs logged on partners to their run
(prefixed with the partner's name) and removes the figures from the notes of
the alert activities, open or done.
"""

import logging

_logger = logging.getLogger(__name__)

NEUTRAL_NOTE = (
    "<p>A classification run changed the class or the dependence level of "
    "this account: see the classification runs (Key Accounts &gt; Accounts "
    "&gt; Classification Runs) or the classification history of the "
    "account.</p>"
)


def migrate(cr, version):
    if not version:  # a fresh install has nothing to migrate
        return
    # a message a run logged on a partner: a note whose body starts with the
    # run's name, created in the run's transaction (the closest run wins)
    cr.execute(
        """
        WITH logged AS (
            SELECT DISTINCT ON (m.id) m.id, r.id AS run_id, r.name AS run_name,
                   p.name AS partner_name
              FROM mail_message m
              JOIN res_partner p ON p.id = m.res_id
              JOIN kam_classification_run r
                ON m.create_date BETWEEN r.create_date - interval '1 hour'
                                     AND r.create_date + interval '1 hour'
               AND (m.body LIKE r.name || ': %%'
                    OR m.body LIKE '<p>' || r.name || ': %%')
             WHERE m.model = 'res.partner'
               AND m.message_type = 'notification'
             ORDER BY m.id, abs(extract(epoch FROM m.create_date - r.create_date))
        )
        UPDATE mail_message m
           SET model = 'kam.classification.run',
               res_id = logged.run_id,
               record_name = logged.run_name,
               body = '<p>' || replace(replace(replace(logged.partner_name,
                      '&', '&amp;'), '<', '&lt;'), '>', '&gt;') || ':</p>' || m.body
          FROM logged
         WHERE m.id = logged.id
        """
    )
    moved = cr.rowcount
    cr.execute(
        """
        SELECT res_id FROM ir_model_data
         WHERE module = 'kam_management'
           AND name = 'mail_activity_type_kam_alert'
        """
    )
    row = cr.fetchone()
    notes = 0
    if row:
        cr.execute(
            """
            UPDATE mail_activity SET note = %s
             WHERE res_model = 'res.partner' AND activity_type_id = %s
            """,
            (NEUTRAL_NOTE, row[0]),
        )
        notes = cr.rowcount
        # done alerts: the message Odoo logged keeps the note
        cr.execute(
            """
            UPDATE mail_message SET body = %s
             WHERE model = 'res.partner' AND mail_activity_type_id = %s
            """,
            (NEUTRAL_NOTE, row[0]),
        )
        notes += cr.rowcount
    _logger.info(
        "kam_management %s -> 18.0.1.1.0: %s classification messages moved from "
        "partners to their run, %s alert notes without figures",
        version,
        moved,
        notes,
    )
