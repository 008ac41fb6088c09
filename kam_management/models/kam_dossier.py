# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import calendar
import logging
from datetime import timedelta

from odoo import api, fields, models

# ir.config_parameter keys of the dossier settings, with their defaults
COMPLETENESS_WEIGHTS = {
    "decision_maker": 20,
    "economic_buyer": 20,
    "coach": 15,
    "non_supporter": 15,
    "personal_data": 15,
    "recent_contact": 15,
}
STALE_DAYS_DEFAULT = 90
_logger = logging.getLogger(__name__)

GREETING_DAYS_DEFAULT = 3
# occasions reminded per call of the daily greeting cron
GREETING_BATCH_SIZE = 500
GREETING_CRON_KEY = "greetings"
PARAM_PREFIX = "kam_management.dossier_"


def _kam_is_birthday(birthdate, day):
    """Whether ``day`` is a birthday of someone born on ``birthdate``; people
    born on 29 February celebrate on 28 February in non-leap years."""
    if (birthdate.month, birthdate.day) == (day.month, day.day):
        return True
    return (
        (birthdate.month, birthdate.day) == (2, 29)
        and (day.month, day.day) == (2, 28)
        and not calendar.isleap(day.year)
    )


class KamDossier(models.Model):
    """The buying group of one key account: who decides, who influences,
    who is for or against us."""

    _name = "kam.dossier"
    _description = "Decision-Maker Dossier"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(related="partner_id.name", store=True, readonly=True)
    active = fields.Boolean(default=True, tracking=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Key Account",
        required=True,
        index=True,
        tracking=True,
        ondelete="cascade",
        check_company=True,
        domain="[('is_company', '=', True)]",
        help="The company whose buying group this dossier describes.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    kam_user_id = fields.Many2one(
        related="partner_id.kam_user_id", store=True, index=True
    )
    kam_deputy_user_id = fields.Many2one(related="partner_id.kam_deputy_user_id")
    member_ids = fields.One2many(
        comodel_name="kam.dossier.member",
        inverse_name="dossier_id",
        string="Members",
    )
    member_count = fields.Integer(compute="_compute_member_count")
    no_opponent_known = fields.Boolean(
        tracking=True,
        help="Tick when the buying group was checked and nobody is against us: "
        "the 'opponents identified' criterion then counts as met.",
    )
    has_decision_maker = fields.Boolean(
        compute="_compute_has_decision_maker",
        store=True,
        help="A member has a role of kind 'Decision maker'.",
    )
    completeness = fields.Float(
        string="Completeness (%)",
        compute="_compute_completeness",
        search="_search_completeness",
        digits=(16, 0),
        help="Sum of the weights of the criteria met, divided by the sum of all "
        "weights (Settings > Key Accounts): decision maker known, economic buyer "
        "known, coach known, at least one non-supporter or opponent identified "
        "(or 'No Opponent Known' ticked), personal data filled for every "
        "high-influence member, contact within the staleness period with every "
        "high-influence member.",
    )
    coaching_gaps = fields.Text(
        compute="_compute_completeness",
        help="What is missing to know the buying group, in words.",
    )
    has_stale_contact = fields.Boolean(
        string="Stale Contacts",
        compute="_compute_completeness",
        search="_search_has_stale_contact",
        help="A high-influence member was not contacted within the staleness "
        "period (default 90 days).",
    )
    relation_ids = fields.Many2many(
        comodel_name="res.partner.relation",
        string="Relations",
        compute="_compute_relation_ids",
        help="Current relations between the members and other people.",
    )
    note = fields.Html()

    _sql_constraints = [
        (
            "partner_uniq",
            "UNIQUE(partner_id)",
            "A key account has one dossier only.",
        ),
    ]

    @api.depends("member_ids")
    def _compute_member_count(self):
        counts = dict(
            self.env["kam.dossier.member"]._read_group(
                [("dossier_id", "in", self.ids)], ["dossier_id"], ["__count"]
            )
        )
        for dossier in self:
            dossier.member_count = counts.get(dossier, 0)

    @api.depends("member_ids.role_id.kind")
    def _compute_has_decision_maker(self):
        for dossier in self:
            dossier.has_decision_maker = "decision_maker" in dossier.member_ids.mapped(
                "role_id.kind"
            )

    @api.model
    def _kam_settings(self):
        """Completeness weights and staleness period from the settings."""
        get = self.env["ir.config_parameter"].sudo().get_param
        weights = {
            key: max(int(get(f"{PARAM_PREFIX}weight_{key}", default)), 0)
            for key, default in COMPLETENESS_WEIGHTS.items()
        }
        stale_days = int(get(f"{PARAM_PREFIX}stale_days", STALE_DAYS_DEFAULT))
        return weights, stale_days

    @api.depends(
        "no_opponent_known",
        "member_ids.role_id.kind",
        "member_ids.attitude",
        "member_ids.influence",
        "member_ids.partner_id",
        "member_ids.last_contact_date",
    )
    def _compute_completeness(self):
        weights, stale_days = self._kam_settings()
        total = sum(weights.values()) or 1
        today = fields.Date.context_today(self)
        members = self.member_ids
        # names, last contact dates and personal data of all members at once
        members.partner_id.mapped("name")
        members.mapped("last_contact_date")
        filled = members.partner_id._kam_personal_data_filled_ids()
        for dossier in self:
            score, gaps, stale = dossier._kam_evaluate(
                weights, stale_days, today, filled
            )
            dossier.completeness = round(100.0 * score / total)
            dossier.coaching_gaps = "\n".join(gaps)
            dossier.has_stale_contact = stale

    def _kam_evaluate(self, weights, stale_days, today, filled_partner_ids):
        """Criteria met by the dossier: (score, gaps in words, stale)."""
        self.ensure_one()
        members = self.member_ids
        kinds = set(members.mapped("role_id.kind"))
        score = 0
        gaps = []
        if "decision_maker" in kinds:
            score += weights["decision_maker"]
        else:
            gaps.append(self.env._("No decision maker identified"))
        if "economic_buyer" in kinds:
            score += weights["economic_buyer"]
        else:
            gaps.append(self.env._("No economic buyer identified"))
        if "coach" in kinds:
            score += weights["coach"]
        else:
            gaps.append(self.env._("No coach"))
        if self.no_opponent_known or {"non_supporter", "opponent"} & set(
            members.mapped("attitude")
        ):
            score += weights["non_supporter"]
        else:
            gaps.append(self.env._("Opponents unknown"))
        top = members.filtered(lambda m: m.influence == "high")
        if not top:
            gaps.append(self.env._("No high-influence member identified"))
        missing = top.filtered(lambda m: m.partner_id.id not in filled_partner_ids)
        if top and not missing:
            score += weights["personal_data"]
        for member in missing:
            gaps.append(
                self.env._(
                    "Personal data missing for %(name)s", name=member.partner_id.name
                )
            )
        stale = False
        for member in top:
            last = member.last_contact_date
            if not last:
                stale = True
                gaps.append(
                    self.env._(
                        "No contact with %(name)s recorded", name=member.partner_id.name
                    )
                )
            elif (today - last).days > stale_days:
                stale = True
                gaps.append(
                    self.env._(
                        "No contact with %(name)s for %(days)s days",
                        name=member.partner_id.name,
                        days=(today - last).days,
                    )
                )
        if top and not stale:
            score += weights["recent_contact"]
        return score, gaps, stale

    def _search_completeness(self, operator, value):
        dossiers = self.search([])
        matching = dossiers.filtered_domain([("completeness", operator, value)])
        return [("id", "in", matching.ids)]

    def _search_has_stale_contact(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Operation not supported."))
        dossiers = self.search([])
        stale = dossiers.filtered("has_stale_contact")
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", stale.ids)]

    @api.depends("member_ids.partner_id")
    @api.depends_context("uid")
    def _compute_relation_ids(self):
        # read with the user's rights: private relations for the personal-data
        # group of the account only (cached per user)
        partners = self.member_ids.partner_id
        relations = self.env["res.partner.relation"].search(
            self._kam_current_relation_domain(partners)
        )
        for dossier in self:
            people = dossier.member_ids.partner_id
            dossier.relation_ids = relations.filtered(
                lambda r, people=people: r.left_partner_id in people
                or r.right_partner_id in people
            )

    def _kam_current_relation_domain(self, partners, type_xmlid=None):
        today = fields.Date.context_today(self)
        domain = [
            "|",
            ("left_partner_id", "in", partners.ids),
            ("right_partner_id", "in", partners.ids),
            "|",
            ("date_start", "=", False),
            ("date_start", "<=", today),
            "|",
            ("date_end", "=", False),
            ("date_end", ">=", today),
        ]
        if type_xmlid:
            domain.append(("type_id", "=", self.env.ref(type_xmlid).id))
        return domain

    def action_kam_open_org_chart(self):
        """The members of this dossier in the hierarchy view: who reports to
        whom; dragging a card onto another one changes Reports To."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Org Chart of %(account)s", account=self.display_name),
            "res_model": "kam.dossier.member",
            "view_mode": "hierarchy,list,form",
            "views": [
                (
                    self.env.ref("kam_management.kam_dossier_member_view_hierarchy").id,
                    "hierarchy",
                ),
                (
                    self.env.ref("kam_management.kam_dossier_member_view_list").id,
                    "list",
                ),
                (
                    self.env.ref("kam_management.kam_dossier_member_view_form").id,
                    "form",
                ),
            ],
            "domain": [("dossier_id", "=", self.id)],
            "context": {"default_dossier_id": self.id},
        }

    # greeting reminders -----------------------------------------------------

    @api.model
    def _kam_occasions(self, members, days):
        """Occasions of ``members`` falling on one of ``days``: a list of
        (member, occasion key, label, date)."""
        holidays = self.env["kam.professional.holiday"].search(
            [("month", "in", list({day.month for day in days}))]
        )
        birthdays = {
            record.partner_id.id: record.kam_birthdate
            for record in self.env["kam.partner.personal"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", members.partner_id.ids),
                    ("kam_birthdate", "!=", False),
                ]
            )
        }
        occasions = []
        for member in members:
            birthdate = birthdays.get(member.partner_id.id)
            for day in days:
                if birthdate and _kam_is_birthday(birthdate, day):
                    occasions.append((member, "birthday", self.env._("Birthday"), day))
            for day in days:
                for holiday in holidays:
                    if (holiday.month, holiday.day) != (day.month, day.day):
                        continue
                    if (holiday.role_id and holiday.role_id == member.role_id) or (
                        holiday.industry_id
                        and holiday.industry_id
                        == member.partner_id.commercial_partner_id.industry_id
                    ):
                        key = f"holiday_{holiday.id}"
                        occasions.append((member, key, holiday.name, day))
        return occasions

    @api.model
    def _kam_greeting_user(self, account, day):
        """Who is reminded of a greeting on ``day`` for a person of
        ``account``: a user who serves the account and holds the personal-data
        group, preferably the one who acts for the account on the day (the
        KAM, or the deputy while the KAM is absent), then the KAM, the deputy
        and the team. Nobody (an empty recordset) without such a user."""
        account = account.commercial_partner_id
        served = account.sudo().kam_served_user_ids
        candidates = (
            account._kam_responsible_user(day)
            | account.kam_user_id
            | account.kam_deputy_user_id
            | account.kam_team_user_ids
        )
        for user in candidates:
            if user in served and user.has_group(
                "kam_management.group_kam_personal_data"
            ):
                return user
        return self.env["res.users"]

    @api.model
    def _cron_kam_greeting_reminders(self):
        """Schedule a 'Greeting' activity for each birthday and professional
        holiday of a dossier member in the next N days, once per occasion.

        A greeting tells a birthday: the activity is on the person's personal
        data record (``kam.partner.personal``), which only the personal-data
        group reads for the accounts it serves, and it goes to such a user
        (``_kam_greeting_user``); an occasion without such a user is not
        reminded (and is tried again on the next run)."""
        get = self.env["ir.config_parameter"].sudo().get_param
        ahead = int(get(f"{PARAM_PREFIX}greeting_days", GREETING_DAYS_DEFAULT))
        today = fields.Date.context_today(self)
        days = [today + timedelta(days=offset) for offset in range(ahead + 1)]
        members = self.env["kam.dossier.member"].search(
            [("dossier_id.active", "=", True), ("partner_id.active", "=", True)]
        )
        occasions = self._kam_occasions(members, days)
        if not occasions:
            return
        Log = self.env["kam.greeting.log"].sudo()
        done = {
            (log.partner_id.id, log.occasion, log.occasion_date)
            for log in Log.search(
                [
                    ("partner_id", "in", members.partner_id.ids),
                    ("occasion_date", ">=", today),
                ]
            )
        }
        activity_type = self.env.ref("kam_management.mail_activity_type_greeting")
        Failure = self.env["kam.cron.failure"]
        failed = Failure._kam_failed_today(GREETING_CRON_KEY, "res.partner")
        todo = []
        for member, key, label, day in occasions:
            partner = member.partner_id
            if (partner.id, key, day) in done or partner.id in failed:
                continue
            user = self._kam_greeting_user(member.dossier_id.partner_id, day)
            if not user:
                continue
            done.add((partner.id, key, day))
            todo.append((partner, key, label, day, user))
        # a batch per call: the logs written tell the next call what is done
        remaining = max(0, len(todo) - GREETING_BATCH_SIZE)
        todo = todo[:GREETING_BATCH_SIZE]
        if not todo:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return
        personal = {
            record.partner_id.id: record
            for record in self.env["kam.partner.personal"]._kam_get_or_create(
                self.env["res.partner"].union(*(item[0] for item in todo))
            )
        }

        def greet(items):
            log_vals = []
            for partner, key, label, day, user in items:
                personal[partner.id].activity_schedule(
                    activity_type_id=activity_type.id,
                    date_deadline=day,
                    user_id=user.id,
                    summary=self.env._(
                        "%(occasion)s: greet %(name)s",
                        occasion=label,
                        name=partner.name,
                    ),
                )
                log_vals.append(
                    {"partner_id": partner.id, "occasion": key, "occasion_date": day}
                )
            Log.create(log_vals)

        try:
            with self.env.cr.savepoint():
                greet(todo)
        except Exception as exc:  # noqa: BLE001 - retried person by person
            _logger.warning("Greeting reminders: batch failed (%s), one by one", exc)
            by_partner = {}
            for item in todo:
                by_partner.setdefault(item[0], []).append(item)
            Failure._kam_run_isolated(
                GREETING_CRON_KEY,
                self.env["res.partner"].union(*by_partner),
                lambda partner: greet(by_partner[partner]),
            )
        Failure._kam_progress(
            "kam_management.ir_cron_kam_greeting_reminders", len(todo), remaining
        )
