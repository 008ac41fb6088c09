# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged
from odoo.tools.sql import index_exists

from .. import uninstall_hook
from ..models.mail_message import ACTIVITY_DATE_INDEX


@tagged("post_install", "-at_install")
class TestKpiIndex(TransactionCase):
    def test_done_activity_index(self):
        """The KPI measures on done activities read mail_message through a
        partial index by activity type and date; uninstalling drops it."""
        cr = self.env.cr
        self.assertTrue(index_exists(cr, ACTIVITY_DATE_INDEX))
        cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
            [ACTIVITY_DATE_INDEX],
        )
        definition = cr.fetchone()[0]
        self.assertIn("(mail_activity_type_id, date)", definition)
        self.assertIn(
            "INCLUDE (author_id, model, res_id, kam_activity_done)", definition
        )
        self.assertIn("WHERE (mail_activity_type_id IS NOT NULL)", definition)
        uninstall_hook(self.env)
        self.assertFalse(index_exists(cr, ACTIVITY_DATE_INDEX))
