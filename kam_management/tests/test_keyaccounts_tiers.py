# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_keyaccounts_classification import KeyAccountCommon


@tagged("post_install", "-at_install")
class TestTiers(KeyAccountCommon):
    """The four tier codes are fixed; their labels are ``kam.tier`` records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.strategic = cls.env.ref("kam_management.kam_tier_strategic")
        cls.key = cls.env.ref("kam_management.kam_tier_key")
        cls.regular = cls.env.ref("kam_management.kam_tier_regular")

    def _labels(self, model="res.partner", field="kam_tier", env=None):
        env = env or self.env
        selection = env[model].fields_get([field], ["selection"])[field]["selection"]
        return [tuple(item) for item in selection]

    def _search_arch(self, env=None):
        env = env or self.env
        views = env["res.partner"].get_views([(False, "search")])
        return views["views"]["search"]["arch"]

    def test_shipped_tiers(self):
        self.assertEqual(
            self._labels(),
            [
                ("strategic", "Strategic"),
                ("key", "Key"),
                ("developing", "Developing"),
                ("regular", "Regular"),
            ],
        )
        self.assertEqual(
            self._labels(), self._labels("kam.classification.policy", "tier_mono")
        )

    def test_rename_and_reorder(self):
        self.assertIn("Tier: Strategic", self._search_arch())  # now cached
        tiers = self.env["kam.tier"].with_user(self.kam_manager)
        tiers.browse(self.strategic.id).name = "Platinum"
        tiers.browse(self.regular.id).sequence = 1
        self.assertEqual(
            self._labels(),
            [
                ("regular", "Regular"),
                ("strategic", "Platinum"),
                ("key", "Key"),
                ("developing", "Developing"),
            ],
        )
        for field in ("tier_mono", "tier_critical", "tier_key", "tier_none"):
            self.assertIn(
                ("strategic", "Platinum"),
                self._labels("kam.classification.policy", field),
            )
        # labels of users without any right on the tiers too
        self.assertIn(("strategic", "Platinum"), self._labels(env=self.sales_user.env))
        # the search filter of the tier follows (the cached view is cleared)
        arch = self._search_arch()
        self.assertIn("Tier: Platinum", arch)
        self.assertNotIn("Tier: Strategic", arch)

    def test_partner_shows_label_in_export_and_kanban_colour(self):
        self.cust_a.kam_tier = "strategic"
        self.strategic.write({"name": "Platinum", "color": 7})
        self.assertEqual(self.cust_a.export_data(["kam_tier"])["datas"], [["Platinum"]])
        self.assertEqual(self.cust_a.kam_tier_color, 7)
        self.assertEqual(self.cust_b.export_data(["kam_tier"])["datas"], [[""]])
        self.assertEqual(self.cust_b.kam_tier_color, 0)
        policy = self._policy()
        self.assertEqual(policy.export_data(["tier_mono"])["datas"], [["Platinum"]])

    def test_export_reads_labels_once(self):
        """Exporting many partners reads the tier labels once, not per row."""
        partners = self.env["res.partner"].create(
            [{"name": f"Tier export {n}", "kam_tier": "key"} for n in range(6)]
        )
        self.env.flush_all()
        # warm Odoo's caches (rules, users, company-dependent fallbacks)
        partners.export_data(["kam_tier"])
        self.env.invalidate_all()
        partners[:1].export_data(["kam_tier"])
        counts = []
        for size in (1, 6):
            self.env.invalidate_all()
            self.env.cr.cache.clear()
            before = self.env.cr.sql_log_count
            datas = partners[:size].export_data(["kam_tier"])["datas"]
            counts.append(self.env.cr.sql_log_count - before)
            self.assertEqual(datas, [["Key"]] * size)
        self.assertEqual(counts[0], counts[1])

    def test_tracked_change_shows_label(self):
        self.strategic.name = "Platinum"
        self.env.cr.precommit.run()  # records created in this transaction
        self.cust_b.with_user(self.kam_manager).with_context(
            tracking_disable=False, mail_notrack=False
        ).kam_tier = "strategic"
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracking = self.cust_b.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "kam_tier"
        )
        self.assertEqual(tracking.new_value_char, "Platinum")

    def test_classification_maps_codes_and_logs_labels(self):
        self.strategic.name = "Platinum"
        self.regular.name = "Occasional"
        policy = self._policy()
        policy._run_classification(self.today)
        self.assertEqual(self.cust_a.kam_tier, "strategic")
        self.assertEqual(self.cust_c.kam_tier, "regular")
        body = "\n".join(self.cust_a.message_ids.mapped("body"))
        self.assertIn("tier: - → Platinum", body)
        self.assertNotIn("Strategic", body)

    def test_code_cannot_change_nor_be_deleted(self):
        as_manager = self.strategic.with_user(self.kam_manager)
        with self.assertRaisesRegex(UserError, "code of a tier cannot be changed"):
            as_manager.code = "key"
        as_manager.write({"code": "strategic", "name": "Platinum"})  # same code
        with self.assertRaises(AccessError):
            as_manager.unlink()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            self.strategic.sudo().unlink()
        with self.assertRaises(AccessError):
            self.strategic.with_user(self.kam_user).name = "Mine"
        self.assertEqual(self.strategic.with_user(self.kam_user).name, "Platinum")
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.env["kam.tier"].create({"code": "key", "name": "Second key"})

    def test_builtin_labels_without_records(self):
        self.env.cr.execute("DELETE FROM kam_tier WHERE code = 'key'")
        self.env["kam.tier"].invalidate_model()
        self.strategic.name = "Platinum"
        self.assertEqual(
            self._labels(),
            [
                ("strategic", "Platinum"),
                ("developing", "Developing"),
                ("regular", "Regular"),
                ("key", "Key"),
            ],
        )
        self.env.cr.execute("DELETE FROM kam_tier")
        self.env["kam.tier"].invalidate_model()
        self.assertEqual([label for __, label in self._labels()][0], "Strategic")

    def test_translated_label(self):
        self.env["res.lang"]._activate_lang("lv_LV")
        lv_env = self.env(context=dict(self.env.context, lang="lv_LV"))
        # the filter's prefix comes from the shipped Latvian translation
        self.assertIn("Līmenis: Strategic", self._search_arch(lv_env))  # now cached
        self.strategic.with_env(lv_env).name = "Stratēģiskais"
        self.assertIn(("strategic", "Stratēģiskais"), self._labels(env=lv_env))
        self.assertIn(("strategic", "Strategic"), self._labels())
        self.assertIn("Stratēģiskais", self._search_arch(lv_env))
        # a translation set from the translation dialog as well
        self.key.update_field_translations("name", {"lv_LV": "Galvenais"})
        self.assertIn(("key", "Galvenais"), self._labels(env=lv_env))
        self.assertIn("Galvenais", self._search_arch(lv_env))
        self.assertEqual(self.key.name, "Key")
