# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command

from .common import KamCommon


class AccountPlanCommon(KamCommon):
    """Key accounts and invoices with amounts and dates chosen by the test."""

    @classmethod
    def _key_account(cls, name, kam=None, deputy=None, **vals):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "kam_is_key_account": True,
                "kam_user_id": kam.id if kam else False,
                "kam_deputy_user_id": deputy.id if deputy else False,
                **vals,
            }
        )

    @classmethod
    def _invoice(cls, partner, amount, invoice_date, due_date=None, refund=False):
        """A posted customer invoice (or refund) of ``amount`` untaxed and
        without taxes, due on ``due_date`` (default: its date)."""
        move = cls.env["account.move"].create(
            {
                "move_type": "out_refund" if refund else "out_invoice",
                "partner_id": partner.id,
                "invoice_date": invoice_date,
                "invoice_date_due": due_date or invoice_date,
                "invoice_payment_term_id": False,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Service",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move

    @classmethod
    def _pay(cls, invoice, payment_date):
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": payment_date})._create_payments()
