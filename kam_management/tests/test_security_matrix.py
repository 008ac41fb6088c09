# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Who may do what on every model of the addon, through the ORM and JSON-RPC.

``EXPECTED`` is the access matrix: for every ``kam.*`` model and every role,
four letters ``rcwd`` (read, create, write, delete), ``-`` where the role is
refused. It is the intended design, taken from the access sections of the
pillar documents (``docs/*.md``): KAM Users work on the records of their own
key accounts (KAM, deputy or KAM-team member) and read the configuration;
tenders are read by every KAM User and edited by their team and the
customer's KAMs; KPI records (targets, results, reports, attestations,
commissions) belong to one user and are seen by the leader of the user's
sales team; KAM Managers do everything on the business records and the
configuration (but for deleting one of the four tiers, which nobody may);
plain salespeople get nothing unless a rule says so; portal users read the
claims of their own company (customer portal) and nothing else. ``SAMPLES``
tells how to make a record of the model. A ``kam.*``
model missing from either dict fails the test: every new model is declared
here. Transient models (wizards) are left out of the matrix: a wizard record
lives for one dialog and is guarded by the access rights of the records its
action touches, which this matrix checks. The README's security matrix is
printed from ``EXPECTED`` by ``./kam matrix``.

The sample record belongs to the key account ``matrix_account`` of
``kam_user`` (or, for per-user records, to ``kam_user``); ``kam_user``
is a member of the sales team led by ``kam_manager``; ``kam_user_other`` is a
KAM User of another account, ``sales_user`` a plain Sales user, ``portal`` a
portal user who is a contact of ``matrix_account``.

``KNOWN_GAPS`` lists the cells where the addon does not behave as designed
(an access bug to fix in the addon, not in this table). Those cells are not
asserted equal to ``EXPECTED``; they are asserted still different, so that a
fix makes the test fail until the entry is removed, and they are listed in
the log at every run.

Every cell is checked through the ORM (``with_user``) and through
``/web/dataset/call_kw``; each call runs in a savepoint rolled back after it.
Fields that the addon restricts with ``groups=`` are checked through
``read``, ``search_read``, ``export_data`` and ``read_group``: those of the
``kam.*`` models (``SAMPLES[...]["restricted"]``: the internal analysis of a
claim) and the
personal data of contacts (``PARTNER_RESTRICTED``), readable only by the
group *KAM: Personal Data*.

``TestSecurityMatrixPartner`` does the same for the ``kam_*`` fields of a key
account (``res.partner``, a core model every employee reads and every
salesperson writes): who reads each field (``PARTNER_KAM_ONLY``: the
commercial figures and the KAM side, KAM users only; ``PARTNER_EMPLOYEES_ONLY``:
the tier, not the customer; the rest: everybody who reads the partner) and who
writes it (``PARTNER_MANAGER_WRITES``: who serves the account, whether it is
key, its classification: KAM Managers only), through the ORM and
``/web/dataset/call_kw``, and what a portal user of the customer reads of its
own company in a real HTTP session.
"""

import contextlib
import itertools
import logging

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from .common import KamCommon

_logger = logging.getLogger(__name__)

ROLES = ("kam_user", "kam_user_other", "kam_manager", "sales_user", "portal")
OPERATIONS = ("read", "create", "write", "delete")
LETTERS = dict(zip(OPERATIONS, "rcwd", strict=True))

# model: {role: "rcwd" with "-" for a refused operation}
EXPECTED = {
    "kam.account.objective": {
        "kam_user": "rcwd",
        "kam_user_other": "----",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.account.plan": {
        "kam_user": "rcw-",
        "kam_user_other": "----",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.account.plan.competitor": {
        "kam_user": "rcwd",
        "kam_user_other": "----",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.attestation": {
        "kam_user": "r---",
        "kam_user_other": "----",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    # the copied KPI results of an attestation: written by its snapshot only
    "kam.attestation.line": {
        "kam_user": "r---",
        "kam_user_other": "----",
        "kam_manager": "r---",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.claim": {
        "kam_user": "rcw-",
        "kam_user_other": "----",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "r---",
    },
    "kam.claim.category": {
        "kam_user": "r---",
        "kam_user_other": "r---",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.claim.severity": {
        "kam_user": "r---",
        "kam_user_other": "r---",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.claim.stage": {
        "kam_user": "r---",
        "kam_user_other": "r---",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.classification.line": {
        "kam_user": "r---",
        "kam_user_other": "r---",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.classification.result": {
        "kam_user": "r---",
        "kam_user_other": "r---",
        "kam_manager": "r---",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.classification.change": {
        "kam_user": "r---",
        "kam_user_other": "r---",
        "kam_manager": "r---",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.classification.policy": {
        "kam_user": "----",
        "kam_user_other": "----",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.classification.run": {
        "kam_user": "r---",
        "kam_user_other": "r---",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.commission.line": {
        "kam_user": "r---",
        "kam_user_other": "----",
        "kam_manager": "r---",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.commission.plan": {
        "kam_user": "r---",
        "kam_user_other": "----",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.commission.plan.step": {
        "kam_user": "r---",
        "kam_user_other": "----",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.commission.plan.tier": {
        "kam_user": "r---",
        "kam_user_other": "----",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.cron.failure": {
        "kam_user": "----",
        "kam_user_other": "----",
        "kam_manager": "r--d",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.deal.role": {
        "kam_user": "rcwd",
        "kam_user_other": "----",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.decision.role": {
        "kam_user": "r---",
        "kam_user_other": "r---",
        "kam_manager": "rcwd",
        "sales_user": "r---",
        "portal": "----",
    },
    "kam.dossier": {
        "kam_user": "rcw-",
        "kam_user_other": "----",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.dossier.member": {
        "kam_user": "rcwd",
        "kam_user_other": "----",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.followup.sequence": {
        "kam_user": "r---",
        "kam_user_other": "r---",
        "kam_manager": "rcwd",
        "sales_user": "r---",
        "portal": "----",
    },
    "kam.followup.step": {
        "kam_user": "r---",
        "kam_user_other": "r---",
        "kam_manager": "rcwd",
        "sales_user": "r---",
        "portal": "----",
    },
    "kam.greeting.log": {
        "kam_user": "----",
        "kam_user_other": "----",
        "kam_manager": "----",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.health.factor": {
        "kam_user": "r---",
        "kam_user_other": "r---",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.health.score": {
        "kam_user": "r---",
        "kam_user_other": "----",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.key.reason": {
        "kam_user": "r---",
        "kam_user_other": "r---",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.kpi.result": {
        "kam_user": "r---",
        "kam_user_other": "----",
        "kam_manager": "r---",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.kpi.rule": {
        "kam_user": "r---",
        "kam_user_other": "r---",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.kpi.target": {
        "kam_user": "r---",
        "kam_user_other": "----",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.monthly.report": {
        "kam_user": "r-w-",
        "kam_user_other": "----",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.partner.key.reason": {
        "kam_user": "r---",
        "kam_user_other": "----",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.partner.personal": {
        "kam_user": "----",
        "kam_user_other": "----",
        "kam_manager": "----",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.personal.data.log": {
        "kam_user": "----",
        "kam_user_other": "----",
        "kam_manager": "----",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.professional.holiday": {
        "kam_user": "r---",
        "kam_user_other": "r---",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.proposal.member": {
        "kam_user": "rcwd",
        "kam_user_other": "----",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.referral": {
        "kam_user": "rcw-",
        "kam_user_other": "----",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.tender": {
        "kam_user": "rcwd",
        "kam_user_other": "r---",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.tender.bid": {
        "kam_user": "rcwd",
        "kam_user_other": "r---",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.tender.document": {
        "kam_user": "rcwd",
        "kam_user_other": "r---",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.tender.document.template": {
        "kam_user": "r---",
        "kam_user_other": "r---",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.tender.document.template.line": {
        "kam_user": "r---",
        "kam_user_other": "r---",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.tender.guarantee": {
        "kam_user": "rcwd",
        "kam_user_other": "r---",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.tender.loss.reason": {
        "kam_user": "r---",
        "kam_user_other": "r---",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.tender.milestone": {
        "kam_user": "rcwd",
        "kam_user_other": "r---",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.tender.milestone.template": {
        "kam_user": "r---",
        "kam_user_other": "r---",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.tender.milestone.template.line": {
        "kam_user": "r---",
        "kam_user_other": "r---",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.tender.procedure": {
        "kam_user": "r---",
        "kam_user_other": "r---",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.tender.stage": {
        "kam_user": "r---",
        "kam_user_other": "r---",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.tier": {
        "kam_user": "r---",
        "kam_user_other": "r---",
        "kam_manager": "rcw-",
        "sales_user": "----",
        "portal": "----",
    },
    "kam.whitespace.cell": {
        "kam_user": "rcw-",
        "kam_user_other": "----",
        "kam_manager": "rcwd",
        "sales_user": "----",
        "portal": "----",
    },
}

# Cells where the addon does not do what EXPECTED says (access bugs to fix in
# the addon): model: (reason, {role: letters of the cells that differ}).
KNOWN_GAPS = {}

# who reads the internal analysis of a claim (not the customer's portal user)
CLAIM_ANALYSTS = ("kam_user", "kam_user_other", "kam_manager")

_SEQ = itertools.count(1)


def _n():
    """A new number for unique names, years and dates of samples."""
    return next(_SEQ)


def _year():
    """A year of samples: each sample lives in its own savepoint, so one year
    does, away from the records of the demo data."""
    return 2050


def _m2m(*ids):
    return [(6, 0, list(ids))]


# model: {
#   "values": function(case) -> dict of plain (JSON) values creating a record,
#   "write": dict of plain values a write tries,
#   "read": field names a read asks for,
#   "restricted": {field name: roles that may read it} (optional; checked
#                  through read, search_read, export_data and read_group),
# }
SAMPLES = {
    "kam.account.objective": {
        "values": lambda case: {
            "name": f"Matrix objective {_n()}",
            "plan_id": case.matrix_plan.id,
            "user_id": case.kam_user.id,
        },
        "write": {"name": "Matrix objective renamed"},
        "read": ["name", "plan_id", "state"],
    },
    "kam.account.plan": {
        "values": lambda case: {
            "partner_id": case.matrix_account.id,
            "year": _year(),
            "company_id": case.env.company.id,
        },
        "write": {"wallet_amount": 1000.0},
        "read": ["partner_id", "year", "state"],
    },
    "kam.account.plan.competitor": {
        "values": lambda case: {
            "plan_id": case.matrix_plan.id,
            "name": f"Matrix competitor {_n()}",
        },
        "write": {"name": "Matrix competitor renamed"},
        "read": ["plan_id", "name"],
    },
    "kam.attestation": {
        "values": lambda case: {
            "user_id": case.kam_user.id,
            "date_from": f"{_year()}-01-01",
            "date_to": "2099-06-30",
        },
        "write": {"decision_conditions": "Matrix conditions"},
        "read": ["user_id", "date_from", "date_to", "state"],
    },
    "kam.attestation.line": {
        "values": lambda case: {
            "attestation_id": case.env["kam.attestation"]
            .sudo()
            .create(SAMPLES["kam.attestation"]["values"](case))
            .id,
            "rule_name": "Matrix KPI rule",
            "value": 3.0,
            "target": 4.0,
        },
        "write": {"value": 5.0},
        "read": ["attestation_id", "rule_name", "value", "target"],
    },
    "kam.claim": {
        "values": lambda case: {
            "name": f"Matrix claim {_n()}",
            "partner_id": case.matrix_account.id,
            "user_id": case.kam_user.id,
        },
        "write": {"name": "Matrix claim renamed"},
        "read": ["name", "partner_id", "stage_id"],
        # the internal analysis, not for the customer on the portal
        "restricted": {
            "root_cause": CLAIM_ANALYSTS,
            "measures": CLAIM_ANALYSTS,
            "satisfied": CLAIM_ANALYSTS,
        },
    },
    "kam.claim.category": {
        "values": lambda case: {"name": f"Matrix category {_n()}"},
        "write": {"sequence": 5},
        "read": ["name", "sequence"],
    },
    "kam.claim.severity": {
        "values": lambda case: {"name": f"Matrix severity {_n()}"},
        "write": {"sequence": 5},
        "read": ["name", "sequence"],
    },
    "kam.claim.stage": {
        "values": lambda case: {"name": f"Matrix stage {_n()}"},
        "write": {"sequence": 5},
        "read": ["name", "sequence"],
    },
    "kam.classification.line": {
        "values": lambda case: {
            "run_id": case.matrix_run.id,
            "company_id": case.env.company.id,
            "run_date": "2026-01-31",
            "partner_id": case.matrix_account.id,
        },
        "write": {"run_date": "2026-02-28"},
        "read": ["run_id", "partner_id", "run_date"],
    },
    "kam.classification.result": {
        "values": lambda case: {
            "policy_id": case.matrix_policy.id,
            "company_id": case.env.company.id,
            "partner_id": case.matrix_account.id,
            "amount": 10.0,
        },
        "write": {"amount": 20.0},
        "read": ["policy_id", "partner_id", "amount"],
    },
    "kam.classification.change": {
        "values": lambda case: {
            "run_id": case.matrix_run.id,
            "company_id": case.env.company.id,
            "run_date": "2026-01-31",
            "partner_id": case.matrix_account.id,
            "change_type": "new_key",
        },
        "write": {"new_share": 12.0},
        "read": ["run_id", "partner_id", "change_type", "share_delta"],
    },
    "kam.classification.policy": {
        "values": lambda case: {
            "name": "Matrix policy",
            "company_id": case.env.company.id,
            "basis": "revenue",
        },
        "write": {"period_months": 6},
        "read": ["name", "basis", "period_months"],
    },
    "kam.classification.run": {
        "values": lambda case: {
            "policy_id": case.matrix_policy.id,
            "company_id": case.env.company.id,
            # another day than matrix_run: one run per policy and day
            "date": "2025-12-31",
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
            "basis": "revenue",
        },
        "write": {"period_end": "2025-12-30"},
        "read": ["policy_id", "period_start", "period_end", "basis"],
    },
    "kam.commission.line": {
        "values": lambda case: {
            "plan_id": case._commission_plan().id,
            "user_id": case.kam_user.id,
            "move_id": case.matrix_invoice_line.move_id.id,
            "move_line_id": case.matrix_invoice_line.id,
        },
        "write": {"base_amount": 10.0},
        "read": ["plan_id", "user_id", "move_id", "state"],
    },
    "kam.commission.plan": {
        "values": lambda case: {
            "name": f"Matrix commission plan {_n()}",
            "company_id": case.env.company.id,
            "user_ids": _m2m(case.kam_user.id),
        },
        "write": {"name": "Matrix commission plan renamed"},
        "read": ["name", "basis", "user_ids"],
    },
    "kam.commission.plan.step": {
        "values": lambda case: {
            "plan_id": case._commission_plan().id,
            "from_attainment": float(_n()),
            "multiplier": 1.5,
        },
        "write": {"multiplier": 2.0},
        "read": ["plan_id", "from_attainment", "multiplier"],
    },
    "kam.commission.plan.tier": {
        "values": lambda case: {
            "plan_id": case._commission_plan().id,
            "from_amount": float(_n()),
            "rate": 5.0,
        },
        "write": {"rate": 6.0},
        "read": ["plan_id", "from_amount", "rate"],
    },
    "kam.cron.failure": {
        "values": lambda case: {
            "cron_key": "health",
            "res_model": "res.partner",
            "res_id": case.matrix_contact.id,
            "record_name": "Matrix contact",
            "error": "ValueError: matrix",
        },
        "write": {"error": "ValueError: other"},
        "read": ["cron_key", "record_name", "error"],
    },
    "kam.deal.role": {
        "values": lambda case: {
            "lead_id": case.matrix_lead.id,
            "partner_id": case.matrix_contact.id,
            "influence": "high",
        },
        "write": {"influence": "low"},
        "read": ["lead_id", "partner_id", "influence"],
    },
    "kam.decision.role": {
        "values": lambda case: {"name": f"Matrix decision role {_n()}"},
        "write": {"sequence": 5},
        "read": ["name", "kind"],
    },
    "kam.dossier": {
        "values": lambda case: {
            "partner_id": case._account().id,
            "company_id": case.env.company.id,
        },
        "write": {"active": True},
        "read": ["partner_id", "member_ids"],
    },
    "kam.dossier.member": {
        "values": lambda case: {
            "dossier_id": case.matrix_dossier.id,
            "partner_id": case._contact().id,
        },
        "write": {"attitude": "supporter"},
        "read": ["dossier_id", "partner_id", "attitude"],
    },
    "kam.followup.sequence": {
        "values": lambda case: {
            "name": f"Matrix follow-up {_n()}",
            "company_id": case.env.company.id,
        },
        "write": {"sequence": 5},
        "read": ["name", "scope"],
    },
    "kam.followup.step": {
        "values": lambda case: {
            "sequence_id": case.matrix_followup.id,
            "summary": f"Matrix step {_n()}",
        },
        "write": {"summary": "Matrix step renamed"},
        "read": ["sequence_id", "summary"],
    },
    "kam.greeting.log": {
        "values": lambda case: {
            "partner_id": case.matrix_contact.id,
            "occasion": "birthday",
            "occasion_date": f"{_year()}-05-05",
        },
        "write": {"occasion_date": "1999-05-05"},
        "read": ["partner_id", "occasion", "occasion_date"],
    },
    "kam.health.factor": {
        "values": lambda case: {
            "code": "overdue",
            "name": f"Matrix factor {_n()}",
            "company_id": case.env.company.id,
            "good_value": 0.0,
            "bad_value": 90.0,
        },
        "write": {"weight": 2.0},
        "read": ["code", "name", "weight"],
    },
    "kam.health.score": {
        "values": lambda case: {
            "partner_id": case.matrix_account.id,
            "company_id": case.env.company.id,
            "date": f"{_year()}-01-01",
            "colour": "green",
            "score": 80.0,
        },
        "write": {"score": 50.0},
        "read": ["partner_id", "date", "score", "colour"],
    },
    "kam.key.reason": {
        "values": lambda case: {"name": f"Matrix key reason {_n()}"},
        "write": {"sequence": 5},
        "read": ["name", "sequence"],
    },
    "kam.kpi.result": {
        "values": lambda case: {
            "rule_id": case.matrix_kpi_rule.id,
            "user_id": case.kam_user.id,
            "company_id": case.env.company.id,
            "period": "month",
            "date_from": f"{_year()}-01-01",
            "date_to": "2099-01-31",
        },
        "write": {"date_to": "2099-01-30"},
        "read": ["rule_id", "user_id", "date_from", "status"],
    },
    "kam.kpi.rule": {
        "values": lambda case: {
            "name": f"Matrix KPI rule {_n()}",
            "company_id": case.env.company.id,
            "target": 10.0,
            "user_ids": _m2m(case.kam_user.id),
        },
        "write": {"target": 20.0},
        "read": ["name", "measure", "target"],
        # why the cron could not evaluate the rule: for the managers who fix it
        "restricted": {"last_error": ("kam_manager",)},
    },
    "kam.kpi.target": {
        "values": lambda case: (
            lambda year: {
                "rule_id": case.matrix_kpi_rule.id,
                "user_id": case.kam_user.id,
                "date_from": f"{year}-01-01",
                "date_to": f"{year}-12-31",
                "target": 5.0,
            }
        )(_year()),
        "write": {"target": 6.0},
        "read": ["rule_id", "user_id", "target"],
    },
    "kam.monthly.report": {
        "values": lambda case: (
            lambda year: {
                "user_id": case.kam_user.id,
                "company_id": case.env.company.id,
                "date_from": f"{year}-01-01",
                "date_to": f"{year}-01-31",
            }
        )(_year()),
        "write": {"comments": "<p>Matrix month</p>"},
        "read": ["user_id", "date_from", "state", "comments"],
    },
    "kam.partner.key.reason": {
        "values": lambda case: {
            "partner_id": case.matrix_account.id,
            "reason_id": case._key_reason().id,
        },
        "write": {"note": "Matrix note"},
        "read": ["partner_id", "reason_id", "note"],
    },
    "kam.partner.personal": {
        "values": lambda case: {
            "partner_id": case._contact().id,
            "kam_hobbies": "Chess",
        },
        "write": {"kam_hobbies": "Golf"},
        "read": ["partner_id", "kam_hobbies", "kam_birthdate"],
    },
    "kam.personal.data.log": {
        "values": lambda case: {
            "partner_id": case.matrix_contact.id,
            "user_id": case.kam_user.id,
            "field_names": "kam_hobbies",
        },
        "write": {"field_names": "kam_family"},
        "read": ["partner_id", "user_id", "field_names"],
    },
    "kam.professional.holiday": {
        "values": lambda case: {
            "name": f"Matrix holiday {_n()}",
            "month": 5,
            "day": 5,
            "role_id": case.matrix_decision_role.id,
        },
        "write": {"day": 6},
        "read": ["name", "month", "day"],
    },
    "kam.proposal.member": {
        "values": lambda case: {
            "order_id": case.matrix_order.id,
            "user_id": case.kam_user.id,
            "role": "Pricing",
        },
        "write": {"role": "Solution design"},
        "read": ["order_id", "user_id", "role"],
    },
    "kam.referral": {
        "values": lambda case: {
            "name": f"Matrix referral {_n()}",
            "partner_id": case.matrix_account.id,
            "company_id": case.env.company.id,
            "user_id": case.kam_user.id,
        },
        "write": {"name": "Matrix referral renamed"},
        "read": ["name", "partner_id", "kind"],
    },
    "kam.tender": {
        "values": lambda case: {
            "name": f"Matrix tender {_n()}",
            "company_id": case.env.company.id,
            "partner_id": case.matrix_account.id,
            "user_id": case.kam_user.id,
            "team_user_ids": _m2m(case.kam_user.id),
        },
        "write": {"name": "Matrix tender renamed"},
        "read": ["name", "partner_id", "stage_id"],
    },
    "kam.tender.bid": {
        "values": lambda case: {
            "tender_id": case.matrix_tender.id,
            "partner_id": case.matrix_competitor.id,
            "currency_id": case.env.company.currency_id.id,
            "amount": 1000.0,
        },
        "write": {"amount": 900.0},
        "read": ["tender_id", "partner_id", "amount"],
    },
    "kam.tender.document": {
        "values": lambda case: {
            "tender_id": case.matrix_tender.id,
            "name": f"Matrix document {_n()}",
        },
        "write": {"note": "Matrix note"},
        "read": ["tender_id", "name", "note"],
    },
    "kam.tender.document.template": {
        "values": lambda case: {"name": f"Matrix document template {_n()}"},
        "write": {"name": "Matrix document template renamed"},
        "read": ["name"],
    },
    "kam.tender.document.template.line": {
        "values": lambda case: {
            "template_id": case.matrix_document_template.id,
            "name": f"Matrix document line {_n()}",
        },
        "write": {"name": "Matrix document line renamed"},
        "read": ["template_id", "name"],
    },
    "kam.tender.guarantee": {
        "values": lambda case: {
            "tender_id": case.matrix_tender.id,
            "amount": 100.0,
        },
        "write": {"name": "MATRIX-G-1"},
        "read": ["tender_id", "amount", "name"],
    },
    "kam.tender.loss.reason": {
        "values": lambda case: {"name": f"Matrix loss reason {_n()}"},
        "write": {"name": "Matrix loss reason renamed"},
        "read": ["name"],
    },
    "kam.tender.milestone": {
        "values": lambda case: {
            "tender_id": case.matrix_tender.id,
            "name": f"Matrix milestone {_n()}",
            "date": "2099-03-01",
        },
        "write": {"note": "Matrix note"},
        "read": ["tender_id", "name", "date"],
    },
    "kam.tender.milestone.template": {
        "values": lambda case: {"name": f"Matrix milestone template {_n()}"},
        "write": {"name": "Matrix milestone template renamed"},
        "read": ["name"],
    },
    "kam.tender.milestone.template.line": {
        "values": lambda case: {
            "template_id": case.matrix_milestone_template.id,
            "name": f"Matrix milestone line {_n()}",
            "offset_days": 5,
        },
        "write": {"offset_days": 6},
        "read": ["template_id", "name", "offset_days"],
    },
    "kam.tender.procedure": {
        "values": lambda case: {"name": f"Matrix procedure {_n()}"},
        "write": {"name": "Matrix procedure renamed"},
        "read": ["name"],
    },
    "kam.tender.stage": {
        "values": lambda case: {"name": f"Matrix tender stage {_n()}"},
        "write": {"name": "Matrix tender stage renamed"},
        "read": ["name"],
    },
    "kam.tier": {
        "values": lambda case: {"code": case._free_tier_code(), "name": "Matrix tier"},
        "write": {"name": "Matrix tier renamed"},
        "read": ["name", "code", "sequence"],
    },
    "kam.whitespace.cell": {
        "values": lambda case: {
            "partner_id": case.matrix_account.id,
            "unit_id": case.matrix_account.id,
            "categ_id": case._categ().id,
            "company_id": case.env.company.id,
        },
        "write": {"note": "Matrix note"},
        "read": ["partner_id", "unit_id", "categ_id", "status"],
    },
}

# Fields of core models that the addon restricts with ``groups=``: the
# confidential personal data of contacts, for the group KAM: Personal Data
# only (role "kam_personal": a KAM User with that group).
PARTNER_RESTRICTED = (
    "kam_birthdate",
    "kam_hobbies",
    "kam_family",
    "kam_values",
    "kam_character_traits",
    "kam_preferred_channel",
    "kam_preferred_time",
    "kam_personal_notes",
)

# The kam_* fields of a key account (``res.partner``), read and written by
# every role through the ORM and ``/web/dataset/call_kw``:
# - commercial figures and what only the KAM side works with: read by KAM
#   users only (``groups=``), never by a plain salesperson or the customer;
PARTNER_KAM_ONLY = (
    "kam_revenue",
    "kam_margin",
    "kam_revenue_share",
    "kam_abc_class",
    "kam_dependence_level",
    "kam_last_classified",
    "kam_pin_reason",
    "kam_health_score",
    "kam_health_colour",
    "kam_health_date",
    "kam_health_last_id",
    "kam_health_score_ids",
    "kam_service_level_note",
    "kam_classification_line_ids",
    "kam_classification_result_ids",
    "kam_key_for_my_team",
    "kam_key_for_me",
    "kam_is_loss_making",
    "kam_reason_line_ids",
    "kam_reason_ids",
    "kam_account_plan_ids",
    "kam_account_plan_count",
    "kam_dossier_member_ids",
    "kam_dossier_id",
    "kam_tender_count",
    "kam_tender_won_count",
    "kam_tender_lost_count",
    "kam_tender_win_rate",
    "kam_claim_ids",
    "kam_claim_count",
    "kam_referral_ids",
    "kam_referral_count",
    "kam_whitespace_cell_ids",
    "kam_whitespace_editable",
    "kam_crosssell_suggestion_ids",
)
# - the tier: read by every employee, not by the customer's portal users;
PARTNER_EMPLOYEES_ONLY = ("kam_tier", "kam_tier_color")
# - who serves the account, whether it is key and its classification:
#   written by KAM Managers only (sample values that change the account);
PARTNER_MANAGER_WRITES = {
    "kam_user_id": lambda case, user: user.id,
    "kam_deputy_user_id": lambda case, user: user.id,
    "kam_team_user_ids": lambda case, user: [(4, user.id)],
    "kam_is_key_account": lambda case, user: False,
    "kam_tier": lambda case, user: "regular",
    "kam_pin": lambda case, user: "not_key",
    "kam_pin_reason": lambda case, user: "Matrix pin",
    "kam_revenue": lambda case, user: 1.0,
    "kam_margin": lambda case, user: 1.0,
    "kam_revenue_share": lambda case, user: 99.0,
    "kam_abc_class": lambda case, user: "C",
    "kam_dependence_level": lambda case, user: "mono",
    "kam_last_classified": lambda case, user: "2000-01-01",
    "kam_is_loss_making": lambda case, user: True,
}
# - other fields a user edits on the form: the KAM side (service level note)
#   or every employee who may edit contacts (the rest);
PARTNER_KAM_WRITES = {"kam_service_level_note": "Matrix service"}
PARTNER_EMPLOYEE_WRITES = {
    "kam_buys_through_tenders": True,
    "kam_is_competitor": True,
    "kam_buying_unit": True,
}
KAM_ROLES = ("kam_user", "kam_user_other", "kam_manager")
EMPLOYEE_ROLES = (*KAM_ROLES, "sales_user")

ACCESS_ERROR = "odoo.exceptions.AccessError"


class _Rollback(Exception):
    pass


@tagged("post_install", "-at_install")
class TestSecurityMatrix(KamCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.portal = new_test_user(
            env,
            login="kam_portal_test",
            name="KAM Portal Test",
            groups="base.group_portal",
        )
        cls.kam_personal = new_test_user(
            env,
            login="kam_personal_test",
            name="KAM Personal Data Test",
            groups="kam_management.group_kam_user,"
            "kam_management.group_kam_personal_data",
        )
        cls.matrix_account = env["res.partner"].create(
            {
                "name": "Matrix Key Account",
                "is_company": True,
                "kam_is_key_account": True,
                "kam_user_id": cls.kam_user.id,
            }
        )
        cls.matrix_contact = cls._contact()
        # the portal user is a contact of the key account: it reads the
        # account's claims (and nothing else of the addon)
        cls.portal.partner_id.parent_id = cls.matrix_account
        # the KAM Manager leads the sales team of the KAM User
        env["crm.team"].create(
            {
                "name": "Matrix KAM team",
                "user_id": cls.kam_manager.id,
                "member_ids": _m2m(cls.kam_user.id),
            }
        )
        cls.matrix_plan = env["kam.account.plan"].create(
            {"partner_id": cls.matrix_account.id, "year": 2000}
        )
        cls.matrix_dossier = env["kam.dossier"].create(
            {"partner_id": cls.matrix_account.id}
        )
        cls.matrix_policy = env["kam.classification.policy"].create(
            {"name": "Matrix run policy", "basis": "revenue"}
        )
        cls.matrix_run = env["kam.classification.run"].create(
            {
                "policy_id": cls.matrix_policy.id,
                "period_start": "2025-01-01",
                "period_end": "2025-12-31",
                "basis": "revenue",
            }
        )
        cls.matrix_kpi_rule = env["kam.kpi.rule"].create(
            {
                "name": "Matrix KPI rule",
                "target": 10.0,
                "user_ids": _m2m(cls.kam_user.id),
            }
        )
        cls.matrix_invoice_line = env["account.move.line"].search(
            [
                ("move_id.move_type", "=", "out_invoice"),
                ("move_id.state", "=", "posted"),
                ("display_type", "=", "product"),
                ("company_id", "=", env.company.id),
            ],
            limit=1,
        )
        cls.matrix_order = env["sale.order"].create(
            {"partner_id": cls.matrix_account.id, "user_id": cls.kam_user.id}
        )
        cls.matrix_lead = env["crm.lead"].create(
            {
                "name": "Matrix opportunity",
                "type": "opportunity",
                "partner_id": cls.matrix_account.id,
                "user_id": cls.kam_user.id,
            }
        )
        cls.matrix_decision_role = env["kam.decision.role"].create(
            {"name": "Matrix holiday role"}
        )
        cls.matrix_followup = env["kam.followup.sequence"].create(
            {"name": "Matrix follow-up sequence"}
        )
        cls.matrix_competitor = env["res.partner"].create(
            {"name": "Matrix Competitor", "is_company": True, "kam_is_competitor": True}
        )
        cls.matrix_tender = env["kam.tender"].create(
            {
                "name": "Matrix tender",
                "partner_id": cls.matrix_account.id,
                "user_id": cls.kam_user.id,
                "team_user_ids": _m2m(cls.kam_user.id),
            }
        )
        cls.matrix_document_template = env["kam.tender.document.template"].create(
            {"name": "Matrix document template"}
        )
        cls.matrix_milestone_template = env["kam.tender.milestone.template"].create(
            {"name": "Matrix milestone template"}
        )
        # one active health factor per code and company: the sample is the one
        env["kam.health.factor"].search([]).active = False

    # --- sample prerequisites (as superuser) ---------------------------------
    @classmethod
    def _contact(cls):
        return cls.env["res.partner"].create(
            {"name": f"Matrix Contact {_n()}", "parent_id": cls.matrix_account.id}
        )

    def _account(self):
        """Another key account of ``kam_user``."""
        return self.env["res.partner"].create(
            {
                "name": f"Matrix Key Account {_n()}",
                "is_company": True,
                "kam_is_key_account": True,
                "kam_user_id": self.kam_user.id,
            }
        )

    def _commission_plan(self):
        """The commission plan of ``kam_user`` (one active plan per user)."""
        return self.env["kam.commission.plan"].create(
            {"name": f"Matrix plan {_n()}", "user_ids": _m2m(self.kam_user.id)}
        )

    def _key_reason(self):
        return self.env["kam.key.reason"].create({"name": f"Matrix reason {_n()}"})

    def _free_tier_code(self):
        """A tier code without its record, for a new ``kam.tier``: the four
        codes always have one, and the ORM deletes none."""
        self.env.cr.execute("DELETE FROM kam_tier WHERE code = 'regular'")
        self.env["kam.tier"].invalidate_model()
        return "regular"

    def _categ(self):
        return self.env["product.category"].create({"name": f"Matrix {_n()}"})

    # --- helpers -------------------------------------------------------------
    def _user(self, role):
        return getattr(self, role)

    def _models(self):
        """Every ``kam.*`` model but the abstract and the transient ones."""
        names = (
            self.env["ir.model"].search([("model", "=like", "kam.%")]).mapped("model")
        )
        return sorted(
            name
            for name in names
            if not self.env[name]._abstract and not self.env[name]._transient
        )

    def _sample(self, model):
        return self.env[model].sudo().create(SAMPLES[model]["values"](self))

    def _expected(self, model, role, operation):
        return EXPECTED[model][role][OPERATIONS.index(operation)] != "-"

    def _gap(self, model, role, operation):
        cells = KNOWN_GAPS.get(model, ("", {}))[1]
        return LETTERS[operation] in cells.get(role, "")

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
            if operation == "create":
                values = sample["values"](self)
            else:
                record = self._sample(model)
                as_user = record.with_user(user)
            try:
                if operation == "read":
                    found = as_user.search([("id", "=", record.id)])
                    as_user.read(sample["read"])
                    allowed = found == as_user
                elif operation == "create":
                    self.env[model].with_user(user).create(values)
                elif operation == "write":
                    as_user.write(sample["write"])
                else:
                    as_user.unlink()
                self.env.flush_all()
            except AccessError:
                allowed = False
        return allowed

    def _rpc(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def _rpc_allowed(self, model, role, operation):
        """Try ``operation`` as ``role`` through ``/web/dataset/call_kw``
        (the session of ``role`` is opened by ``_check_channel``)."""
        sample = SAMPLES[model]
        with self._rolled_back():
            if operation == "create":
                values = sample["values"](self)
            else:
                record = self._sample(model)
            self.env.flush_all()
            try:
                if operation == "read":
                    rows = self._rpc(
                        model, "search_read", [[("id", "=", record.id)], sample["read"]]
                    )
                    self._rpc(model, "read", [record.ids, sample["read"]])
                    return len(rows) == 1
                if operation == "create":
                    self._rpc(model, "create", [values])
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
        for model, (reason, cells) in KNOWN_GAPS.items():
            with self.subTest(gap=model):
                self.assertIn(model, EXPECTED)
                self.assertTrue(reason)
                self.assertLessEqual(set(cells), set(ROLES))
        partner_restricted = {
            name
            for name, field in self.env["res.partner"]._fields.items()
            if field.groups == "kam_management.group_kam_personal_data"
            and field.type != "one2many"
        }
        self.assertEqual(set(PARTNER_RESTRICTED), partner_restricted)

    def _check_channel(self, check, open_session=None):
        """Every cell of EXPECTED through ``check``; all the differences are
        reported at once."""
        models = [model for model in self._models() if model in SAMPLES]
        problems = []
        for role in ROLES:
            if open_session:
                open_session(role)
            for model in models:
                if model not in EXPECTED:
                    continue  # reported by test_every_model_is_declared
                for operation in OPERATIONS:
                    cell = f"{model} {role} {operation}"
                    expected = self._expected(model, role, operation)
                    try:
                        allowed = check(model, role, operation)
                    except Exception as error:  # noqa: BLE001 - reported below
                        problems.append(f"{cell}: {type(error).__name__} {error}")
                        continue
                    if self._gap(model, role, operation):
                        if allowed == expected:
                            problems.append(
                                f"{cell}: as designed now, remove it from KNOWN_GAPS"
                            )
                    elif allowed != expected:
                        problems.append(
                            f"{cell}: {'allowed' if allowed else 'refused'}, "
                            "not as in EXPECTED"
                        )
        for model, (reason, cells) in sorted(KNOWN_GAPS.items()):
            _logger.info("known access gap: %s %s: %s", model, cells, reason)
        self.assertFalse(problems, "\n".join(problems))

    def test_matrix_orm(self):
        self._check_channel(self._orm_allowed)

    def test_matrix_json_rpc(self):
        def open_session(role):
            login = self._user(role).login
            self.authenticate(login, login)

        self._check_channel(self._rpc_allowed, open_session)

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

    def test_restricted_partner_fields(self):
        """The personal data of a contact of the key account: only the group
        KAM: Personal Data reads it (for the accounts its user serves), not
        even the KAM or the KAM Manager."""
        self.matrix_account.kam_team_user_ids |= self.kam_personal
        self.matrix_contact.write(
            {name: False for name in PARTNER_RESTRICTED}
            | {"kam_hobbies": "Sailing", "kam_birthdate": "1980-05-05"}
        )
        for role in (*ROLES, "kam_personal"):
            user = self._user(role)
            may_read = role == "kam_personal"
            self.authenticate(user.login, user.login)
            for field_name in PARTNER_RESTRICTED:
                with self.subTest(field=field_name, role=role):
                    self.assertEqual(
                        self._orm_reads_field(
                            self.matrix_contact.with_user(user), field_name
                        ),
                        may_read,
                    )
                    self._assert_rpc_field(self.matrix_contact, field_name, may_read)
        as_reader = self.matrix_contact.with_user(self.kam_personal)
        self.assertEqual(as_reader.kam_hobbies, "Sailing")

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


@tagged("post_install", "-at_install")
class TestSecurityMatrixPartner(KamCommon, HttpCase):
    """The ``kam_*`` fields of a key account (``res.partner``): who reads and
    who writes each of them, through the ORM and ``/web/dataset/call_kw``,
    and what a portal user of the customer gets through a real session."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.portal = new_test_user(
            env,
            login="kam_portal_partner_test",
            name="KAM Portal Partner Test",
            groups="base.group_portal",
        )
        cls.account = env["res.partner"].create(
            {
                "name": "Matrix Partner Account",
                "is_company": True,
                "kam_is_key_account": True,
                "kam_tier": "strategic",
                "kam_user_id": cls.kam_user.id,
                "kam_service_level_note": "Matrix VIP",
            }
        )
        env.flush_all()
        cls.account.sudo().write(
            {
                "kam_revenue": 1000,
                "kam_margin": 400,
                "kam_revenue_share": 40,
                "kam_abc_class": "A",
                "kam_dependence_level": "critical",
                "kam_last_classified": fields.Date.today(),
                "kam_pin_reason": "Matrix reason",
            }
        )
        cls.portal.partner_id.parent_id = cls.account

    def _user(self, role):
        return getattr(self, role)

    def _kam_fields(self):
        """Every kam_* field the addon adds to res.partner, but the personal
        data (``PARTNER_RESTRICTED``, checked by ``TestSecurityMatrix``)."""
        return sorted(
            name
            for name, field in self.env["res.partner"]._fields.items()
            if name.startswith("kam_")
            and field._module == "kam_management"
            and name not in PARTNER_RESTRICTED
            and field.groups != "kam_management.group_kam_personal_data"
        )

    def _readers(self, fname):
        if fname in PARTNER_KAM_ONLY:
            return KAM_ROLES
        if fname in PARTNER_EMPLOYEES_ONLY:
            return EMPLOYEE_ROLES
        return ROLES

    def _write_values(self, role):
        values = {
            fname: make(self, self._taker(role))
            for fname, make in PARTNER_MANAGER_WRITES.items()
        }
        return values | PARTNER_KAM_WRITES | PARTNER_EMPLOYEE_WRITES

    def _taker(self, role):
        """The user a role tries to give the account to (never its KAM)."""
        return self.kam_user_other if role == "kam_user" else self._user(role)

    def _writers(self, fname):
        if fname in PARTNER_MANAGER_WRITES:
            return ("kam_manager",)
        if fname in PARTNER_KAM_WRITES:
            return KAM_ROLES
        return EMPLOYEE_ROLES

    @contextlib.contextmanager
    def _rolled_back(self):
        with contextlib.suppress(_Rollback):
            with self.env.cr.savepoint():
                yield
                raise _Rollback
        self.env.invalidate_all()

    def _rpc(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def _orm_reads(self, user, fname):
        try:
            self.account.with_user(user).read([fname])
        except AccessError:
            return False
        return True

    def _rpc_reads(self, fname):
        try:
            self._rpc("res.partner", "read", [self.account.ids, [fname]])
        except JsonRpcException as error:
            if str(error) != ACCESS_ERROR:
                raise
            return False
        return True

    def _orm_writes(self, user, fname, value):
        with self._rolled_back():
            try:
                self.account.with_user(user).write({fname: value})
                self.env.flush_all()
            except AccessError:
                return False
        return True

    def _rpc_writes(self, fname, value):
        with self._rolled_back():
            self.env.flush_all()
            try:
                self._rpc("res.partner", "write", [self.account.ids, {fname: value}])
            except JsonRpcException as error:
                if str(error) != ACCESS_ERROR:
                    raise
                return False
        return True

    def test_declared(self):
        """Every field of the tables exists; every kam_* field the addon
        restricts to KAM users is declared in PARTNER_KAM_ONLY."""
        fields = self.env["res.partner"]._fields
        declared = (
            *PARTNER_KAM_ONLY,
            *PARTNER_EMPLOYEES_ONLY,
            *PARTNER_MANAGER_WRITES,
            *PARTNER_KAM_WRITES,
            *PARTNER_EMPLOYEE_WRITES,
        )
        self.assertFalse([name for name in declared if name not in fields])
        restricted = {
            name
            for name in self._kam_fields()
            if fields[name].groups == "kam_management.group_kam_user"
        }
        self.assertEqual(restricted, set(PARTNER_KAM_ONLY))

    def test_partner_read(self):
        problems = []
        for role in ROLES:
            user = self._user(role)
            self.authenticate(user.login, user.login)
            for fname in self._kam_fields():
                expected = role in self._readers(fname)
                for channel, allowed in (
                    ("orm", self._orm_reads(user, fname)),
                    ("rpc", self._rpc_reads(fname)),
                ):
                    if allowed != expected:
                        problems.append(
                            f"res.partner.{fname} {role} read {channel}: "
                            f"{'allowed' if allowed else 'refused'}"
                        )
        self.assertFalse(problems, "\n".join(problems))

    def test_partner_write(self):
        problems = []
        for role in ROLES:
            user = self._user(role)
            self.authenticate(user.login, user.login)
            for fname, value in self._write_values(role).items():
                expected = role in self._writers(fname)
                for channel, allowed in (
                    ("orm", self._orm_writes(user, fname, value)),
                    ("rpc", self._rpc_writes(fname, value)),
                ):
                    if allowed != expected:
                        problems.append(
                            f"res.partner.{fname} {role} write {channel}: "
                            f"{'allowed' if allowed else 'refused'}"
                        )
        self.assertFalse(problems, "\n".join(problems))
        self.assertEqual(self.account.kam_user_id, self.kam_user)

    def test_portal_session_reads_no_figure(self):
        """A portal user of the customer, in a real HTTP session, reads its
        commercial partner but none of our figures about it."""
        self.authenticate(self.portal.login, self.portal.login)
        account = self.portal.partner_id.commercial_partner_id
        self.assertEqual(account, self.account)
        rows = self._rpc("res.partner", "read", [account.ids, ["name"]])
        self.assertEqual(rows[0]["name"], "Matrix Partner Account")
        # the fields it is told about and their values: no figure among them
        # (a read of all fields is refused to portal users by Odoo itself:
        # bank accounts)
        hidden = {*PARTNER_KAM_ONLY, *PARTNER_EMPLOYEES_ONLY}
        described = self._rpc("res.partner", "fields_get", [], {"attributes": ["type"]})
        self.assertFalse(set(described) & hidden)
        kam_fields = [name for name in described if name.startswith("kam_")]
        self.assertIn("kam_is_key_account", kam_fields)
        rows = self._rpc("res.partner", "read", [account.ids, kam_fields])
        self.assertFalse(set(rows[0]) & hidden)
        self.assertTrue(rows[0]["kam_is_key_account"])
        for fname in (*PARTNER_KAM_ONLY, *PARTNER_EMPLOYEES_ONLY):
            with self.subTest(field=fname):
                with self.assertRaises(JsonRpcException) as caught:
                    self._rpc("res.partner", "read", [account.ids, [fname]])
                self.assertEqual(str(caught.exception), ACCESS_ERROR)
