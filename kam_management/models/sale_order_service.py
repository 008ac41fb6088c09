# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import float_compare, plaintext2html
from odoo.tools.sql import column_exists, create_column

_logger = logging.getLogger(__name__)

# quotations reminded per call of the daily expiry cron
EXPIRY_BATCH_SIZE = 500
EXPIRY_CRON_KEY = "quotation_expiry"


class SaleOrder(models.Model):
    _inherit = "sale.order"  # pylint: disable=consider-merging-classes-inherited

    kam_followup_sequence_id = fields.Many2one(
        comodel_name="kam.followup.sequence",
        string="Follow-up Sequence",
        readonly=True,
        copy=False,
    )
    kam_followup_step_id = fields.Many2one(
        comodel_name="kam.followup.step",
        string="Follow-up Step",
        readonly=True,
        copy=False,
        help="The step reached: its activity is open while the sequence runs; "
        "sending the quotation again restarts the sequence from here.",
    )
    kam_followup_state = fields.Selection(
        selection=[
            ("running", "Running"),
            ("stopped", "Stopped"),
            ("done", "Completed"),
        ],
        string="Follow-up",
        readonly=True,
        copy=False,
        tracking=True,
    )
    kam_followup_anchor_date = fields.Date(readonly=True, copy=False)
    kam_followup_anchor_offset = fields.Integer(readonly=True, copy=False)
    kam_expiry_reminded = fields.Boolean(
        string="Expiry Reminder Scheduled",
        readonly=True,
        copy=False,
    )
    kam_proposal_member_ids = fields.One2many(
        comodel_name="kam.proposal.member",
        inverse_name="order_id",
        string="Proposal Team",
        copy=True,
        help="The people who prepared the proposal, printed on the quotation.",
    )
    kam_crosssell_suggestion_ids = fields.Many2many(
        comodel_name="kam.whitespace.cell",
        string="Cross-sell Suggestions",
        compute="_compute_kam_crosssell_suggestion_ids",
        help="Buying units and product categories of the key account where it "
        "buys from a competitor or its need is unknown, with no revenue from "
        "us in the last 12 months.",
        groups="kam_management.group_kam_user",
    )

    @api.depends(
        "company_id",
        "sale_order_template_id",
        "partner_id.commercial_partner_id.kam_is_key_account",
    )
    def _compute_validity_date(self):
        result = super()._compute_validity_date()
        today = fields.Date.context_today(self)
        for order in self:
            days = order.company_id.kam_quotation_validity_days
            if (
                days > 0
                and order.partner_id.commercial_partner_id.kam_is_key_account
                and order.sale_order_template_id.number_of_days <= 0
            ):
                # a quotation template's own validity still wins
                order.validity_date = today + timedelta(days=days)
        return result

    @api.depends("partner_id", "state")
    def _compute_kam_crosssell_suggestion_ids(self):
        orders = self.filtered(lambda o: o.state in ("draft", "sent"))
        suggestions = self.env["res.partner"]._kam_crosssell_cells(
            orders.partner_id.commercial_partner_id
        )
        for order in self:
            cells = suggestions.get(order.partner_id.commercial_partner_id.id)
            order.kam_crosssell_suggestion_ids = (
                cells if order in orders and cells else False
            )

    def write(self, vals):
        res = super().write(vals)
        state = vals.get("state")
        if state == "sent":
            self._kam_followup_start()
        elif state in ("sale", "cancel"):
            self._kam_followup_stop()
            if state == "sale":
                self.env["kam.referral"]._kam_ask_for_referral(
                    self.partner_id.commercial_partner_id
                )
        return res

    def message_post(self, **kwargs):
        message = super().message_post(**kwargs)
        if self.env.context.get("mark_so_as_sent"):
            # sending again restarts a stopped sequence, never duplicates it
            self._kam_followup_start()
        elif message.message_type in ("email", "comment") and message.author_id:
            # an e-mail or portal message of someone who is not an internal
            # user is the customer's reply
            users = message.author_id.with_context(active_test=False).user_ids
            internal = users.filtered(lambda u: not u.share)
            if not internal:
                self._kam_followup_stop()
        return message

    # ------------------------------------------------------------------
    # Follow-up sequence
    # ------------------------------------------------------------------
    def _kam_followup_pending(self):
        """Open follow-up activities of the orders, by order id."""
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("kam_followup_step_id", "!=", False),
                ]
            )
        )
        pending = {}
        for activity in activities:
            pending.setdefault(activity.res_id, activity.browse())
            pending[activity.res_id] |= activity
        return pending

    def _kam_followup_start(self):
        """Start (or restart from the step reached) the follow-up sequence of
        sent quotations; a running sequence with an open activity is left as
        it is, a completed one is not started again."""
        orders = self.filtered(
            lambda o: o.state == "sent" and o.kam_followup_state != "done"
        )
        if not orders:
            return
        pending = orders._kam_followup_pending()
        orders = orders.filtered(lambda o: o.id not in pending)
        sequences = self.env["kam.followup.sequence"]._kam_for_orders(
            orders.filtered(lambda o: not o.kam_followup_sequence_id)
        )
        today = fields.Date.context_today(self)
        started = self.browse()
        for order in orders:
            sequence = order.kam_followup_sequence_id or sequences.get(order.id)
            steps = sequence.step_ids if sequence else []
            if not steps:
                continue
            step = order.kam_followup_step_id
            if step not in steps:
                step = steps[0]
            index = list(steps).index(step)
            order.write(
                {
                    "kam_followup_sequence_id": sequence.id,
                    "kam_followup_step_id": step.id,
                    "kam_followup_state": "running",
                    "kam_followup_anchor_date": today,
                    "kam_followup_anchor_offset": (
                        steps[index - 1].offset_days if index else 0
                    ),
                }
            )
            started |= order
        started._kam_followup_schedule()

    def _kam_followup_stop(self):
        """Stop running sequences: their open activity is removed, the step
        reached is kept for a restart."""
        orders = self.filtered(lambda o: o.kam_followup_state == "running")
        if not orders:
            return
        for activities in orders._kam_followup_pending().values():
            activities.unlink()
        orders.write({"kam_followup_state": "stopped"})

    def _kam_followup_advance(self):
        """After the activity of a step was done: schedule the next step, or
        complete the sequence."""
        orders = self.filtered(
            lambda o: o.kam_followup_state == "running" and o.state == "sent"
        )
        pending = orders._kam_followup_pending()
        to_schedule = self.browse()
        for order in orders.filtered(lambda o: o.id not in pending):
            steps = list(order.kam_followup_sequence_id.step_ids)
            step = order.kam_followup_step_id
            index = steps.index(step) if step in steps else len(steps)
            if index + 1 < len(steps):
                order.kam_followup_step_id = steps[index + 1]
                to_schedule |= order
            else:
                order.kam_followup_state = "done"
        to_schedule._kam_followup_schedule()

    def _kam_followup_user(self, day):
        self.ensure_one()
        account = self.partner_id.commercial_partner_id
        if account.kam_is_key_account and account.kam_user_id:
            return account._kam_responsible_user(day)
        return self.user_id or self.env.user

    def _kam_followup_schedule(self):
        """Create the activity of the current step of each order, due the
        step's working days after the anchor (never in the past)."""
        today = fields.Date.context_today(self)
        model_id = self.env["ir.model"]._get_id(self._name)
        vals_list = []
        for order in self:
            step = order.kam_followup_step_id
            deadline = order.company_id._kam_add_working_days(
                order.kam_followup_anchor_date or today,
                step.offset_days - order.kam_followup_anchor_offset,
            )
            deadline = max(deadline, today)
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": order.id,
                    "activity_type_id": step.activity_type_id.id,
                    "summary": step.summary,
                    "note": step.note,
                    "date_deadline": deadline,
                    "user_id": order._kam_followup_user(deadline).id,
                    "kam_followup_step_id": step.id,
                }
            )
        if vals_list:
            self.env["mail.activity"].sudo().with_context(
                mail_activity_quick_update=True
            ).create(vals_list)

    # ------------------------------------------------------------------
    # Validity
    # ------------------------------------------------------------------
    @api.model
    def _cron_kam_quotation_expiry(self):
        """Schedule an activity before a key-account quotation expires."""
        today = fields.Date.context_today(self)
        companies = self.env["res.company"].search(
            [("kam_quotation_expiry_notice_days", ">", 0)]
        )
        if not companies:
            return
        # the key account flag is per company: each company's orders with
        # that company's flag (one search per company)
        orders = self.browse()
        for company in companies:
            orders |= self.with_company(company).search(
                [
                    ("state", "in", ("draft", "sent")),
                    ("kam_expiry_reminded", "=", False),
                    ("company_id", "=", company.id),
                    ("partner_id.commercial_partner_id.kam_is_key_account", "=", True),
                    ("validity_date", ">=", today),
                    (
                        "validity_date",
                        "<=",
                        today
                        + timedelta(days=company.kam_quotation_expiry_notice_days),
                    ),
                ]
            )
        orders = orders.with_env(self.env)
        orders = orders.filtered(
            lambda o: o.validity_date
            <= today + timedelta(days=o.company_id.kam_quotation_expiry_notice_days)
        )
        # a batch per call (the reminded flag tells the next call what is
        # done); orders held by another run are left to it (SKIP LOCKED)
        Failure = self.env["kam.cron.failure"]
        failed = Failure._kam_failed_today(EXPIRY_CRON_KEY, self._name)
        orders = orders.filtered(lambda o: o.id not in failed)
        batch = Failure._kam_lock_rows(orders[:EXPIRY_BATCH_SIZE])
        remaining = len(orders) - len(batch)
        if batch:
            try:
                with self.env.cr.savepoint():
                    batch._kam_remind_expiry(today)
            except Exception as exc:  # noqa: BLE001 - retried one by one
                _logger.warning("Quotation expiry: batch failed (%s)", exc)
                Failure._kam_run_isolated(
                    EXPIRY_CRON_KEY,
                    batch,
                    lambda order: order._kam_remind_expiry(today),
                )
        elif orders:
            Failure._kam_retry_later()
        Failure._kam_progress(
            "kam_management.ir_cron_kam_quotation_expiry", len(batch), remaining
        )

    def _kam_remind_expiry(self, today):
        """The expiry activity of the quotations ``self``, flagged reminded."""
        orders = self
        model_id = self.env["ir.model"]._get_id(self._name)
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        vals_list = []
        for order in orders:
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": order.id,
                    "activity_type_id": activity_type.id,
                    "summary": self.env._(
                        "Quotation %(name)s expires on %(date)s",
                        name=order.name,
                        date=order.validity_date,
                    ),
                    "date_deadline": max(
                        today, order.validity_date - timedelta(days=1)
                    ),
                    "user_id": order._kam_followup_user(today).id,
                }
            )
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            vals_list
        )
        orders.write({"kam_expiry_reminded": True})

    # ------------------------------------------------------------------
    # Referral request after a delivered order
    # ------------------------------------------------------------------
    kam_is_delivered = fields.Boolean(
        string="Fully Delivered",
        compute="_compute_kam_is_delivered",
        store=True,
        help="Confirmed, and every deliverable line (products and services, "
        "not sections, notes, down payments or computed lines such as shipping "
        "costs) has a delivered quantity reaching its ordered quantity.",
    )
    kam_delivery_referral_done = fields.Boolean(
        string="Referral Request after Delivery Checked",
        readonly=True,
        copy=False,
        help="The daily referral request run has handled this delivered order "
        "(whether or not it scheduled an activity).",
    )

    def _auto_init(self):
        self._kam_init_delivery_referral_done()
        return super()._auto_init()

    def _kam_init_delivery_referral_done(self):
        """Orders confirmed before the referral request after delivery existed
        are marked as handled, so that installing it does not ask every
        customer delivered in the past."""
        cr = self.env.cr
        if not column_exists(cr, self._table, "kam_delivery_referral_done"):
            create_column(cr, self._table, "kam_delivery_referral_done", "boolean")
            cr.execute(
                "UPDATE sale_order SET kam_delivery_referral_done = (state = 'sale')"
            )

    @api.depends(
        "state",
        "order_line.qty_delivered",
        "order_line.product_uom_qty",
        "order_line.display_type",
        "order_line.is_downpayment",
        "order_line.product_id",
    )
    def _compute_kam_is_delivered(self):
        for order in self:
            lines = order.order_line.filtered(
                lambda line: line.product_id
                and not line.display_type
                and not line.is_downpayment
                and line.product_type != "combo"
                and not line._is_not_sellable_line()
                and line.product_uom_qty > 0
            )
            order.kam_is_delivered = (
                order.state == "sale"
                and bool(lines)
                and all(
                    float_compare(
                        line.qty_delivered,
                        line.product_uom_qty,
                        precision_rounding=line.product_uom.rounding or 0.01,
                    )
                    >= 0
                    for line in lines
                )
            )

    @api.model
    def _cron_kam_referral_delivered(self, batch_size=1000):
        """Daily: a referral request for the satisfied key accounts whose
        orders became fully delivered; each order is handled once."""
        domain = [
            ("kam_is_delivered", "=", True),
            ("kam_delivery_referral_done", "=", False),
        ]
        orders = self.sudo().search(domain, limit=batch_size, order="id")
        Referral = self.env["kam.referral"].sudo()
        for company in orders.company_id:
            company_orders = orders.filtered(lambda o, c=company: o.company_id == c)
            names = {}
            for order in company_orders:
                account = order.partner_id.commercial_partner_id
                names.setdefault(account.id, []).append(order.name)
            notes = {
                account_id: plaintext2html(
                    self.env._(
                        "Fully delivered: %(orders)s", orders=", ".join(order_names)
                    )
                )
                for account_id, order_names in names.items()
            }
            Referral.with_company(company)._kam_ask_for_referral(
                company_orders.partner_id.commercial_partner_id,
                trigger="delivered",
                notes=notes,
            )
        orders.write({"kam_delivery_referral_done": True})
        remaining = self.sudo().search_count(domain) if len(orders) == batch_size else 0
        self.env["ir.cron"]._notify_progress(done=len(orders), remaining=remaining)
