# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .kam_classification_policy import ABC_CLASSES, DEPENDENCE_LEVELS

CHANGE_TYPES = [
    ("new_key", "New key account"),
    ("dropped_key", "No longer key"),
    ("class", "Class changed"),
    ("dependence", "Dependence changed"),
    ("share", "Share moved"),
]


class KamClassificationChange(models.Model):
    """One difference of a customer between a classification run and the
    previous run of its policy. Written in SQL by
    ``kam.classification.run._kam_record_changes``; read only."""

    _name = "kam.classification.change"
    _description = "Key Account Classification Change"
    _order = "run_id desc, change_type, share_delta desc, id"
    _check_company_auto = True

    run_id = fields.Many2one(
        comodel_name="kam.classification.run",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    previous_run_id = fields.Many2one(
        comodel_name="kam.classification.run",
        ondelete="set null",
        readonly=True,
        help="The run compared with. Empty once the retention deleted it: the "
        "figures of the change stay.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, index=True, readonly=True
    )
    run_date = fields.Date(required=True, index=True, readonly=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    change_type = fields.Selection(
        selection=CHANGE_TYPES, string="Change", required=True, readonly=True
    )
    old_abc_class = fields.Selection(
        selection=ABC_CLASSES,
        string="Previous Class",
        readonly=True,
        help="Empty when the previous run did not rank the customer.",
    )
    new_abc_class = fields.Selection(
        selection=ABC_CLASSES,
        string="New Class",
        readonly=True,
        help="Empty when this run does not rank the customer.",
    )
    old_dependence_level = fields.Selection(
        selection=DEPENDENCE_LEVELS, string="Previous Dependence", readonly=True
    )
    new_dependence_level = fields.Selection(
        selection=DEPENDENCE_LEVELS, string="New Dependence", readonly=True
    )
    old_share = fields.Float(
        string="Previous Share (%)", digits=(16, 2), aggregator="sum", readonly=True
    )
    new_share = fields.Float(
        string="New Share (%)", digits=(16, 2), aggregator="sum", readonly=True
    )
    share_delta = fields.Float(
        string="Share Change (pts)",
        digits=(16, 2),
        aggregator="sum",
        readonly=True,
        help="New share minus previous share, in percentage points.",
    )
