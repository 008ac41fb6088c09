# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

# the languages of the source documents
LANGUAGES = ("ru_RU", "uk_UA", "lv_LV", "az_AZ")


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def test_every_menu_of_the_module_is_translated(self):
        data = self.env["ir.model.data"].search(
            [("module", "=", "kam_management"), ("model", "=", "ir.ui.menu")]
        )
        menus = self.env["ir.ui.menu"].browse(data.mapped("res_id"))
        self.assertGreater(len(menus), 20)
        for code in LANGUAGES:
            with self.subTest(lang=code):
                self.env["res.lang"]._activate_lang(code)
                self.env["ir.module.module"]._load_module_terms(
                    ["kam_management"], [code], overwrite=True
                )
                self.env.flush_all()
                # a menu is translated when its name has a value in that language
                self.env.cr.execute(
                    SQL(
                        "SELECT name->>'en_US' FROM ir_ui_menu "
                        "WHERE id IN %s AND NOT (name ? %s)",
                        tuple(menus.ids),
                        code,
                    )
                )
                untranslated = [name for (name,) in self.env.cr.fetchall()]
                self.assertFalse(untranslated, f"untranslated menus in {code}")
                # and the user sees it: the root menu reads in that language
                root = self.env.ref("kam_management.kam_menu_root")
                self.assertNotEqual(
                    root.with_context(lang=code).name, "Key Accounts", code
                )
