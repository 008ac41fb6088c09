# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Runs before the 18.0.1.2.0 models are loaded, on the old schema.

From 18.0.1.2.0 on, a classification policy has at most one run per day
(``UNIQUE(policy_id, date)`` on ``kam_classification_run``). Earlier releases
created a new run at every click on *Run classification*: of several runs of
one policy on one day, the one marked last, else the latest (highest id), is
kept, as a re-run now replaces the run of the day. The chatter of the others
(their alerts) moves to the kept run; their followers go; their lines go with
them (ON DELETE CASCADE). Without this, Odoo could not add the constraint.
"""

import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:  # a fresh install has nothing to migrate
        return
    cr.execute(
        """
        SELECT run.id, kept.id
          FROM kam_classification_run run
          JOIN LATERAL (
                SELECT other.id
                  FROM kam_classification_run other
                 WHERE other.policy_id = run.policy_id AND other.date = run.date
              ORDER BY COALESCE(other.is_last, FALSE) DESC, other.id DESC
                 LIMIT 1
               ) kept ON kept.id <> run.id
        """
    )
    pairs = cr.fetchall()
    if not pairs:
        return
    doomed = [run_id for run_id, __ in pairs]
    cr.execute(
        """
        UPDATE mail_message message
           SET res_id = v.kept_id
          FROM unnest(%s::int[], %s::int[]) AS v(id, kept_id)
         WHERE message.model = 'kam.classification.run' AND message.res_id = v.id
        """,
        (doomed, [kept for __, kept in pairs]),
    )
    cr.execute(
        "DELETE FROM mail_followers "
        "WHERE res_model = 'kam.classification.run' AND res_id = ANY(%s)",
        (doomed,),
    )
    cr.execute("DELETE FROM kam_classification_run WHERE id = ANY(%s)", (doomed,))
    _logger.info(
        "kam_management %s -> 18.0.1.2.0: %s classification runs removed: "
        "another run of the same policy and day is kept (one run per day)",
        version,
        len(doomed),
    )
