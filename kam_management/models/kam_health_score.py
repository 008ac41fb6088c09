# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import datetime, time, timedelta

import pytz
from markupsafe import escape

from odoo import api, fields, models
from odoo.tools import SQL, format_date

_logger = logging.getLogger(__name__)

PAYMENT_DELAY_DAYS = 365
# key accounts scored per call of the daily cron before it reports progress
CRON_BATCH_SIZE = 200
CRON_KEY = "health"


class KamHealthScore(models.Model):
    """Health of a key account on a day: a score from 0 to 100, the weighted
    mean of one score per factor, each computed from a measure (see
    ``kam.health.factor`` and docs/account_plans.md)."""

    _name = "kam.health.score"
    _description = "Key Account Health Score"
    _order = "date desc, partner_id"
    _rec_name = "partner_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Key Account",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    kam_user_id = fields.Many2one(
        related="partner_id.kam_user_id", string="Key Account Manager"
    )
    date = fields.Date(required=True, index=True)
    score = fields.Float(digits=(16, 1), aggregator="avg")
    colour = fields.Selection(
        selection=[("red", "Red"), ("amber", "Amber"), ("green", "Green")],
        required=True,
    )
    # measures
    overdue_amount = fields.Monetary(
        currency_field="currency_id",
        help="Open receivables past their due date.",
    )
    overdue_days = fields.Float(
        digits=(16, 1),
        aggregator="avg",
        help="Days past due of the open overdue receivables, weighted by "
        "their open amount.",
    )
    payment_delay_days = fields.Float(
        string="Average Payment Delay (days)",
        digits=(16, 1),
        aggregator="avg",
        help="Mean over the invoices paid in the last 365 days of the days "
        "between due date and full payment (paid early or on time: 0).",
    )
    contact_date = fields.Date(string="Last Contact")
    contact_days = fields.Integer(
        string="Days Since Contact",
        aggregator="avg",
        help="Days since the last contact with the account: a done activity, a "
        "message or e-mail logged on the account or its contacts, a message "
        "sent to or by one of its contacts, a past meeting with one of them. "
        "Empty without any contact (the factor then scores 0).",
    )
    objectives_on_track = fields.Float(
        string="Objectives on Track (%)",
        digits=(16, 1),
        aggregator="avg",
        help="Share of the objectives of the year's plan (not cancelled) that "
        "are done, or on track and not past their due date.",
    )
    dossier_coverage = fields.Float(
        string="Dossier Coverage (%)", digits=(16, 1), aggregator="avg"
    )
    claims_count = fields.Float(
        string="Open Claims",
        aggregator="avg",
        help="Claims of the account not in a closing stage, each counted once "
        "(the measure of the claims factor).",
    )
    claims_overdue_count = fields.Float(
        string="Of Which Overdue",
        aggregator="avg",
        help="Open claims whose response was due before the day scored; "
        "shown for information, already counted in the open claims.",
    )
    # factor scores
    overdue_score = fields.Float(digits=(16, 1), aggregator="avg")
    payment_delay_score = fields.Float(digits=(16, 1), aggregator="avg")
    contact_score = fields.Float(digits=(16, 1), aggregator="avg")
    objectives_score = fields.Float(digits=(16, 1), aggregator="avg")
    dossier_score = fields.Float(digits=(16, 1), aggregator="avg")
    claims_score = fields.Float(digits=(16, 1), aggregator="avg")
    # weights of the factors when the score was computed (a later change of
    # the weights does not rewrite the history)
    overdue_weight = fields.Float(aggregator="avg")
    payment_delay_weight = fields.Float(aggregator="avg")
    contact_weight = fields.Float(aggregator="avg")
    objectives_weight = fields.Float(aggregator="avg")
    dossier_weight = fields.Float(aggregator="avg")
    claims_weight = fields.Float(aggregator="avg")

    _sql_constraints = [
        (
            "partner_date_unique",
            "UNIQUE(partner_id, company_id, date)",
            "A key account has one health score per company and day.",
        ),
        (
            "score_range",
            "CHECK(score >= 0 AND score <= 100)",
            "A health score lies between 0 and 100.",
        ),
    ]

    # --- computation -----------------------------------------------------

    @api.model
    def _kam_key_accounts(self, company):
        """Key accounts (commercial partners) scored in ``company``: those of
        the company, and shared ones with receivables in it."""
        partners = (
            self.env["res.partner"]
            .sudo()
            .search(
                [
                    ("kam_is_key_account", "=", True),
                    ("company_id", "in", (False, company.id)),
                    "|",
                    ("is_company", "=", True),
                    ("parent_id", "=", False),
                ]
            )
        )
        shared = partners.filtered(lambda p: not p.company_id)
        if not shared:
            return partners
        trading = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "in", shared.ids),
                    ("parent_state", "=", "posted"),
                ],
                ["partner_id"],
            )
        )
        trading_ids = {partner.id for (partner,) in trading}
        return partners.filtered(lambda p: p.company_id or p.id in trading_ids)

    @api.model
    def _kam_compute(self, partners, day=None):
        """Create today's (or ``day``'s) health scores of ``partners`` in the
        current company, replacing those of the same day. The number of
        queries does not depend on the number of partners."""
        day = day or fields.Date.context_today(self)
        company = self.env.company
        partners = partners.commercial_partner_id
        if not partners:
            return self.browse()
        # the rows of the accounts: a manual run and the cron wait for each
        # other; the one that waited then fails to serialize (repeatable
        # read) and is retried by Odoo instead of hitting the unique key
        self.env.cr.execute(
            SQL(
                "SELECT id FROM res_partner WHERE id IN %s ORDER BY id FOR UPDATE",
                tuple(partners.ids),
            ),
            log_exceptions=False,
        )
        factors = self.env["kam.health.factor"]._kam_factors(company)
        ids = tuple(partners.ids)
        overdue = self._kam_overdue(ids, company, day)
        delays = self._kam_payment_delays(ids, company, day)
        contacts = self._kam_last_contacts(ids, day)
        objectives = self._kam_objectives_on_track(partners, company, day)
        coverage = partners._kam_health_dossier_coverage()
        claims = partners._kam_health_claims(partners.ids, day=day, company=company)
        red_below = company.kam_health_red_below
        green_from = company.kam_health_green_from

        vals_list = []
        for partner in partners:
            amount, overdue_days = overdue.get(partner.id, (0.0, 0.0))
            contact_date = contacts.get(partner.id)
            open_claims, overdue_claims = claims.get(partner.id, (0, 0))
            vals = {
                "partner_id": partner.id,
                "company_id": company.id,
                "date": day,
                "overdue_amount": amount,
                "overdue_days": overdue_days,
                "payment_delay_days": delays.get(partner.id, 0.0),
                "contact_date": contact_date,
                "contact_days": (
                    max(0, (day - contact_date).days) if contact_date else False
                ),
                "objectives_on_track": objectives.get(partner.id, 0.0),
                "dossier_coverage": coverage.get(partner.id, 0.0),
                "claims_count": open_claims,
                "claims_overdue_count": overdue_claims,
            }
            measures = {
                "overdue": vals["overdue_days"],
                "payment_delay": vals["payment_delay_days"],
                # never contacted: the worst value (score 0)
                "contact": vals["contact_days"] if contact_date else None,
                "objectives": vals["objectives_on_track"],
                "dossier": vals["dossier_coverage"],
                "claims": vals["claims_count"],
            }
            total = weights = 0.0
            for code, measure in measures.items():
                factor = factors.get(code)
                factor_score = (
                    factor._score(measure) if factor and measure is not None else 0.0
                )
                vals[f"{code}_score"] = factor_score
                vals[f"{code}_weight"] = factor.weight if factor else 0.0
                if factor and factor.weight > 0:
                    total += factor.weight * factor_score
                    weights += factor.weight
            score = round(total / weights, 1) if weights else 0.0
            vals["score"] = score
            vals["colour"] = (
                "red"
                if score < red_below
                else ("amber" if score < green_from else "green")
            )
            vals_list.append(vals)

        was_red = self._kam_was_red(partners.ids, company, day)
        self.sudo().search(
            [
                ("partner_id", "in", partners.ids),
                ("company_id", "=", company.id),
                ("date", "=", day),
            ]
        ).unlink()
        scores = self.sudo().create(vals_list)
        self._kam_store_latest(partners.ids)
        scores._kam_alert_turned_red(was_red)
        return scores

    @api.model
    def _kam_was_red(self, partner_ids, company, day):
        """Ids of the partners whose health in ``company`` was already red
        before the scores of ``day``: the last score before ``day`` was red,
        or a score of ``day`` itself (about to be replaced) was red, so that
        scoring the same day again does not alert twice. One query."""
        self.flush_model(["partner_id", "company_id", "date", "colour"])
        rows = self.env.execute_query(
            SQL(
                """
            SELECT partner_id FROM (
                SELECT DISTINCT ON (partner_id) partner_id, colour
                  FROM kam_health_score
                 WHERE partner_id = ANY(%(ids)s) AND company_id = %(company)s
                   AND date < %(day)s
              ORDER BY partner_id, date DESC, id DESC
            ) previous
             WHERE colour = 'red'
            UNION
            SELECT partner_id
              FROM kam_health_score
             WHERE partner_id = ANY(%(ids)s) AND company_id = %(company)s
               AND date = %(day)s AND colour = 'red'
                """,
                ids=list(partner_ids),
                company=company.id,
                day=day,
            )
        )
        return {row[0] for row in rows}

    def _kam_alert_turned_red(self, was_red):
        """One activity for the account's responsible user (the KAM, or the
        deputy while the KAM is absent) for each red score of ``self`` whose
        partner was not red before (``was_red``: partner ids). The activity
        names the day only: activities on a partner are read by every
        employee, the figures stay on the score."""
        turned = self.filtered(
            lambda score: score.colour == "red" and score.partner_id.id not in was_red
        )
        if not turned:
            return
        activity_type = self.env.ref(
            "kam_management.mail_activity_type_kam_alert", raise_if_not_found=False
        )
        model_id = self.env["ir.model"]._get_id("res.partner")
        activity_vals = []
        for score in turned:
            partner = score.partner_id
            user = partner._kam_responsible_user(score.date)
            day = format_date(self.env, score.date)
            activity_vals.append(
                {
                    "res_model_id": model_id,
                    "res_id": partner.id,
                    "activity_type_id": activity_type.id if activity_type else False,
                    "summary": self.env._("Health turned red (%(date)s)", date=day),
                    "note": escape(
                        self.env._(
                            "The health of this key account turned red on "
                            "%(date)s: see the health score of the account "
                            "(Key Accounts > Accounts > Health Scores).",
                            date=day,
                        )
                    ),
                    "user_id": user.id or self.env.uid,
                    "date_deadline": score.date,
                }
            )
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True
        ).create(activity_vals)

    def unlink(self):
        partner_ids = self.partner_id.ids
        res = super().unlink()
        self._kam_store_latest(partner_ids)
        return res

    @api.model
    def _kam_store_latest(self, partner_ids):
        """Write the latest score of each company onto the partners' health
        fields (company-dependent: each company reads its own latest score),
        in one statement for all the given partners and companies."""
        if not partner_ids:
            return
        self.flush_model(["partner_id", "company_id", "date", "score", "colour"])
        partner_model = self.env["res.partner"]
        health_fields = [
            "kam_health_last_id",
            "kam_health_score",
            "kam_health_colour",
            "kam_health_date",
        ]
        partner_model.flush_model(health_fields)
        self.env.cr.execute(
            SQL(
                """
            WITH latest AS (
                SELECT DISTINCT ON (partner_id, company_id)
                       partner_id, company_id::text AS company, id, score,
                       colour, date
                  FROM kam_health_score
                 WHERE partner_id = ANY(%(ids)s)
              ORDER BY partner_id, company_id, date DESC, id DESC
            ), by_partner AS (
                SELECT partner.id,
                       jsonb_object_agg(latest.company, latest.id)
                           FILTER (WHERE latest.id IS NOT NULL) AS last_id,
                       jsonb_object_agg(latest.company, latest.score)
                           FILTER (WHERE latest.id IS NOT NULL) AS score,
                       jsonb_object_agg(latest.company, latest.colour)
                           FILTER (WHERE latest.id IS NOT NULL) AS colour,
                       jsonb_object_agg(latest.company, latest.date::text)
                           FILTER (WHERE latest.id IS NOT NULL) AS date
                  FROM res_partner partner
             LEFT JOIN latest ON latest.partner_id = partner.id
                 WHERE partner.id = ANY(%(ids)s)
              GROUP BY partner.id
            )
            UPDATE res_partner partner
               SET kam_health_last_id = by_partner.last_id,
                   kam_health_score = by_partner.score,
                   kam_health_colour = by_partner.colour,
                   kam_health_date = by_partner.date
              FROM by_partner
             WHERE by_partner.id = partner.id
                """,
                ids=list(partner_ids),
            )
        )
        partner_model.invalidate_model(health_fields)

    @api.model
    def _kam_overdue(self, partner_ids, company, day):
        """{partner id: (open overdue amount, amount-weighted days past due)}"""
        self.env["account.move.line"].flush_model()
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT p.commercial_partner_id,
                       SUM(aml.amount_residual),
                       SUM(aml.amount_residual * (%(day)s - aml.date_maturity))
                           / SUM(aml.amount_residual)
                  FROM account_move_line aml
                  JOIN account_account acc ON acc.id = aml.account_id
                  JOIN res_partner p ON p.id = aml.partner_id
                 WHERE acc.account_type = 'asset_receivable'
                   AND aml.parent_state = 'posted'
                   AND aml.company_id = %(company)s
                   AND NOT aml.reconciled
                   AND aml.amount_residual > 0
                   AND aml.date_maturity < %(day)s
                   AND p.commercial_partner_id IN %(partners)s
                 GROUP BY p.commercial_partner_id
                """,
                day=day,
                company=company.id,
                partners=partner_ids,
            )
        )
        return {
            row[0]: (float(row[1]), float(row[2])) for row in self.env.cr.fetchall()
        }

    @api.model
    def _kam_payment_delays(self, partner_ids, company, day):
        """{partner id: mean days between due date and full payment of the
        invoices paid in the 365 days up to ``day``; early counts 0}"""
        self.env["account.partial.reconcile"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT p.commercial_partner_id,
                       AVG(GREATEST(0, paid.paid_on - aml.date_maturity))
                  FROM account_move_line aml
                  JOIN account_account acc ON acc.id = aml.account_id
                  JOIN res_partner p ON p.id = aml.partner_id
                  JOIN LATERAL (
                        SELECT MAX(apr.max_date) AS paid_on
                          FROM account_partial_reconcile apr
                         WHERE apr.debit_move_id = aml.id
                       ) paid ON TRUE
                 WHERE acc.account_type = 'asset_receivable'
                   AND aml.parent_state = 'posted'
                   AND aml.company_id = %(company)s
                   AND aml.reconciled
                   AND aml.balance > 0
                   AND aml.date_maturity IS NOT NULL
                   AND paid.paid_on > %(start)s
                   AND paid.paid_on <= %(day)s
                   AND p.commercial_partner_id IN %(partners)s
                 GROUP BY p.commercial_partner_id
                """,
                day=day,
                start=day - timedelta(days=PAYMENT_DELAY_DAYS),
                company=company.id,
                partners=partner_ids,
            )
        )
        return {row[0]: float(row[1]) for row in self.env.cr.fetchall()}

    @api.model
    def _kam_last_contacts(self, partner_ids, day):
        """{partner id: date of the last real contact with the account up to
        ``day``}, the latest of:

        - a done activity, a message or an e-mail logged on the account or
          one of its contacts (their chatter);
        - a message or e-mail sent by one of them (author), on any document;
        - a message or e-mail sent to one of them (recipient), on any
          document; internal notes excluded;
        - the start of a past, active calendar meeting one of them attends.

        Tracking notifications and the partner's creation are no contact: an
        account without any contact is absent from the result. Days are those
        of the time zone of ``fields.Date.context_today`` (the context's, else
        the user's), the one ``day`` is in: a note logged at 23:30 UTC is of
        the next day in Brussels. One query for all accounts."""
        self.env["mail.message"].flush_model(
            [
                "model",
                "res_id",
                "author_id",
                "message_type",
                "subtype_id",
                "date",
                "partner_ids",
                "kam_activity_done",
            ]
        )
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env["calendar.event"].flush_model(["start", "active", "partner_ids"])
        day_end = self._kam_utc_day_start(day + timedelta(days=1))
        rows = self.env.execute_query(
            SQL(
                """
                WITH contacts AS (
                    SELECT id, commercial_partner_id AS account_id
                      FROM res_partner
                     WHERE commercial_partner_id IN %(partners)s
                )
                SELECT account_id, MAX(contact_at) FROM (
                    SELECT c.account_id, m.date AS contact_at
                      FROM mail_message m
                      JOIN contacts c ON c.id = m.res_id
                     WHERE m.model = 'res.partner'
                       AND (m.message_type IN ('email', 'comment')
                            OR m.kam_activity_done)
                       AND m.date < %(day_end)s
                    UNION ALL
                    SELECT c.account_id, m.date
                      FROM mail_message m
                      JOIN contacts c ON c.id = m.author_id
                     WHERE m.message_type IN ('email', 'comment')
                       AND m.date < %(day_end)s
                    UNION ALL
                    SELECT c.account_id, m.date
                      FROM mail_message_res_partner_rel rel
                      JOIN contacts c ON c.id = rel.res_partner_id
                      JOIN mail_message m ON m.id = rel.mail_message_id
                      LEFT JOIN mail_message_subtype st ON st.id = m.subtype_id
                     WHERE m.message_type IN ('email', 'comment')
                       AND NOT COALESCE(st.internal, FALSE)
                       AND m.date < %(day_end)s
                    UNION ALL
                    SELECT c.account_id, event.start
                      FROM calendar_event_res_partner_rel rel
                      JOIN contacts c ON c.id = rel.res_partner_id
                      JOIN calendar_event event ON event.id = rel.calendar_event_id
                     WHERE event.active
                       AND event.start < LEAST(%(day_end)s, %(now)s)
                ) contact
                GROUP BY account_id
                """,
                day_end=day_end,
                now=fields.Datetime.now(),
                partners=tuple(partner_ids),
            )
        )
        return {
            partner_id: fields.Datetime.context_timestamp(self, last).date()
            for partner_id, last in rows
        }

    @api.model
    def _kam_utc_day_start(self, day):
        """The UTC (naive) datetime at which ``day`` starts in the time zone
        of ``fields.Date.context_today`` (UTC when none or unknown)."""
        tz_name = self.env.context.get("tz") or self.env.user.tz
        try:
            tz = pytz.timezone(tz_name) if tz_name else pytz.utc
        except pytz.UnknownTimeZoneError:
            tz = pytz.utc
        start = tz.localize(datetime.combine(day, time.min))
        return start.astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _kam_objectives_on_track(self, partners, company, day):
        """{partner id: % of the objectives of the plan of ``day``'s year,
        not cancelled, that are done or on track and not overdue}"""
        Objective = self.env["kam.account.objective"].sudo()
        base = [
            ("partner_id", "in", partners.ids),
            ("company_id", "=", company.id),
            ("plan_id.year", "=", day.year),
            ("state", "!=", "cancelled"),
        ]
        totals = dict(Objective._read_group(base, ["partner_id"], ["__count"]))
        on_track = dict(
            Objective._read_group(
                base
                + [
                    "|",
                    ("state", "=", "done"),
                    "&",
                    ("state", "=", "on_track"),
                    "|",
                    ("date_deadline", "=", False),
                    ("date_deadline", ">=", day),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        return {
            partner.id: on_track.get(partner, 0) / count * 100.0
            for partner, count in totals.items()
        }

    # --- cron --------------------------------------------------------------

    @api.model
    def _cron_compute_health(self):
        """Score the key accounts of every company not yet scored today in
        that company, ``CRON_BATCH_SIZE`` per call, reporting progress so
        that the scheduler calls again (and a killed run resumes where it
        stopped, without scoring an account twice).

        The day scored is today in the time zone of the user the cron runs as
        (OdooBot; UTC when it has none), like Odoo's own daily crons; the
        contact dates of the run are taken in that same zone, so that the
        days since the last contact never mix two zones.

        A batch is scored set-based; when it fails, its accounts are scored
        one by one, each in a savepoint: an account that fails is recorded
        (``kam.cron.failure``) and left for tomorrow, the others are scored.
        Accounts another run holds are skipped (``SKIP LOCKED``)."""
        Failure = self.env["kam.cron.failure"]
        day = fields.Date.context_today(self)
        budget = CRON_BATCH_SIZE
        done = remaining = skipped = 0
        for company in self.env["res.company"].search([("id", "!=", 0)]):
            model = self.with_company(company)
            partners = model._kam_key_accounts(company)
            if not partners:
                continue
            scored = {
                partner.id
                for (partner,) in self.sudo()._read_group(
                    [
                        ("company_id", "=", company.id),
                        ("date", "=", day),
                        ("partner_id", "in", partners.ids),
                    ],
                    ["partner_id"],
                )
            }
            failed = Failure._kam_failed_today(CRON_KEY, "res.partner", company)
            todo = partners.filtered(lambda p, left=scored | failed: p.id not in left)
            batch = todo[: max(budget, 0)]
            remaining += len(todo) - len(batch)
            if not batch:
                continue
            budget -= len(batch)
            locked = Failure._kam_lock_rows(batch)
            skipped += len(batch) - len(locked)
            done += len(batch)
            try:
                with self.env.cr.savepoint():
                    scores = model._kam_compute(locked, day)
            except Exception as exc:  # noqa: BLE001 - retried one by one
                _logger.warning(
                    "Key account health: batch of %s accounts failed in %s "
                    "(%s); scoring them one by one",
                    len(locked),
                    company.name,
                    exc,
                )
                scored_now, __ = Failure._kam_run_isolated(
                    CRON_KEY,
                    locked,
                    lambda partner, m=model: m._kam_compute(partner, day),
                    company=company,
                )
                scores = scored_now
            _logger.info(
                "Key account health: %s scores on %s in %s",
                len(scores),
                day,
                company.name,
            )
        # accounts held by another run count as remaining: when nothing else
        # was done, the job comes back in a minute (not tomorrow)
        if skipped and done == skipped:
            Failure._kam_retry_later()
        Failure._kam_progress(
            "kam_management.ir_cron_kam_health", done - skipped, remaining + skipped
        )
