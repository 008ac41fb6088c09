# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Runs after the 18.0.1.2.0 models are loaded.

The last run of each policy is compared with the run before it (changes,
``previous_run_id``), so that its form shows the changes from the first day;
the names of all runs are computed again (policy, scope and date); older
runs keep no comparison (computing it for every stored run would cost
one join of two runs' lines per run). The next run of each policy compares
itself as usual, and the daily cron applies the retention of the policies.
"""

import logging

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:  # a fresh install has nothing to migrate
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    run_model = env["kam.classification.run"]
    runs = run_model.with_context(active_test=False).search([])
    env.add_to_compute(run_model._fields["name"], runs)
    runs.flush_recordset(["name"])
    last_runs = run_model.search([("is_last", "=", True)])
    for run in last_runs:
        run._kam_record_changes(
            run_model.search(
                [("policy_id", "=", run.policy_id.id), ("date", "<", run.date)],
                order="date desc, id desc",
                limit=1,
            )
        )
    logging.getLogger(__name__).info(
        "kam_management %s -> 18.0.1.2.0: changes of %s last classification "
        "runs recorded",
        version,
        len(last_runs),
    )
