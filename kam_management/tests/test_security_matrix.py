# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Who may do what on every model of the addon, through the ORM and JSON-RPC.

``EXPECTED`` is the access matrix: for every ``kam.*`` model and every role,
four letters ``rcwd`` (read, create, write, delete), ``-`` where the role is
refused. ``SAMPLES`` tells how to make a record of the model. A ``kam.*``
model missing from either dict fails the test: every new model is declared
here. The README's security matrix is printed from ``EXPECTED`` by
``./kam matrix``.

The sample record belongs to the key account ``matrix_account`` of
``kam_user``; ``kam_user_other`` is a KAM User of another account,
``sales_user`` a plain Sales user, ``portal`` a portal user.
"""

import contextlib

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from .common import KamCommon

ROLES = ("kam_user", "kam_user_other", "kam_manager", "sales_user", "portal")
OPERATIONS = ("read", "create", "write", "delete")
LETTERS = dict(zip(OPERATIONS, "rcwd", strict=True))

# model: {role: "rcwd" with "-" for a refused operation}
EXPECTED = {
    "kam.classification.policy": {
        "kam_user": "----",
        "kam_user_other": "----",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
}

# model: {
#   "values": function(case) -> dict of plain (JSON) values creating a record,
#   "write": dict of plain values a write tries,
#   "read": field names a read asks for,
#   "restricted": {field name: roles that may read it} (optional; checked
#                  through read, search_read, export_data and read_group),
# }
SAMPLES = {
    "kam.classification.policy": {
        "values": lambda case: {
            "name": "Matrix policy",
            "company_id": case.env.company.id,
            "basis": "revenue",
        },
        "write": {"period_months": 6},
        "read": ["name", "basis", "period_months"],
    },
}

ACCESS_ERROR = "odoo.exceptions.AccessError"


class _Rollback(Exception):
    pass


@tagged("post_install", "-at_install")
class TestSecurityMatrix(KamCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(
            cls.env,
            login="kam_portal_test",
            name="KAM Portal Test",
            groups="base.group_portal",
        )
        cls.matrix_account = cls.env["res.partner"].create(
            {
                "name": "Matrix Key Account",
                "is_company": True,
                "kam_is_key_account": True,
                "kam_user_id": cls.kam_user.id,
            }
        )

    # --- helpers -------------------------------------------------------------
    def _user(self, role):
        return getattr(self, role)

    def _models(self):
        names = (
            self.env["ir.model"].search([("model", "=like", "kam.%")]).mapped("model")
        )
        return sorted(name for name in names if not self.env[name]._abstract)

    def _sample(self, model):
        return self.env[model].sudo().create(SAMPLES[model]["values"](self))

    def _expected(self, model, role, operation):
        return EXPECTED[model][role][OPERATIONS.index(operation)] != "-"

    @contextlib.contextmanager
    def _rolled_back(self):
        with contextlib.suppress(_Rollback):
            with self.env.cr.savepoint():
                yield
                raise _Rollback
        self.env.invalidate_all()

    def _orm_allowed(self, model, role, operation):
        """Try ``operation`` as ``role`` through the ORM; True if allowed."""
        sample = SAMPLES[model]
        user = self._user(role)
        allowed = True
        with self._rolled_back():
            record = self._sample(model)
            as_user = record.with_user(user)
            try:
                if operation == "read":
                    found = as_user.search([("id", "=", record.id)])
                    as_user.read(sample["read"])
                    allowed = found == as_user
                elif operation == "create":
                    self.env[model].with_user(user).create(sample["values"](self))
                elif operation == "write":
                    as_user.write(sample["write"])
                else:
                    as_user.unlink()
                as_user.env.flush_all()
            except AccessError:
                allowed = False
        return allowed

    def _rpc(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def _rpc_allowed(self, model, role, operation):
        """Try ``operation`` as ``role`` through ``/web/dataset/call_kw``."""
        sample = SAMPLES[model]
        record = self._sample(model)
        self.authenticate(self._user(role).login, self._user(role).login)
        try:
            if operation == "read":
                rows = self._rpc(
                    model, "search_read", [[("id", "=", record.id)], sample["read"]]
                )
                self._rpc(model, "read", [record.ids, sample["read"]])
                return len(rows) == 1
            if operation == "create":
                self._rpc(model, "create", [sample["values"](self)])
            elif operation == "write":
                self._rpc(model, "write", [record.ids, sample["write"]])
            else:
                self._rpc(model, "unlink", [record.ids])
        except JsonRpcException as error:
            if str(error) != ACCESS_ERROR:
                raise
            return False
        return True

    # --- tests ---------------------------------------------------------------
    def test_every_model_is_declared(self):
        models = self._models()
        self.assertIn("kam.classification.policy", models)
        for model in models:
            with self.subTest(model=model):
                self.assertIn(model, EXPECTED, "declare the model in EXPECTED")
                self.assertIn(model, SAMPLES, "declare the model in SAMPLES")
                self.assertEqual(set(EXPECTED[model]), set(ROLES))
                for role, letters in EXPECTED[model].items():
                    self.assertRegex(letters, "^[r-][c-][w-][d-]$", role)
                # every field the addon restricts to groups is declared
                restricted = {
                    name
                    for name, field in self.env[model]._fields.items()
                    if field.groups and field._module == "kam_management"
                }
                self.assertEqual(
                    set(SAMPLES[model].get("restricted", {})),
                    restricted,
                    "declare the fields with groups in SAMPLES[...]['restricted']",
                )
        self.assertFalse(
            set(EXPECTED) - set(models), "EXPECTED names models that do not exist"
        )

    def _check_channel(self, check):
        for model in self._models():
            if model not in EXPECTED or model not in SAMPLES:
                continue  # reported by test_every_model_is_declared
            for role in ROLES:
                for operation in OPERATIONS:
                    with self.subTest(model=model, role=role, operation=operation):
                        self.assertEqual(
                            check(model, role, operation),
                            self._expected(model, role, operation),
                            f"{role} {operation} {model}: not as in EXPECTED",
                        )

    def test_matrix_orm(self):
        self._check_channel(self._orm_allowed)

    def test_matrix_json_rpc(self):
        self._check_channel(self._rpc_allowed)

    def test_restricted_fields(self):
        """Fields readable by some roles only: not through read, search_read,
        export_data or read_group either."""
        for model in self._models():
            restricted = SAMPLES.get(model, {}).get("restricted", {})
            for field_name, readers in restricted.items():
                record = self._sample(model)
                for role in ROLES:
                    if not self._expected(model, role, "read"):
                        continue
                    user = self._user(role)
                    may_read = role in readers
                    with self.subTest(model=model, field=field_name, role=role):
                        self.assertEqual(
                            self._orm_reads_field(record.with_user(user), field_name),
                            may_read,
                        )
                        self.authenticate(user.login, user.login)
                        self._assert_rpc_field(record, field_name, may_read)

    def _orm_reads_field(self, record, field_name):
        try:
            record.read([field_name])
        except AccessError:
            return False
        return True

    def _assert_rpc_field(self, record, field_name, may_read):
        """A reader gets the field through read and search_read; anybody else
        is refused by every call (export_data may also be refused to a reader
        without the export right)."""
        model = record._name
        calls = (
            ("read", [record.ids, [field_name]], {}),
            ("search_read", [[("id", "=", record.id)], [field_name]], {}),
            ("export_data", [record.ids, [field_name]], {}),
            ("read_group", [[], [field_name], [field_name]], {"lazy": False}),
        )
        for method, args, kwargs in calls:
            try:
                self._rpc(model, method, args, kwargs)
            except JsonRpcException as error:
                refused = str(error) in (ACCESS_ERROR, "odoo.exceptions.UserError")
                self.assertTrue(refused, f"{method}: {error}")
                if method in ("read", "search_read"):
                    self.assertFalse(may_read, f"{method} {model}.{field_name}")
            else:
                self.assertTrue(may_read, f"{method} {model}.{field_name}")
