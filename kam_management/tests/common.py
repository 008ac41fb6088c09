# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon


class KamCommon(BaseCommon):
    """Users of every KAM role, shared by the test classes of the addon."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kam_user = new_test_user(
            cls.env,
            login="kam_user_test",
            name="KAM User Test",
            groups="kam_management.group_kam_user",
        )
        cls.kam_user_other = new_test_user(
            cls.env,
            login="kam_user_other_test",
            name="KAM User Other",
            groups="kam_management.group_kam_user",
        )
        cls.kam_manager = new_test_user(
            cls.env,
            login="kam_manager_test",
            name="KAM Manager Test",
            groups="kam_management.group_kam_manager",
        )
        cls.sales_user = new_test_user(
            cls.env,
            login="sales_user_test",
            name="Sales User Test",
            groups="sales_team.group_sale_salesman",
        )
