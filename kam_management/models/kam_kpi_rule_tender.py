# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""KPI measures of the tenders pillar."""

from odoo import api, fields, models

#: Fields of ``kam.tender`` read by the "tenders won" measures.
TENDER_MODEL = "kam.tender"
TENDER_USER_FIELD = "user_id"
TENDER_DATE_FIELD = "date_closed"
TENDER_AMOUNT_FIELD = "awarded_amount"
#: a won tender counts once its outcome is confirmed (at once when a KAM
#: Manager sets it or the company does not require a confirmation)
TENDER_WON_DOMAIN = [("outcome", "=", "won"), ("outcome_confirmed", "=", True)]

MEASURES_TENDER = [
    ("tenders_won", "Tenders won (count)"),
    ("tenders_won_value", "Tenders won (value)"),
]


class KamKpiRuleTender(models.Model):
    _inherit = "kam.kpi.rule"

    measure = fields.Selection(
        selection_add=MEASURES_TENDER,
        ondelete={
            "tenders_won": "set default",
            "tenders_won_value": "set default",
        },
    )

    @api.model
    def _kam_measures(self):
        measures = super()._kam_measures()
        labels = dict(MEASURES_TENDER)
        definitions = {
            "tenders_won": self.env._(
                "Number of tenders in a won stage whose award date is in the "
                "period and whose KAM is the user."
            ),
            "tenders_won_value": self.env._(
                "Sum of the awarded amounts of the tenders in a won stage whose "
                "award date is in the period and whose KAM is the user."
            ),
        }
        measures["tenders_won"] = {
            "label": labels["tenders_won"],
            "definition": definitions["tenders_won"],
            "direction": "at_least",
            "method": "_measure_tenders_won",
        }
        measures["tenders_won_value"] = {
            "label": labels["tenders_won_value"],
            "definition": definitions["tenders_won_value"],
            "direction": "at_least",
            "method": "_measure_tenders_won_value",
        }
        return measures

    def _tender_values(self, users, date_from, date_to, aggregate):
        if TENDER_MODEL not in self.env:
            return {}
        groups = (
            self.env[TENDER_MODEL]
            .sudo()
            ._read_group(
                TENDER_WON_DOMAIN
                + [
                    ("company_id", "=", self.company_id.id),
                    (TENDER_USER_FIELD, "in", users.ids),
                    (TENDER_DATE_FIELD, ">=", date_from),
                    (TENDER_DATE_FIELD, "<=", date_to),
                ],
                [TENDER_USER_FIELD],
                [aggregate],
            )
        )
        return {user.id: value or 0.0 for user, value in groups}

    def _measure_tenders_won(self, users, date_from, date_to):
        return self._tender_values(users, date_from, date_to, "__count")

    def _measure_tenders_won_value(self, users, date_from, date_to):
        return self._tender_values(
            users, date_from, date_to, f"{TENDER_AMOUNT_FIELD}:sum"
        )


class KamKpiResultTender(models.Model):
    _inherit = "kam.kpi.result"

    measure = fields.Selection(
        selection_add=MEASURES_TENDER,
        ondelete={
            "tenders_won": "set null",
            "tenders_won_value": "set null",
        },
    )


class KamAttestationLineTender(models.Model):
    _inherit = "kam.attestation.line"

    measure = fields.Selection(
        selection_add=MEASURES_TENDER,
        ondelete={
            "tenders_won": "set null",
            "tenders_won_value": "set null",
        },
    )
