# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the scheduled actions of the addon share: each record of a batch in
its own savepoint, a failure logged (warning) and kept for the managers, the
rows of a batch locked with ``SKIP LOCKED`` so that two workers or a manual
run never process the same record twice (see docs/crons.md)."""

import logging
from datetime import datetime, time, timedelta

import psycopg2

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class KamCronFailure(models.Model):
    """A record a scheduled action of the addon could not process: the others
    went on; this one is tried again on the next day's run (or by hand)."""

    _name = "kam.cron.failure"
    _description = "Key Account Scheduled Action Failure"
    _order = "date desc, id desc"
    _rec_name = "record_name"

    date = fields.Datetime(
        required=True, default=fields.Datetime.now, readonly=True, index=True
    )
    cron_key = fields.Char(
        string="Scheduled Action",
        required=True,
        readonly=True,
        index=True,
        help="The job and the step that failed.",
    )
    res_model = fields.Char(string="Model", required=True, readonly=True, index=True)
    res_id = fields.Integer(string="Record ID", required=True, readonly=True)
    record_name = fields.Char(string="Record", readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    error = fields.Text(readonly=True)

    # --- helpers of the crons ---------------------------------------------

    @api.model
    def _kam_day_start(self):
        """Start of today (UTC, naive) for 'failed today'."""
        return datetime.combine(fields.Date.today(), time.min)

    @api.model
    def _kam_failed_today(self, cron_key, res_model, company=None):
        """Ids of the records of ``res_model`` that ``cron_key`` failed on
        today (in ``company`` when given): left for the next day, so that a
        record that always fails does not make the job loop."""
        domain = [
            ("cron_key", "=", cron_key),
            ("res_model", "=", res_model),
            ("date", ">=", self._kam_day_start()),
        ]
        if company is not None:
            domain.append(("company_id", "=", company.id))
        return set(self.sudo().search(domain).mapped("res_id"))

    @api.model
    def _kam_lock_rows(self, records):
        """Lock the rows of ``records`` (``FOR UPDATE SKIP LOCKED``) and
        return those locked: a row held by another transaction (another
        worker, a manual run) is left to it. A row changed by a transaction
        committed since this one began cannot be locked under repeatable read
        either (it was processed meanwhile): it is left out too."""
        if not records:
            return records
        query = SQL(
            "SELECT id FROM %s WHERE id IN %s FOR UPDATE SKIP LOCKED",
            SQL.identifier(records._table),
            tuple(records.ids),
        )
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(query, log_exceptions=False)
                return records.browse([row[0] for row in self.env.cr.fetchall()])
        except psycopg2.errors.SerializationFailure:
            _logger.info(
                "%s: a row changed since this run began, locking one by one",
                records._name,
            )
        # one of them changed meanwhile: lock them one by one
        locked = []
        for record in records:
            try:
                with self.env.cr.savepoint(flush=False):
                    self.env.cr.execute(
                        SQL(
                            "SELECT id FROM %s WHERE id = %s FOR UPDATE SKIP LOCKED",
                            SQL.identifier(records._table),
                            record.id,
                        ),
                        log_exceptions=False,
                    )
                    locked += [row[0] for row in self.env.cr.fetchall()]
            except psycopg2.errors.SerializationFailure:
                continue
        return records.browse(locked)

    @api.model
    def _kam_run_isolated(self, cron_key, records, func, company=None):
        """``func(record)`` for each record, each in its own savepoint: a
        failure is rolled back alone, logged as a warning and recorded
        (``kam.cron.failure``), the others go on. Returns the records done
        and the failures recorded."""
        done = records.browse()
        failures = self.browse()
        for record in records:
            try:
                with self.env.cr.savepoint():
                    func(record)
            except Exception as exc:  # noqa: BLE001 - isolate any failure
                failures |= self._kam_record_failure(
                    cron_key, record, exc, company=company
                )
            else:
                done |= record
        return done, failures

    @api.model
    def _kam_record_failure(self, cron_key, record, exc, company=None):
        """Log and keep the failure of ``record``; it belongs to ``company``
        (default: the record's company, if any), so that the managers of
        another company do not read it."""
        if company is None:
            field = record._fields.get("company_id")
            if field is not None and field.comodel_name == "res.company":
                company = record.sudo().company_id
            elif record._name == "res.company":
                company = record
        _logger.warning(
            "Scheduled action %s failed on %s(%s): %s",
            cron_key,
            record._name,
            record.id,
            exc,
            exc_info=True,
        )
        return self.sudo().create(
            {
                "cron_key": cron_key,
                "res_model": record._name,
                "res_id": record.id,
                "record_name": record.sudo().display_name,
                "company_id": company.id if company else False,
                "error": f"{type(exc).__name__}: {exc}",
            }
        )

    @api.model
    def _kam_progress(self, cron_xmlid, done, remaining):
        """Report the progress of a call to the scheduler. A job run by hand
        ("Run Manually" runs one call): when records remain, the scheduler is
        asked to go on with them now."""
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        if remaining and done and not self.env.context.get("cron_id"):
            cron = self.env.ref(cron_xmlid, raise_if_not_found=False)
            if cron:
                cron.sudo()._trigger()

    @api.model
    def _kam_retry_later(self, minutes=1):
        """Nothing could be done in this call (rows held by another run):
        run the job again in a minute rather than tomorrow."""
        cron_id = self.env.context.get("cron_id")
        if cron_id:
            self.env["ir.cron"].sudo().browse(cron_id)._trigger(
                fields.Datetime.now() + timedelta(minutes=minutes)
            )

    @api.autovacuum
    def _gc_kam_cron_failures(self):
        """Failures older than 90 days are forgotten."""
        self.sudo().search(
            [("date", "<", fields.Datetime.now() - timedelta(days=90))]
        ).unlink()
