# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Checks of ``./kam install-check``, run in ``odoo shell`` (which gives
``env``); one step per call, named by KAM_CHECK_STEP. The state between the
steps is a JSON file (KAM_CHECK_STATE). KAM_CHECK_ADDON is the addon of the
current tree, KAM_CHECK_PREVIOUS the addon of the previous release (the one
installed before the upgrade)."""

import csv
import json
import os
import sys
from pathlib import Path

from lxml import etree

MODULE = "kam_management"
CORE = {
    "res.partner": [],
    "sale.order": [],
    "account.move": [("move_type", "=", "out_invoice"), ("state", "=", "posted")],
    "crm.lead": [],
}
ACCESS_PERMS = ("perm_read", "perm_write", "perm_create", "perm_unlink")


class CheckFailed(Exception):
    pass


def check(ok, message):
    if not ok:
        raise CheckFailed(message)


def normalize(text):
    return " ".join((text or "").split())


def xml_rules(addon):
    """{xmlid: domain_force} of the record rules in the security files."""
    rules = {}
    for path in sorted(Path(addon, "security").glob("*.xml")):
        for record in etree.parse(str(path)).iter("record"):
            if record.get("model") != "ir.rule":
                continue
            xmlid = record.get("id")
            if "." not in xmlid:
                xmlid = f"{MODULE}.{xmlid}"
            domain = record.find("field[@name='domain_force']")
            rules[xmlid] = None if domain is None else normalize(domain.text)
    return rules


def csv_access(addon):
    """{xmlid: (read, write, create, unlink)} of ir.model.access.csv."""
    path = Path(addon, "security", "ir.model.access.csv")
    with path.open(newline="") as handle:
        return {
            f"{MODULE}.{row['id']}": tuple(row[perm] == "1" for perm in ACCESS_PERMS)
            for row in csv.DictReader(handle)
        }


class Checks:
    def __init__(self, env, step, state):
        self.env = env
        self.step = step
        self.state = state

    def module_state(self):
        module = self.env["ir.module.module"].search([("name", "=", MODULE)])
        return module.state or "absent"

    def module_version(self):
        module = self.env["ir.module.module"].search([("name", "=", MODULE)])
        return module.latest_version

    def core_ids(self):
        return {
            model: self.env[model].with_context(active_test=False).search(domain).ids
            for model, domain in CORE.items()
        }

    def check_core_kept(self):
        now = self.core_ids()
        for model, ids in self.state["core"].items():
            lost = set(ids) - set(now[model])
            check(not lost, f"{len(lost)} {model} records of the database are gone")

    def kam_columns(self):
        self.env.cr.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_name IN ('res_partner', 'res_users')"
            " AND column_name LIKE 'kam%%'"
        )
        return self.env.cr.fetchall()

    def snapshot(self):
        check(self.module_state() != "installed", f"{MODULE} is already installed")
        self.state["core"] = self.core_ids()
        for model, ids in self.state["core"].items():
            check(ids, f"the database has no {model} records to keep")

    def data(self):
        """On the previous release: data of the addon on the existing records."""
        env = self.env
        check(self.module_state() == "installed", f"{MODULE} is not installed")
        previous = os.environ["KAM_CHECK_PREVIOUS_VERSION"]
        check(
            self.module_version() == previous,
            f"the installed release is {self.module_version()}, not {previous}",
        )
        self.check_core_kept()
        move = env["account.move"].browse(self.state["core"]["account.move"][0])
        partner = move.partner_id.commercial_partner_id
        policy = env["kam.classification.policy"].create(
            {"name": "Install check policy"}
        )
        # the classification runs on the invoices the database already had
        run = policy._run_classification()
        check(run.line_ids, "the classification ranked no customer of the invoices")
        measure = "revenue" if policy.basis == "revenue" else "margin"
        check(
            abs(run.total - sum(run.line_ids.mapped(measure))) < 0.01,
            "the total of the run is not the sum of its lines",
        )
        partner.write(
            {"kam_is_key_account": True, "kam_user_id": env.ref("base.user_admin").id}
        )
        alias = env.ref(f"{MODULE}.mail_alias_kam_claim")
        self.state.update(
            policy_id=policy.id,
            partner_id=partner.id,
            alias_contact_before=alias.alias_contact,
        )
        env.cr.commit()

    def upgraded(self):
        """After ``-u`` with the current tree: the release's access rules."""
        env = self.env
        check(self.module_state() == "installed", f"{MODULE} is not installed")
        current = os.environ["KAM_CHECK_VERSION"]
        check(
            self.module_version() == current,
            f"the installed release is {self.module_version()}, not {current}",
        )
        rules = xml_rules(os.environ["KAM_CHECK_ADDON"])
        check(rules, "no record rule in the current security files")
        for xmlid, domain in rules.items():
            rule = env.ref(xmlid, raise_if_not_found=False)
            check(rule, f"rule {xmlid} of the release is missing")
            check(
                domain is None or normalize(rule.domain_force) == domain,
                f"rule {xmlid} kept an old domain: {rule.domain_force!r}"
                f" instead of {domain!r}",
            )
        previous_rules = xml_rules(os.environ["KAM_CHECK_PREVIOUS"])
        removed = sorted(set(previous_rules) - set(rules))
        for xmlid in removed:
            check(
                not env.ref(xmlid, raise_if_not_found=False),
                f"rule {xmlid}, removed from the security files, is still there",
            )
        access = csv_access(os.environ["KAM_CHECK_ADDON"])
        previous_access = csv_access(os.environ["KAM_CHECK_PREVIOUS"])
        for xmlid, perms in access.items():
            row = env.ref(xmlid, raise_if_not_found=False)
            check(row, f"access row {xmlid} is missing")
            check(
                tuple(row[perm] for perm in ACCESS_PERMS) == perms,
                f"access row {xmlid} has other rights than the release's",
            )
        for xmlid in sorted(set(previous_access) - set(access)):
            check(
                not env.ref(xmlid, raise_if_not_found=False),
                f"access row {xmlid}, removed from the release, is still there",
            )
        alias = env.ref(f"{MODULE}.mail_alias_kam_claim")
        check(
            alias.alias_contact == "partners",
            f"the claims alias accepts {alias.alias_contact} (was "
            f"{self.state.get('alias_contact_before')}), not known partners",
        )
        changed = sum(
            1
            for xmlid, domain in rules.items()
            if xmlid in previous_rules and previous_rules[xmlid] != domain
        )
        print(
            f"install-check {self.step}: {len(rules)} rules ({changed} changed, "
            f"{len(set(rules) - set(previous_rules))} new, {len(removed)} removed),"
            f" {len(access)} access rows "
            f"({len(set(access) - set(previous_access))} new), claims alias"
            f" {self.state.get('alias_contact_before')} -> {alias.alias_contact}"
        )

    def kept(self):
        env = self.env
        check(self.module_state() == "installed", f"{MODULE} is not installed")
        self.check_core_kept()
        policy = env["kam.classification.policy"].browse(self.state["policy_id"])
        check(
            policy.exists().name == "Install check policy",
            "the policy is gone after the upgrade",
        )
        partner = env["res.partner"].browse(self.state["partner_id"])
        check(partner.kam_is_key_account, "the key account flag is gone")
        check(
            partner.kam_user_id == env.ref("base.user_admin"),
            "the KAM is gone after the upgrade",
        )

    def uninstall(self):
        self.env["ir.module.module"].search(
            [("name", "=", MODULE)]
        ).button_immediate_uninstall()

    def uninstalled(self):
        env = self.env
        check(
            self.module_state() == "uninstalled", f"{MODULE} is {self.module_state()}"
        )
        self.check_core_kept()
        left = env["ir.model"].search([("model", "=like", "kam.%")]).mapped("model")
        check(not left, f"models left: {left}")
        env.cr.execute(
            "SELECT tablename FROM pg_tables WHERE tablename LIKE 'kam\\_%%'"
        )
        tables = [row[0] for row in env.cr.fetchall()]
        check(not tables, f"tables left: {tables}")
        check(not self.kam_columns(), f"columns left: {self.kam_columns()}")
        env.cr.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname LIKE 'kam\\_%%'"
        )
        indexes = [row[0] for row in env.cr.fetchall()]
        check(not indexes, f"indexes left: {indexes}")
        env.cr.execute(
            "SELECT model, count(*) FROM ir_model_data WHERE module = %s"
            " GROUP BY model ORDER BY model",
            (MODULE,),
        )
        data = env.cr.fetchall()
        check(not data, f"records of the module left: {data}")
        groups = env["res.groups"].search([("name", "in", ("KAM User", "KAM Manager"))])
        check(not groups, "the KAM groups are left")

    def reinstalled(self):
        env = self.env
        check(self.module_state() == "installed", f"{MODULE} is not installed")
        self.check_core_kept()
        check(env.ref(f"{MODULE}.kam_menu_root", raise_if_not_found=False), "no menu")
        check(len(self.kam_columns()) >= 5, "the partner and user columns are missing")
        env.cr.execute("SELECT 1 FROM pg_indexes WHERE indexname LIKE 'kam\\_%%'")
        check(env.cr.fetchall(), "the index on done-activity messages is missing")
        policies = env["kam.classification.policy"].search(
            [("name", "=", "Install check policy")]
        )
        check(not policies, "the policy of the first install came back")


def main(env):
    step = os.environ["KAM_CHECK_STEP"]
    state_path = Path(os.environ["KAM_CHECK_STATE"])
    state = json.loads(state_path.read_text()) if state_path.exists() else {}
    checks = Checks(env, step, state)
    try:
        getattr(checks, step)()
    except CheckFailed as error:
        print(f"install-check {step}: FAILED: {error}")
        sys.exit(1)
    state_path.write_text(json.dumps(state))
    print(f"install-check {step}: ok")


if __name__ == "__main__":
    main(globals()["env"])
