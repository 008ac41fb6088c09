# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command

from .common import KamCommon


class KamServiceCommon(KamCommon):
    """A key account of ``kam_user`` with a contact, a product and helpers to
    make quotations and posted invoices."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.account = cls.env["res.partner"].create(
            {
                "name": "Nordic Freight Group",
                "is_company": True,
                "kam_is_key_account": True,
                "kam_user_id": cls.kam_user.id,
                "kam_deputy_user_id": cls.kam_user_other.id,
                "email": "info@nordic-freight.example.com",
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Ann Buyer",
                "parent_id": cls.account.id,
                "email": "ann.buyer@nordic-freight.example.com",
            }
        )
        cls.other_account = cls.env["res.partner"].create(
            {
                "name": "Other Account",
                "is_company": True,
                "kam_is_key_account": True,
                "kam_user_id": cls.kam_user_other.id,
            }
        )
        cls.plain_customer = cls.env["res.partner"].create(
            {"name": "Walk-in Customer", "is_company": True}
        )
        cls.categ = cls.env["product.category"].create({"name": "Svc Test Services"})
        cls.product = cls.env["product.product"].create(
            {
                "name": "Svc Test Audit",
                "type": "service",
                "list_price": 100.0,
                "categ_id": cls.categ.id,
                "taxes_id": [Command.clear()],
            }
        )

    @classmethod
    def _order(cls, partner, user=None, **vals):
        return cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": (user or cls.kam_user).id,
                "order_line": [
                    Command.create({"product_id": cls.product.id, "price_unit": 100.0})
                ],
                **vals,
            }
        )

    @classmethod
    def _invoice(
        cls, partner, product, amount, date, move_type="out_invoice", post=True
    ):
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": date,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        if post:
            move.action_post()
        return move
