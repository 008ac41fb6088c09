# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""KPI measures of the claims pillar."""

from odoo import api, fields, models
from odoo.tools import SQL

MEASURES_CLAIM = [
    ("claims_received", "Claims received"),
    ("claims_overdue", "Claims overdue"),
    ("claims_resolved_on_time", "Claims resolved on time (%)"),
]


class KamKpiRuleClaim(models.Model):
    _inherit = "kam.kpi.rule"

    measure = fields.Selection(
        selection_add=MEASURES_CLAIM,
        ondelete={
            "claims_received": "set default",
            "claims_overdue": "set default",
            "claims_resolved_on_time": "set default",
        },
    )

    @api.model
    def _kam_measures(self):
        measures = super()._kam_measures()
        labels = dict(MEASURES_CLAIM)
        definitions = {
            "claims_received": self.env._(
                "Number of customer claims received in the period (received "
                "date) on the user's accounts: claims whose customer has the "
                "user as key account manager, or, for a customer without one "
                "(or no customer), whose responsible is the user. Claims in a "
                "rejection stage (unfounded) do not count."
            ),
            "claims_overdue": self.env._(
                "Number of customer claims with the user as responsible that "
                "are overdue at the end of the period (today while the period "
                "runs): received by then, response due date before that day, "
                "and not closed (resolved or rejected) by that day."
            ),
            "claims_resolved_on_time": self.env._(
                "Share in percent of the claims with the user as responsible "
                "closed (resolved or rejected) in the period that were closed "
                "on or before their response due date. A user who closed no "
                "claim in the period scores 100; open overdue claims are "
                "counted by the measure Claims overdue."
            ),
        }
        measures["claims_received"] = {
            "label": labels["claims_received"],
            "definition": definitions["claims_received"],
            "direction": "at_most",
            "method": "_measure_claims_received",
        }
        measures["claims_overdue"] = {
            "label": labels["claims_overdue"],
            "definition": definitions["claims_overdue"],
            "direction": "at_most",
            "method": "_measure_claims_overdue",
        }
        measures["claims_resolved_on_time"] = {
            "label": labels["claims_resolved_on_time"],
            "definition": definitions["claims_resolved_on_time"],
            "direction": "at_least",
            "method": "_measure_claims_resolved_on_time",
        }
        return measures

    def _measure_claims_received(self, users, date_from, date_to):
        return self._fetch_values(
            SQL(
                """
                SELECT COALESCE(cp.kam_user_id, c.user_id), COUNT(*)
                  FROM kam_claim c
                  JOIN kam_claim_stage st ON st.id = c.stage_id
                  LEFT JOIN res_partner p ON p.id = c.partner_id
                  LEFT JOIN res_partner cp ON cp.id = p.commercial_partner_id
                 WHERE c.company_id = %(company_id)s
                   AND c.date_received BETWEEN %(date_from)s AND %(date_to)s
                   AND NOT COALESCE(st.is_rejected, FALSE)
                   AND COALESCE(cp.kam_user_id, c.user_id) = ANY(%(user_ids)s)
                 GROUP BY COALESCE(cp.kam_user_id, c.user_id)
                """,
                company_id=self.company_id.id,
                date_from=date_from,
                date_to=date_to,
                user_ids=users.ids,
            )
        )

    def _measure_claims_overdue(self, users, date_from, date_to):
        today = self.env.context.get("kam_kpi_today") or fields.Date.context_today(self)
        day = min(date_to, fields.Date.to_date(today))
        return self._fetch_values(
            SQL(
                """
                SELECT c.user_id, COUNT(*)
                  FROM kam_claim c
                 WHERE c.company_id = %(company_id)s
                   AND c.user_id = ANY(%(user_ids)s)
                   AND c.date_received <= %(day)s
                   AND c.date_due < %(day)s
                   AND (c.date_resolved IS NULL OR c.date_resolved > %(day)s)
                 GROUP BY c.user_id
                """,
                company_id=self.company_id.id,
                user_ids=users.ids,
                day=day,
            )
        )

    def _measure_claims_resolved_on_time(self, users, date_from, date_to):
        values = self._fetch_values(
            SQL(
                """
                SELECT c.user_id,
                       100.0 * COUNT(*) FILTER (
                           WHERE c.date_due IS NULL OR c.date_resolved <= c.date_due
                       )
                       / COUNT(*)
                  FROM kam_claim c
                 WHERE c.company_id = %(company_id)s
                   AND c.user_id = ANY(%(user_ids)s)
                   AND c.is_closed
                   AND c.date_resolved BETWEEN %(date_from)s AND %(date_to)s
                 GROUP BY c.user_id
                """,
                company_id=self.company_id.id,
                user_ids=users.ids,
                date_from=date_from,
                date_to=date_to,
            )
        )
        # nothing closed: nothing late
        return {uid: values.get(uid, 100.0) for uid in users.ids}


class KamKpiResultClaim(models.Model):
    _inherit = "kam.kpi.result"

    measure = fields.Selection(
        selection_add=MEASURES_CLAIM,
        ondelete={
            "claims_received": "set null",
            "claims_overdue": "set null",
            "claims_resolved_on_time": "set null",
        },
    )


class KamAttestationLineClaim(models.Model):
    _inherit = "kam.attestation.line"

    measure = fields.Selection(
        selection_add=MEASURES_CLAIM,
        ondelete={
            "claims_received": "set null",
            "claims_overdue": "set null",
            "claims_resolved_on_time": "set null",
        },
    )
