# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager
from datetime import date, datetime

from odoo import Command

from .common import KamCommon


class KpiCommon(KamCommon):
    """Hand-built data for the KPI tests: March 2026, users in two time zones."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kam_user.tz = "Europe/Riga"  # UTC+2 in March
        cls.kam_user_other.tz = "Asia/Tokyo"  # UTC+9
        cls.call_type = cls.env.ref("mail.mail_activity_data_call")
        cls.phone_type = cls.env.ref("kam_management.mail_activity_type_offer_phone")
        cls.reconciliation_type = cls.env.ref(
            "kam_management.mail_activity_type_reconciliation"
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Baltic Timber", "is_company": True}
        )
        cls.customer_b = cls.env["res.partner"].create(
            {"name": "Kyiv Foods", "is_company": True}
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "KPI Widget",
                "type": "consu",
                "list_price": 100.0,
                "standard_price": 60.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.march = (date(2026, 3, 1), date(2026, 3, 31))

    @classmethod
    def _rule(cls, measure, target, users, period="month", **values):
        return cls.env["kam.kpi.rule"].create(
            {
                "name": f"{measure} {period} {target}",
                "measure": measure,
                "target": target,
                "period": period,
                "user_ids": [Command.set(users.ids)],
                **values,
            }
        )

    @classmethod
    def _done(cls, user, activity_type, when, record=None):
        """The message Odoo 18 leaves when ``user`` marks an activity done."""
        record = record or cls.customer
        message = (
            cls.env["mail.message"]
            .sudo()
            .create(
                {
                    "model": record._name,
                    "res_id": record.id,
                    "message_type": "notification",
                    "subtype_id": cls.env.ref("mail.mt_activities").id,
                    "mail_activity_type_id": activity_type.id,
                    "author_id": user.partner_id.id,
                    "date": when,
                    "body": "done",
                }
            )
        )
        message._kam_mark_activity_done()
        return message

    @classmethod
    def _invoice(cls, user, partner, day, quantity=1.0, price=100.0, refund=False):
        move = cls.env["account.move"].create(
            {
                "move_type": "out_refund" if refund else "out_invoice",
                "partner_id": partner.id,
                "invoice_user_id": user.id,
                "invoice_date": day,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "quantity": quantity,
                            "price_unit": price,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move

    @classmethod
    def _order(cls, user, partner, when, confirm=True, amount=100.0):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": user.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "product_uom_qty": 1,
                            "price_unit": amount,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )
        if confirm:
            order.action_confirm()
        order.date_order = when
        return order

    def _result(self, rule, user, date_from):
        return self.env["kam.kpi.result"].search(
            [
                ("rule_id", "=", rule.id),
                ("user_id", "=", user.id),
                ("date_from", "=", date_from),
            ]
        )

    @contextmanager
    def assertRaisesText(self, exception, text):
        """``assertRaises`` (rolled back to a savepoint) checking the message."""
        with self.assertRaises(exception) as catcher:
            yield catcher
        self.assertIn(text, str(catcher.exception))

    @staticmethod
    def dt(*args):
        return datetime(*args)
