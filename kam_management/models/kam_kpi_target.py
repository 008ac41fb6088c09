# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class KamKpiTarget(models.Model):
    """A per-user target overriding the rule's target for the periods that
    start between two dates (a monthly sales plan is one per month)."""

    _name = "kam.kpi.target"
    _description = "KPI Per-user Target"
    _order = "rule_id, user_id, date_from desc"
    _check_company_auto = True

    rule_id = fields.Many2one(
        comodel_name="kam.kpi.rule",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(related="rule_id.company_id", store=True, index=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        required=True,
        index=True,
        domain="[('share', '=', False)]",
    )
    date_from = fields.Date(
        string="From",
        required=True,
        help="The override applies to the periods of the rule starting on or "
        "after this day ...",
    )
    date_to = fields.Date(
        string="To",
        required=True,
        help="... and on or before this day.",
    )
    target = fields.Float(required=True)

    _sql_constraints = [
        (
            "dates_order",
            "CHECK(date_from <= date_to)",
            "A per-user target must end on or after the day it starts.",
        ),
        (
            "target_positive",
            "CHECK(target >= 0)",
            "A per-user target cannot be negative.",
        ),
    ]

    @api.constrains("target", "date_from", "date_to")
    def _check_values(self):
        for target in self:
            if target.target < 0:
                raise ValidationError(
                    self.env._(
                        "The target of %(user)s for rule %(rule)s cannot be "
                        "negative (%(target)s).",
                        user=target.user_id.display_name,
                        rule=target.rule_id.display_name,
                        target=target.target,
                    )
                )
            if target.date_from > target.date_to:
                raise ValidationError(
                    self.env._(
                        "The target of %(user)s for rule %(rule)s ends (To) before "
                        "it starts (From).",
                        user=target.user_id.display_name,
                        rule=target.rule_id.display_name,
                    )
                )

    @api.constrains("rule_id", "user_id", "date_from", "date_to")
    def _check_overlap(self):
        groups = self._read_group(
            [
                ("rule_id", "in", self.rule_id.ids),
                ("user_id", "in", self.user_id.ids),
            ],
            ["rule_id", "user_id"],
            ["id:recordset"],
        )
        for _rule, _user, targets in groups:
            ordered = targets.sorted("date_from")
            for previous, current in zip(ordered, ordered[1:], strict=False):
                if current.date_from <= previous.date_to:
                    raise ValidationError(
                        self.env._(
                            "%(user)s has two targets for rule %(rule)s covering "
                            "the same days (%(from1)s - %(to1)s and %(from2)s - "
                            "%(to2)s): change the dates of one of them.",
                            user=current.user_id.display_name,
                            rule=current.rule_id.display_name,
                            from1=previous.date_from,
                            to1=previous.date_to,
                            from2=current.date_from,
                            to2=current.date_to,
                        )
                    )
