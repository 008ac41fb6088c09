# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_amount

from ..tools import kpi_periods

# Herfindahl-Hirschman index bands of the U.S. Department of Justice and FTC
# (Horizontal Merger Guidelines 2010): below 1500 unconcentrated, 1500 to
# 2500 moderately concentrated, above 2500 highly concentrated
HHI_MODERATE = 1500
HHI_HIGH = 2500
# days ahead for the tender deadlines of the cockpit
TENDER_DAYS = 30
# rows of a list tile (the figures count every record, the rows show the first)
ROW_LIMIT = 10
PARETO_LIMIT = 10
HEALTH_FALL_LIMIT = 5


def hhi_reading(env, hhi):
    """(level, reading) of a Herfindahl-Hirschman index."""
    if hhi > HHI_HIGH:
        return "danger", env._("high concentration")
    if hhi >= HHI_MODERATE:
        return "warning", env._("moderate concentration")
    return "success", env._("unconcentrated")


def top1_reading(env, share, critical, mono):
    """(level, reading) of the largest customer's share against the policy's
    critical and mono-client thresholds (strictly above, like the dependence
    level of a customer)."""
    if share > mono:
        return "danger", env._("mono-client")
    if share > critical:
        return "warning", env._("critical dependence")
    return "success", env._("no critical dependence")


def group_share_reading(env, share, low, high, mono):
    """(level, reading) of the combined share of a group of the largest
    customers (the top 5) against the policy's key-share range."""
    if share > mono:
        return "danger", env._("mono-dependence")
    if share > high:
        return "warning", env._("above the normal range")
    if share < low:
        return "info", env._("below the normal range")
    return "success", env._("normal")


KEY_SHARE_LEVELS = {
    "low": "info",
    "normal": "success",
    "high": "warning",
    "mono": "danger",
}


class KamCockpit(models.AbstractModel):
    """The landing page of the app: the figures a director or a KAM decides
    on, each with a reading and the records behind it. Read with the rights
    of the user; every tile costs a fixed number of queries, whatever the
    number of accounts (docs/cockpit.md)."""

    _name = "kam.cockpit"
    _description = "Key Account Cockpit"

    @api.model
    def get_cockpit_data(self, view=None):
        """The tiles of the cockpit of the current user. ``view``:
        ``director`` (KAM Managers; their default) or ``kam`` (the accounts
        the user serves; the default of a KAM user)."""
        if not self.env.user.has_group("kam_management.group_kam_user"):
            raise AccessError(
                self.env._("The key account cockpit is for KAM users only.")
            )
        is_manager = self.env.user.has_group("kam_management.group_kam_manager")
        view = view or ("director" if is_manager else "kam")
        if view not in ("director", "kam"):
            raise UserError(self.env._("Unknown cockpit view %(view)s.", view=view))
        if view == "director" and not is_manager:
            raise AccessError(
                self.env._(
                    "The director's cockpit is for KAM Managers: %(user)s sees "
                    "the cockpit of the accounts they serve.",
                    user=self.env.user.name,
                )
            )
        today = fields.Date.context_today(self)
        if view == "director":
            tiles = self._kam_director_tiles(today)
        else:
            tiles = self._kam_kam_tiles(today)
        return {
            "view": view,
            "can_switch": is_manager,
            "company": self.env.company.name,
            "date": str(today),
            "tiles": tiles,
        }

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    @api.model
    def _kam_view_id(self, xmlid):
        # ir.model.data lookups are cached: no query after the first call
        return self.env["ir.model.data"]._xmlid_to_res_id(
            xmlid, raise_if_not_found=False
        )

    @api.model
    def _kam_action(self, name, model, domain, views=None, context=None):
        """A window action opening the records of ``model`` matching
        ``domain`` (plain data: the client opens it with doAction)."""
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "domain": domain,
            "views": views or [[False, "list"], [False, "form"]],
            "context": context or {},
            "target": "current",
        }

    @api.model
    def _kam_partner_action(self, name, domain):
        list_id = self._kam_view_id("kam_management.res_partner_view_list_keyaccounts")
        return self._kam_action(
            name,
            "res.partner",
            domain,
            views=[[list_id or False, "list"], [False, "form"]],
        )

    @api.model
    def _kam_record_action(self, name, model, res_id):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "res_id": res_id,
            "views": [[False, "form"]],
            "target": "current",
        }

    @api.model
    def _kam_key_domain(self):
        return [("parent_id", "=", False), ("kam_is_key_account", "=", True)]

    @api.model
    def _kam_served_domain(self):
        return [("kam_served_user_ids", "in", self.env.uid)]

    @api.model
    def _kam_count_tile(
        self, key, title, model, domain, reading, reading_none, level, action
    ):
        """A tile showing one count: a single ``COUNT(*)`` of the records of
        ``model`` matching ``domain`` that the user may read. ``reading``
        when there are some (``level`` as colour), ``reading_none`` (success)
        when there are none; ``action`` names the window opening them."""
        count = self.env[model].search_count(domain)
        return {
            "key": key,
            "title": title,
            "value": str(count),
            "raw": {"count": count},
            "reading": reading if count else reading_none,
            "level": level if count else "success",
            "action": self._kam_action(action, model, domain),
        }

    @api.model
    def _kam_delta(self, value, previous):
        if previous is None:
            return None
        return round(value - previous, 2)

    @api.model
    def _kam_open_tender_domain(self):
        return [
            ("stage_id.outcome", "=", "open"),
            ("stage_id.is_submitted", "=", False),
        ]

    @api.model
    def _kam_health_trends(self, partner_ids=None, falls_only=False, limit=None):
        """Latest and previous health score of the key accounts of the
        current company: [(partner_id, score, previous_score)], one query
        (the scores the user may read: record rules apply). With
        ``falls_only``, only the accounts whose score fell, largest fall
        first."""
        domain = [("company_id", "=", self.env.company.id)]
        if partner_ids is not None:
            domain.append(("partner_id", "in", partner_ids))
        query = self.env["kam.health.score"]._search(domain)
        self.env["kam.health.score"].flush_model(
            ["partner_id", "company_id", "date", "score"]
        )
        self.env.cr.execute(
            SQL(
                """
            WITH s AS (
                SELECT partner_id, score,
                       ROW_NUMBER() OVER (PARTITION BY partner_id
                                          ORDER BY date DESC, id DESC) AS n
                  FROM kam_health_score
                 WHERE id IN %(scores)s
            )
            SELECT cur.partner_id, cur.score, prev.score
              FROM s cur
         LEFT JOIN s prev ON prev.partner_id = cur.partner_id AND prev.n = 2
             WHERE cur.n = 1 %(falls)s
          ORDER BY %(order)s
             %(limit)s
                """,
                scores=query.subselect(),
                falls=SQL("AND cur.score < prev.score") if falls_only else SQL(),
                order=SQL("cur.score - prev.score, cur.partner_id")
                if falls_only
                else SQL("cur.partner_id"),
                limit=SQL("LIMIT %s", limit) if limit else SQL(),
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _kam_kpi_rows(self, today, user_ids=None):
        """KPI results of the periods running today, per user: {user:
        {"on_pace": n, "behind": n, "results": [...]}}. Fixed number of
        queries (results, their rules)."""
        domain = [("date_from", "<=", today), ("date_to", ">=", today)]
        if user_ids is not None:
            domain.append(("user_id", "in", user_ids))
        results = self.env["kam.kpi.result"].search_fetch(
            domain,
            ["user_id", "rule_id", "attainment", "status", "date_from", "date_to"],
            order="user_id, rule_id, id",
        )
        by_user = {}
        for result in results:
            share = kpi_periods.elapsed_share(result.date_from, result.date_to, today)
            colour = kpi_periods.rag(
                result.attainment, result.status, share, result.direction
            )
            row = by_user.setdefault(
                result.user_id, {"on_pace": 0, "behind": 0, "results": []}
            )
            row["on_pace" if colour == "green" else "behind"] += 1
            row["results"].append(
                {
                    "id": result.id,
                    "label": result.rule_id.display_name,
                    "attainment": round(result.attainment, 1),
                    "pace": round(100.0 * share, 1),
                    "colour": colour,
                }
            )
        return by_user

    # ------------------------------------------------------------------
    # director
    # ------------------------------------------------------------------
    @api.model
    def _kam_decider_run(self):
        """Last run of the deciding policy of the current company."""
        deciders = self.env["kam.classification.policy"]._kam_deciders()
        decider = deciders.filtered(lambda p: p.company_id == self.env.company)
        if not decider:
            return self.env["kam.classification.run"]
        return self.env["kam.classification.run"].search(
            [("policy_id", "=", decider[:1].id), ("is_last", "=", True)], limit=1
        )

    @api.model
    def _kam_director_tiles(self, today):
        env = self.env
        tiles = []
        run = self._kam_decider_run()
        if run:
            tiles += self._kam_run_tiles(run)
        tiles.append(self._kam_tile_tiers())
        tiles.append(self._kam_tile_unassigned())
        tiles.append(self._kam_tile_health())
        tiles.append(self._kam_tile_health_falls())
        tiles.append(self._kam_tile_tenders(today))
        tiles.append(self._kam_tile_milestones(today))
        tiles.append(self._kam_tile_kpi_team(today))
        tiles.append(self._kam_tile_claims(today))
        if not run:
            tiles.insert(
                0,
                {
                    "key": "no_run",
                    "title": env._("Concentration"),
                    "value": "-",
                    "reading": env._(
                        "The deciding classification policy of %(company)s has "
                        "not run yet.",
                        company=env.company.name,
                    ),
                    "level": "info",
                    "action": self._kam_action(
                        env._("Classification Policies"),
                        "kam.classification.policy",
                        [],
                    ),
                },
            )
        return tiles

    @api.model
    def _kam_run_tiles(self, run):
        env = self.env
        policy = run.policy_id
        previous = run.previous_run_id
        currency = run.currency_id
        lines_domain = [("run_id", "=", run.id)]
        [(revenue, margin)] = env["kam.classification.line"]._read_group(
            lines_domain, [], ["revenue:sum", "margin:sum"]
        )
        revenue, margin = revenue or 0.0, margin or 0.0
        period = env._(
            "%(start)s - %(end)s", start=run.period_start, end=run.period_end
        )
        lines_action = self._kam_action(
            env._("Customers of %(run)s", run=run.name),
            "kam.classification.line",
            lines_domain,
        )
        run_action = self._kam_record_action(run.name, "kam.classification.run", run.id)

        def prev(fname):
            return previous[fname] if previous else None

        tiles = [
            {
                "key": "revenue",
                "title": env._("Revenue and Margin"),
                "value": format_amount(env, revenue, currency),
                "raw": {"revenue": revenue, "margin": margin},
                "values": [
                    {
                        "label": env._("Margin"),
                        "value": format_amount(env, margin, currency),
                    }
                ],
                "reading": env._("Period %(period)s", period=period),
                "level": "info",
                "action": lines_action,
            }
        ]
        level, reading = top1_reading(
            env, run.top1_share, policy.critical_threshold, policy.mono_threshold
        )
        tiles.append(
            {
                "key": "top1",
                "title": env._("Largest Customer's Share"),
                "value": f"{run.top1_share:.2f} %",
                "raw": {"share": run.top1_share},
                "subtitle": run.top1_partner_id.display_name or "",
                "reading": reading,
                "level": level,
                "delta": self._kam_delta(run.top1_share, prev("top1_share")),
                "action": self._kam_record_action(
                    run.top1_partner_id.display_name or run.name,
                    "res.partner",
                    run.top1_partner_id.id,
                )
                if run.top1_partner_id
                else run_action,
            }
        )
        level, reading = group_share_reading(
            env,
            run.top5_share,
            policy.key_share_low,
            policy.key_share_high,
            policy.key_share_mono,
        )
        tiles.append(
            {
                "key": "top5",
                "title": env._("Top-5 Share"),
                "value": f"{run.top5_share:.2f} %",
                "raw": {"share": run.top5_share},
                "reading": reading,
                "level": level,
                "delta": self._kam_delta(run.top5_share, prev("top5_share")),
                "action": self._kam_action(
                    env._("Five largest customers of %(run)s", run=run.name),
                    "kam.classification.line",
                    lines_domain + [("rank", "!=", False), ("rank", "<=", 5)],
                ),
            }
        )
        level, reading = hhi_reading(env, run.hhi)
        tiles.append(
            {
                "key": "hhi",
                "title": env._("Concentration (HHI)"),
                "value": f"{run.hhi:,.0f}",
                "raw": {"hhi": run.hhi},
                "reading": reading,
                "level": level,
                "delta": self._kam_delta(run.hhi, prev("hhi")),
                "action": run_action,
            }
        )
        readings = dict(run._fields["key_share_reading"]._description_selection(env))
        tiles.append(
            {
                "key": "key_share",
                "title": env._("Key Accounts' Share"),
                "value": f"{run.key_share:.2f} %",
                "raw": {"share": run.key_share, "reading": run.key_share_reading},
                "reading": readings.get(run.key_share_reading, ""),
                "level": KEY_SHARE_LEVELS.get(run.key_share_reading, "info"),
                "delta": self._kam_delta(run.key_share, prev("key_share")),
                "action": self._kam_action(
                    env._("Key accounts of %(run)s", run=run.name),
                    "kam.classification.line",
                    lines_domain + [("is_key", "=", True)],
                ),
            }
        )
        lines = env["kam.classification.line"].search_fetch(
            lines_domain + [("rank", "!=", False)],
            ["partner_id", "rank", "share", "cumulative_share"],
            order="rank",
            limit=PARETO_LIMIT,
        )
        tiles.append(
            {
                "key": "pareto",
                "title": env._("Pareto: Largest Customers"),
                "value": str(run.customer_count),
                "reading": env._(
                    "%(count)s ranked customers, the first %(shown)s named",
                    count=run.customer_count,
                    shown=len(lines),
                ),
                "level": "info",
                "wide": True,
                "action": self._kam_action(
                    env._("Pareto: %(run)s", run=run.name),
                    "kam.classification.line",
                    lines_domain + [("rank", "!=", False)],
                ),
                "rows": [
                    {
                        "label": line.partner_id.display_name,
                        "rank": line.rank,
                        "share": round(line.share, 2),
                        "cumulative": round(line.cumulative_share, 2),
                        "action": self._kam_record_action(
                            line.partner_id.display_name,
                            "res.partner",
                            line.partner_id.id,
                        ),
                    }
                    for line in lines
                ],
            }
        )
        return tiles

    @api.model
    def _kam_tile_tiers(self):
        env = self.env
        Partner = env["res.partner"]
        domain = self._kam_key_domain()
        groups = Partner._read_group(
            domain, ["kam_tier", "kam_dependence_level"], ["__count"]
        )
        tiers = dict(Partner._fields["kam_tier"]._description_selection(env))
        levels = dict(
            Partner._fields["kam_dependence_level"]._description_selection(env)
        )
        rows = []
        total = 0
        for tier, level, count in groups:
            total += count
            rows.append(
                {
                    "label": env._(
                        "%(tier)s, %(level)s",
                        tier=tiers.get(tier, env._("No tier")),
                        level=levels.get(level, env._("no dependence level")),
                    ),
                    "count": count,
                    "action": self._kam_partner_action(
                        env._("Key accounts"),
                        domain
                        + [
                            ("kam_tier", "=", tier or False),
                            ("kam_dependence_level", "=", level or False),
                        ],
                    ),
                }
            )
        return {
            "key": "tiers",
            "title": env._("Key Accounts by Tier and Dependence"),
            "value": str(total),
            "raw": {"count": total},
            "reading": env._("%(count)s key accounts", count=total),
            "level": "info",
            "action": self._kam_partner_action(env._("Key Accounts"), domain),
            "rows": rows,
        }

    @api.model
    def _kam_tile_unassigned(self):
        env = self.env
        domain = self._kam_key_domain() + [("kam_user_id", "=", False)]
        tile = self._kam_count_tile(
            "unassigned",
            env._("Unassigned Key Accounts"),
            "res.partner",
            domain,
            env._("without a key account manager"),
            env._("every key account has a KAM"),
            "danger",
            env._("Key accounts without a KAM"),
        )
        # open them in the key accounts' list
        tile["action"] = self._kam_partner_action(tile["action"]["name"], domain)
        return tile

    @api.model
    def _kam_tile_health(self):
        env = self.env
        Partner = env["res.partner"]
        domain = self._kam_key_domain()
        counts = dict(Partner._read_group(domain, ["kam_health_colour"], ["__count"]))
        colours = dict(Partner._fields["kam_health_colour"]._description_selection(env))
        rows = []
        for colour in ("red", "amber", "green", False):
            rows.append(
                {
                    "label": colours.get(colour, env._("No score")),
                    "colour": colour or "none",
                    "count": counts.get(colour, 0),
                    "action": self._kam_partner_action(
                        env._(
                            "Key accounts: health %(colour)s",
                            colour=colours.get(colour, env._("no score")),
                        ),
                        domain + [("kam_health_colour", "=", colour)],
                    ),
                }
            )
        red = counts.get("red", 0)
        return {
            "key": "health",
            "title": env._("Health of the Key Accounts"),
            "value": str(red),
            "raw": {colour or "none": counts.get(colour, 0) for colour in colours}
            | {"none": counts.get(False, 0)},
            "reading": env._("%(count)s in red", count=red),
            "level": "danger" if red else "success",
            "action": self._kam_partner_action(env._("Key Accounts"), domain),
            "rows": rows,
        }

    @api.model
    def _kam_tile_health_falls(self):
        env = self.env
        falls = self._kam_health_trends(falls_only=True, limit=HEALTH_FALL_LIMIT)
        partners = env["res.partner"].browse([row[0] for row in falls])
        names = {p.id: p.display_name for p in partners}
        rows = [
            {
                "label": names[pid],
                "score": round(score, 1),
                "previous": round(previous, 1),
                "delta": round(score - previous, 1),
                "action": self._kam_record_action(names[pid], "res.partner", pid),
            }
            for pid, score, previous in falls
        ]
        return {
            "key": "health_falls",
            "title": env._("Largest Health Falls"),
            "value": str(len(rows)),
            "reading": env._("accounts whose last score fell the most")
            if rows
            else env._("no health score fell"),
            "level": "warning" if rows else "success",
            "action": self._kam_action(
                env._("Health Scores"),
                "kam.health.score",
                [("partner_id", "in", partners.ids)],
            ),
            "rows": rows,
        }

    @api.model
    def _kam_tile_tenders(self, today, extra_domain=None):
        env = self.env
        domain = (
            self._kam_open_tender_domain()
            + [
                ("date_submission", ">=", today),
                ("date_submission", "<=", today + timedelta(days=TENDER_DAYS)),
            ]
            + (extra_domain or [])
        )
        rows, count = self._kam_tender_rows(domain)
        return {
            "key": "tenders",
            "title": env._("Tender Deadlines (next %(days)s days)", days=TENDER_DAYS),
            "value": str(count),
            "raw": {"count": count},
            "reading": env._(
                "bids to submit by %(date)s", date=today + timedelta(days=TENDER_DAYS)
            ),
            "level": "warning" if count else "success",
            "action": self._kam_action(
                env._("Tender deadlines"),
                "kam.tender",
                domain,
            ),
            "rows": [
                {
                    "label": name,
                    "subtitle": partner_name or "",
                    "date": str(date_submission),
                    "action": self._kam_record_action(name, "kam.tender", tender_id),
                }
                for tender_id, name, date_submission, partner_name in rows
            ],
        }

    @api.model
    def _kam_tender_rows(self, domain):
        """The first tenders matching ``domain`` that the user may read (id,
        name, deadline, customer's name) and the number of all of them, in
        one statement: the count is a window over the whole match, taken
        before the limit; the customer's name is its stored complete name,
        so the statement does not depend on what the cache already holds."""
        Tender = self.env["kam.tender"]
        Tender.flush_model(["name", "date_submission", "partner_id"])
        self.env["res.partner"].flush_model(["complete_name"])
        query = Tender._search(domain, limit=ROW_LIMIT, order=Tender._order)
        partner = query.left_join(
            query.table, "partner_id", "res_partner", "id", "partner_id"
        )
        self.env.cr.execute(
            query.select(
                SQL.identifier(query.table, "id"),
                SQL.identifier(query.table, "name"),
                SQL.identifier(query.table, "date_submission"),
                SQL.identifier(partner, "complete_name"),
                SQL("COUNT(*) OVER ()"),
            )
        )
        rows = self.env.cr.fetchall()
        return [row[:4] for row in rows], rows[0][4] if rows else 0

    @api.model
    def _kam_milestone_domain(self, today):
        return [
            ("done", "=", False),
            ("date", "<", today),
            ("tender_id.stage_id.outcome", "=", "open"),
        ]

    @api.model
    def _kam_tile_milestones(self, today):
        env = self.env
        return self._kam_count_tile(
            "milestones",
            env._("Overdue Milestones"),
            "kam.tender.milestone",
            self._kam_milestone_domain(today),
            env._("milestones of open tenders past their date"),
            env._("no milestone is overdue"),
            "danger",
            env._("Overdue milestones"),
        )

    @api.model
    def _kam_tile_kpi_team(self, today):
        env = self.env
        by_user = self._kam_kpi_rows(today)
        rows = []
        behind_users = 0
        for user, row in sorted(by_user.items(), key=lambda item: item[0].name):
            behind_users += bool(row["behind"])
            rows.append(
                {
                    "label": user.name,
                    "on_pace": row["on_pace"],
                    "behind": row["behind"],
                    "reading": env._("behind") if row["behind"] else env._("on pace"),
                    "action": self._kam_action(
                        env._("KPI results of %(user)s", user=user.name),
                        "kam.kpi.result",
                        [
                            ("user_id", "=", user.id),
                            ("date_from", "<=", today),
                            ("date_to", ">=", today),
                        ],
                    ),
                }
            )
        return {
            "key": "kpi_team",
            "title": env._("KPI Attainment per KAM"),
            "value": str(behind_users),
            "raw": {"behind_users": behind_users},
            "reading": env._(
                "%(behind)s of %(count)s behind pace",
                behind=behind_users,
                count=len(rows),
            ),
            "level": "warning" if behind_users else "success",
            "action": self._kam_action(
                env._("KPI results of the running periods"),
                "kam.kpi.result",
                [("date_from", "<=", today), ("date_to", ">=", today)],
            ),
            "rows": rows,
        }

    @api.model
    def _kam_tile_claims(self, today):
        env = self.env
        return self._kam_count_tile(
            "claims",
            env._("Overdue Claims"),
            "kam.claim",
            [("is_closed", "=", False), ("date_due", "<", today)],
            env._("open claims past their due date"),
            env._("no claim is overdue"),
            "danger",
            env._("Overdue claims"),
        )

    # ------------------------------------------------------------------
    # KAM
    # ------------------------------------------------------------------
    @api.model
    def _kam_kam_tiles(self, today):
        tiles = [
            self._kam_tile_my_accounts(),
            self._kam_tile_my_overdue(today),
            self._kam_tile_tenders(
                today,
                [
                    "|",
                    "|",
                    ("user_id", "=", self.env.uid),
                    ("team_user_ids", "in", self.env.uid),
                    ("partner_id.kam_served_user_ids", "in", self.env.uid),
                ],
            ),
        ]
        if self.env.user.has_group("kam_management.group_kam_personal_data"):
            tiles.append(self._kam_tile_greetings(today))
        tiles.append(self._kam_tile_my_kpi(today))
        return tiles

    @api.model
    def _kam_tile_my_accounts(self):
        env = self.env
        Partner = env["res.partner"]
        domain = self._kam_key_domain() + self._kam_served_domain()
        count = Partner.search_count(domain)
        partners = Partner.search_fetch(
            domain,
            ["display_name", "kam_health_score", "kam_health_colour"],
            order="name, id",
            limit=ROW_LIMIT,
        )
        trends = {
            pid: (score, previous)
            for pid, score, previous in self._kam_health_trends(
                partner_ids=partners.ids
            )
        }
        next_dates = dict(
            env["mail.activity"]._read_group(
                [("res_model", "=", "res.partner"), ("res_id", "in", partners.ids)],
                ["res_id"],
                ["date_deadline:min"],
            )
        )
        rows = []
        for partner in partners:
            score, previous = trends.get(partner.id, (None, None))
            if score is None or previous is None:
                trend = "flat"
            elif score > previous:
                trend = "up"
            elif score < previous:
                trend = "down"
            else:
                trend = "flat"
            next_date = next_dates.get(partner.id)
            rows.append(
                {
                    "label": partner.display_name,
                    "score": round(partner.kam_health_score, 1)
                    if partner.kam_health_colour
                    else None,
                    "colour": partner.kam_health_colour or "none",
                    "trend": trend,
                    "next_activity": str(next_date) if next_date else "",
                    "action": self._kam_record_action(
                        partner.display_name, "res.partner", partner.id
                    ),
                }
            )
        return {
            "key": "my_accounts",
            "title": env._("My Key Accounts"),
            "value": str(count),
            "raw": {"count": count},
            "reading": env._("%(count)s accounts I serve", count=count),
            "level": "info",
            "wide": True,
            "action": self._kam_partner_action(env._("My key accounts"), domain),
            "rows": rows,
        }

    @api.model
    def _kam_tile_my_overdue(self, today):
        env = self.env
        activity_domain = [
            ("user_id", "=", env.uid),
            ("date_deadline", "<", today),
        ]
        activities = env["mail.activity"].search_count(activity_domain)
        milestone_domain = self._kam_milestone_domain(today) + [
            ("user_id", "=", env.uid)
        ]
        milestones = env["kam.tender.milestone"].search_count(milestone_domain)
        total = activities + milestones
        return {
            "key": "my_overdue",
            "title": env._("My Overdue Work"),
            "value": str(total),
            "raw": {"activities": activities, "milestones": milestones},
            "reading": env._(
                "%(activities)s activities, %(milestones)s tender milestones",
                activities=activities,
                milestones=milestones,
            ),
            "level": "danger" if total else "success",
            "action": self._kam_action(
                env._("My overdue activities"), "mail.activity", activity_domain
            ),
            "rows": [
                {
                    "label": env._("Overdue activities"),
                    "count": activities,
                    "action": self._kam_action(
                        env._("My overdue activities"),
                        "mail.activity",
                        activity_domain,
                    ),
                },
                {
                    "label": env._("Overdue tender milestones"),
                    "count": milestones,
                    "action": self._kam_action(
                        env._("My overdue milestones"),
                        "kam.tender.milestone",
                        milestone_domain,
                    ),
                },
            ],
        }

    @api.model
    def _kam_tile_greetings(self, today):
        """Greeting reminders of the user still open: activities on the
        personal data records, which only the personal-data group reads."""
        env = self.env
        activity_type_id = self._kam_view_id(
            "kam_management.mail_activity_type_greeting"
        )
        return self._kam_count_tile(
            "greetings",
            env._("Greetings Due"),
            "mail.activity",
            [
                ("user_id", "=", env.uid),
                ("res_model", "=", "kam.partner.personal"),
                ("activity_type_id", "=", activity_type_id or False),
            ],
            env._("birthdays and professional holidays to greet"),
            env._("no greeting due"),
            "warning",
            env._("Greetings due"),
        )

    @api.model
    def _kam_tile_my_kpi(self, today):
        env = self.env
        row = self._kam_kpi_rows(today, user_ids=[env.uid]).get(
            env.user, {"on_pace": 0, "behind": 0, "results": []}
        )
        domain = [
            ("user_id", "=", env.uid),
            ("date_from", "<=", today),
            ("date_to", ">=", today),
        ]
        return {
            "key": "my_kpi",
            "title": env._("My KPIs against Pace"),
            "value": str(row["behind"]),
            "raw": {"on_pace": row["on_pace"], "behind": row["behind"]},
            "reading": env._(
                "%(on_pace)s on pace, %(behind)s behind",
                on_pace=row["on_pace"],
                behind=row["behind"],
            ),
            "level": "warning" if row["behind"] else "success",
            "action": self._kam_action(
                env._("My KPI results"), "kam.kpi.result", domain
            ),
            "rows": [
                {
                    "label": result["label"],
                    "attainment": result["attainment"],
                    "pace": result["pace"],
                    "colour": result["colour"],
                    "action": self._kam_record_action(
                        result["label"], "kam.kpi.result", result["id"]
                    ),
                }
                for result in row["results"]
            ],
        }
