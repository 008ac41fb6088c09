# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .kam_kpi_rule import MEASURES


class KamAttestationLine(models.Model):
    """One KPI result of the attestation's snapshot, copied: the figures stay
    what the manager reviewed when the result is re-evaluated or its rule is
    changed or archived. Written by the snapshot only."""

    _name = "kam.attestation.line"
    _description = "Attestation KPI Line"
    _order = "attestation_id, date_from, rule_name, id"
    _rec_name = "rule_name"

    attestation_id = fields.Many2one(
        comodel_name="kam.attestation",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    user_id = fields.Many2one(related="attestation_id.user_id", store=True)
    company_id = fields.Many2one(
        related="attestation_id.company_id", store=True, index=True
    )
    # a link for navigation only: the figures below are the copy
    result_id = fields.Many2one(
        comodel_name="kam.kpi.result",
        string="KPI Result",
        readonly=True,
        ondelete="set null",
    )
    rule_name = fields.Char(string="Rule", readonly=True)
    measure = fields.Selection(selection=MEASURES, readonly=True)
    measure_label = fields.Char(string="Measure Description", readonly=True)
    period = fields.Selection(
        selection=[
            ("day", "Day"),
            ("week", "Week"),
            ("month", "Month"),
            ("quarter", "Quarter"),
            ("half_year", "Half-year"),
        ],
        readonly=True,
    )
    date_from = fields.Date(string="Period Start", readonly=True)
    date_to = fields.Date(string="Period End", readonly=True)
    value = fields.Float(readonly=True)
    target = fields.Float(readonly=True)
    attainment = fields.Float(string="Attainment (%)", readonly=True)
    status = fields.Selection(
        selection=[
            ("in_progress", "In Progress"),
            ("met", "Met"),
            ("missed", "Missed"),
        ],
        readonly=True,
    )

    #: the result fields copied on the line
    COPIED = (
        "rule_name",
        "measure",
        "measure_label",
        "period",
        "date_from",
        "date_to",
        "value",
        "target",
        "attainment",
        "status",
    )
