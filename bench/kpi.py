# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Benchmark of the KPI evaluation (not a test).

Creates a throw-away database, installs ``kam_management`` and Odoo's
``gamification`` (only here: it is no dependency of the addon), inserts users,
done activities (messages), quotations e-mails, sales orders and posted
invoices over the last month with SQL, then times for all users:

1. the evaluation of the shipped rules (current and last closed period);
2. hand-written SQL computing the same values (checked equal);
3. the same targets as Odoo gamification goals (batch mode) updated with
   ``update_goal()``, against our evaluation of the same rules and periods.

Prints seconds, ratios and query counts. Usage (from the repository root)::

    python bench/kpi.py --odoo-src ~/odoo/18.0 --users 500 --messages 1000000

``--template`` copies an existing database with the Sales, CRM and Invoicing
apps installed instead of installing them (faster); ``--keep`` keeps the
database (with its data, without results); ``--reuse`` measures again on a
database kept that way, without creating or inserting anything. The
database is dropped at the end otherwise.
"""

import argparse
import os
import subprocess
import sys
import time
from datetime import date, datetime, timedelta

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--odoo-src", default=os.path.expanduser("~/odoo/18.0"))
    parser.add_argument("--db", default=f"kam_bench_kpi_{os.getpid()}")
    parser.add_argument("--template", help="database to copy instead of installing")
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--invoices", type=int, default=20_000)
    parser.add_argument("--partners", type=int, default=2_000)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--reuse", action="store_true", help="measure on a database kept by --keep"
    )
    return parser.parse_args()


def addons_path(odoo_src):
    paths = [REPO, os.path.join(odoo_src, "odoo", "addons")]
    if os.path.isdir(os.path.join(odoo_src, "addons")):
        paths.append(os.path.join(odoo_src, "addons"))
    return ",".join(paths)


def create_database(args):
    if args.template:
        subprocess.run(["createdb", "-T", args.template, args.db], check=True)
    odoo_bin = os.path.join(args.odoo_src, "odoo-bin")
    if not os.path.exists(odoo_bin):
        odoo_bin = os.path.join(args.odoo_src, "setup", "odoo")
    subprocess.run(
        [
            sys.executable,
            odoo_bin,
            f"--addons-path={addons_path(args.odoo_src)}",
            "-d",
            args.db,
            "-i",
            "kam_management,gamification",
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
        ],
        check=True,
    )


def timed(cr, func):
    """Seconds and queries of ``func()``."""
    queries = cr.sql_log_count
    start = time.perf_counter()
    value = func()
    return time.perf_counter() - start, cr.sql_log_count - queries, value


def insert_data(env, args, today):
    """Users with ORM, the volume with SQL inserts."""
    cr = env.cr
    company = env.company
    kam_group = env.ref("kam_management.group_kam_user")
    users = (
        env["res.users"]
        .with_context(no_reset_password=True, tracking_disable=True)
        .create(
            [
                {
                    "name": f"Bench User {index}",
                    "login": f"bench_user_{index}",
                    "tz": ("Europe/Riga", "Asia/Tokyo", "America/New_York")[index % 3],
                    "groups_id": [(4, kam_group.id)],
                }
                for index in range(args.users)
            ]
        )
    )
    user_ids = users.ids
    user_partners = users.partner_id.ids
    cr.execute(
        """
        INSERT INTO res_partner (name, is_company, active, type, autopost_bills,
                                 create_date, write_date, create_uid, write_uid,
                                 kam_is_key_account, kam_user_id)
        SELECT 'Bench Customer ' || n, true, true, 'contact', 'ask',
               now(), now(), 1, 1,
               CASE WHEN n %% 10 = 0 THEN jsonb_build_object(%s::text, TRUE) END,
               CASE WHEN n %% 10 = 0 THEN (%s::int[])[1 + n %% %s] END
          FROM generate_series(1, %s) n
        RETURNING id
        """,
        [env.company.id, user_ids, len(user_ids), args.partners],
    )
    partners = [row[0] for row in cr.fetchall()]
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)",
        [partners],
    )
    month_start = datetime.combine(today - timedelta(days=30), datetime.min.time())
    types = {
        "call": env.ref("mail.mail_activity_data_call").id,
        "phone": env.ref("kam_management.mail_activity_type_offer_phone").id,
        "reconciliation": env.ref(
            "kam_management.mail_activity_type_reconciliation"
        ).id,
    }
    subtype = env.ref("mail.mt_activities").id
    # done activities: 65 % calls, 30 % offers by phone, 5 % reconciliations
    cr.execute(
        """
        INSERT INTO mail_message (model, res_id, message_type, subtype_id,
                                  mail_activity_type_id, author_id, date, body,
                                  create_date, write_date, create_uid, write_uid)
        SELECT 'res.partner', (%(partners)s::int[])[1 + (random() * (%(np)s - 1))::int],
               'notification', %(subtype)s,
               CASE WHEN n %% 20 = 0 THEN %(reco)s
                    WHEN n %% 20 < 7 THEN %(phone)s ELSE %(call)s END,
               (%(authors)s::int[])[1 + n %% %(nu)s],
               %(start)s + random() * interval '31 days', '<p>done</p>',
               now(), now(), 1, 1
          FROM generate_series(1, %(count)s) n
        """,
        {
            "partners": partners,
            "np": len(partners),
            "subtype": subtype,
            "reco": types["reconciliation"],
            "phone": types["phone"],
            "call": types["call"],
            "authors": user_partners,
            "nu": len(user_partners),
            "start": month_start,
            "count": args.messages,
        },
    )
    currency = company.currency_id.id
    cr.execute(
        """
        INSERT INTO sale_order (name, partner_id, partner_invoice_id,
                                partner_shipping_id, company_id, currency_id,
                                date_order, state, user_id, amount_untaxed,
                                amount_total, currency_rate, create_date,
                                write_date, create_uid, write_uid)
        SELECT 'BENCH' || n, p, p, p, %(company)s, %(currency)s,
               %(start)s - interval '60 days' + random() * interval '91 days',
               CASE WHEN n %% 2 = 0 THEN 'sale' ELSE 'sent' END,
               (%(users)s::int[])[1 + n %% %(nu)s], 1000, 1000, 1,
               now(), now(), 1, 1
          FROM (SELECT n, (%(partners)s::int[])[1 + (random() * (%(np)s - 1))::int] p
                  FROM generate_series(1, %(count)s) n) s
        RETURNING id, user_id
        """,
        {
            "company": company.id,
            "currency": currency,
            "start": month_start,
            "users": user_ids,
            "nu": len(user_ids),
            "partners": partners,
            "np": len(partners),
            "count": args.orders,
        },
    )
    orders = cr.fetchall()
    comment = env.ref("mail.mt_comment").id
    user_partner = dict(zip(user_ids, user_partners, strict=True))
    cr.execute(
        """
        INSERT INTO mail_message (model, res_id, message_type, subtype_id, author_id,
                                  date, body, create_date, write_date, create_uid,
                                  write_uid)
        SELECT 'sale.order', o.id, 'comment', %(comment)s, o.author,
               %(start)s + random() * interval '31 days', '<p>offer</p>',
               now(), now(), 1, 1
          FROM unnest(%(orders)s::int[], %(authors)s::int[]) AS o(id, author),
               generate_series(1, 3)
        """,
        {
            "comment": comment,
            "start": month_start,
            "orders": [order for order, _user in orders],
            "authors": [user_partner[user] for _order, user in orders],
        },
    )
    product = env["product.product"].create(
        {"name": "Bench product", "standard_price": 60.0, "list_price": 100.0}
    )
    journal = env["account.journal"].search(
        [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
    )
    account = product._get_product_accounts()["income"] or journal.default_account_id
    # invoices over the month and the same month a year before (growth)
    cr.execute(
        """
        WITH moves AS (
            INSERT INTO account_move (name, move_type, state, journal_id, company_id,
                                      currency_id, partner_id, commercial_partner_id,
                                      invoice_user_id, invoice_date, date, auto_post,
                                      amount_untaxed, amount_untaxed_signed,
                                      amount_total, amount_total_signed,
                                      create_date, write_date, create_uid, write_uid)
            SELECT 'BENCH/' || n,
                   CASE WHEN n %% 10 = 0 THEN 'out_refund' ELSE 'out_invoice' END,
                   'posted', %(journal)s, %(company)s, %(currency)s, p, p,
                   (%(users)s::int[])[1 + n %% %(nu)s], d, d, 'no',
                   100 * q, 100 * q * s, 100 * q, 100 * q * s,
                   now(), now(), 1, 1
              FROM (SELECT n,
                           (%(partners)s::int[])[1 + (random() * (%(np)s - 1))::int] p,
                           (%(start)s::date + (random() * 31)::int
                            - CASE WHEN n %% 3 = 0 THEN 365 ELSE 0 END) d,
                           1 + (random() * 20)::int q,
                           CASE WHEN n %% 10 = 0 THEN -1 ELSE 1 END s
                      FROM generate_series(1, %(count)s) n) src
            RETURNING id, journal_id, company_id, currency_id, partner_id, date,
                      amount_untaxed, amount_untaxed_signed
        )
        INSERT INTO account_move_line (move_id, journal_id, company_id, currency_id,
                                       company_currency_id, partner_id, date,
                                       parent_state, display_type, account_id,
                                       product_id, product_uom_id, quantity,
                                       price_unit, price_subtotal, price_total,
                                       balance, amount_currency, debit, credit,
                                       create_date, write_date, create_uid, write_uid)
        SELECT id, journal_id, company_id, currency_id, currency_id, partner_id, date,
               'posted', 'product', %(account)s, %(product)s, %(uom)s,
               amount_untaxed / 100, 100, amount_untaxed, amount_untaxed,
               -amount_untaxed_signed, -amount_untaxed_signed,
               GREATEST(-amount_untaxed_signed, 0),
               GREATEST(amount_untaxed_signed, 0),
               now(), now(), 1, 1
          FROM moves
        """,
        {
            "journal": journal.id,
            "company": company.id,
            "currency": currency,
            "users": user_ids,
            "nu": len(user_ids),
            "partners": partners,
            "np": len(partners),
            "start": month_start,
            "count": args.invoices,
            "account": account.id,
            "product": product.id,
            "uom": product.uom_id.id,
        },
    )
    cr.execute("ANALYZE")
    env.invalidate_all()
    return users


def shipped_rules(env, users):
    """The shipped rules, enabled for the bench users (tenders excluded: no
    tender model here); every other rule is archived."""
    env["kam.kpi.rule"].search([]).active = False
    rules = env["kam.kpi.rule"].browse(
        env.ref(f"kam_management.kam_kpi_rule_{name}").id
        for name in (
            "calls",
            "offers_email",
            "offers_phone",
            "new_clients",
            "report_on_time",
            "reconciliations",
            "portfolio_growth",
            "plan_fulfilment",
        )
    )
    rules.write({"active": True, "user_ids": [(6, 0, users.ids)], "group_ids": [(5,)]})
    return rules


def raw_values(cr, rule, users, date_from, date_to):
    """Hand-written SQL computing the same value as the rule's measure."""
    start = datetime.combine(date_from, datetime.min.time()) - timedelta(days=1)
    end = datetime.combine(date_to, datetime.min.time()) + timedelta(days=2)
    local = "(m.date AT TIME ZONE 'UTC' AT TIME ZONE COALESCE(p.tz, 'UTC'))::date"
    params = {
        "users": users.ids,
        "from": date_from,
        "to": date_to,
        "start": start,
        "end": end,
        "type": rule.activity_type_id.id,
        "company": rule.company_id.id,
    }
    measure = rule.measure
    if measure in ("calls", "offers_phone"):
        query = f"""
            SELECT u.id, COUNT(*) FROM mail_message m
              JOIN res_users u ON u.partner_id = m.author_id
              JOIN res_partner p ON p.id = u.partner_id
             WHERE m.mail_activity_type_id = %(type)s
               AND m.date >= %(start)s AND m.date < %(end)s
               AND u.id = ANY(%(users)s) AND {local} BETWEEN %(from)s AND %(to)s
             GROUP BY u.id"""
    elif measure == "offers_email":
        params["subtype"] = rule.env.ref("mail.mt_comment").id
        query = f"""
            SELECT u.id, COUNT(DISTINCT (m.res_id, {local})) FROM mail_message m
              JOIN res_users u ON u.partner_id = m.author_id
              JOIN res_partner p ON p.id = u.partner_id
             WHERE m.model = 'sale.order' AND m.message_type = 'comment'
               AND m.subtype_id = %(subtype)s
               AND m.date >= %(start)s AND m.date < %(end)s
               AND u.id = ANY(%(users)s) AND {local} BETWEEN %(from)s AND %(to)s
             GROUP BY u.id"""
    elif measure == "new_clients":
        query = """
            SELECT user_id, COUNT(*) FROM (
                SELECT DISTINCT ON (cp.commercial_partner_id)
                       cp.commercial_partner_id, so.user_id, so.date_order, p.tz
                  FROM sale_order so
                  JOIN res_partner cp ON cp.id = so.partner_id
                  JOIN res_users u ON u.id = so.user_id
                  JOIN res_partner p ON p.id = u.partner_id
                 WHERE so.state = 'sale' AND so.company_id = %(company)s
                 ORDER BY cp.commercial_partner_id, so.date_order, so.id) first
             WHERE user_id = ANY(%(users)s)
               AND (date_order AT TIME ZONE 'UTC'
                    AT TIME ZONE COALESCE(tz, 'UTC'))::date BETWEEN %(from)s AND %(to)s
             GROUP BY user_id"""
    elif measure in ("revenue", "margin"):
        value = (
            "-l.balance"
            if measure == "revenue"
            else "-l.balance - SIGN(-l.balance) * l.quantity * 60"
        )
        query = f"""
            SELECT mv.invoice_user_id, SUM({value}) FROM account_move_line l
              JOIN account_move mv ON mv.id = l.move_id
             WHERE mv.state = 'posted' AND l.display_type = 'product'
               AND mv.move_type IN ('out_invoice', 'out_refund')
               AND mv.company_id = %(company)s
               AND mv.invoice_user_id = ANY(%(users)s)
               AND mv.invoice_date BETWEEN %(from)s AND %(to)s
             GROUP BY mv.invoice_user_id"""
    elif measure == "reconciliations":
        # the (user, account) pairs done as a hashed subplan, computed once
        query = f"""
            SELECT ka.kam_user_id,
                   100.0 * COUNT(*) FILTER (WHERE (ka.kam_user_id, ka.id) IN (
                       SELECT u.id, mp.commercial_partner_id
                         FROM mail_message m
                         JOIN res_partner mp ON mp.id = m.res_id
                         JOIN res_users u ON u.partner_id = m.author_id
                         JOIN res_partner p ON p.id = u.partner_id
                        WHERE m.model = 'res.partner'
                          AND m.mail_activity_type_id = %(type)s
                          AND m.date >= %(start)s AND m.date < %(end)s
                          AND {local} BETWEEN %(from)s AND %(to)s)) / COUNT(*)
              FROM res_partner ka
             WHERE (ka.kam_is_key_account ->> %(company)s::text)::bool
               AND ka.active
               AND ka.id = ka.commercial_partner_id
               AND ka.kam_user_id = ANY(%(users)s)
               AND (ka.company_id IS NULL OR ka.company_id = %(company)s)
             GROUP BY ka.kam_user_id"""
    elif measure == "report_on_time":
        query = """
            SELECT user_id, COUNT(*) FROM kam_monthly_report
             WHERE company_id = %(company)s AND user_id = ANY(%(users)s)
               AND due_date BETWEEN %(from)s AND %(to)s
               AND NOT is_late AND state != 'draft'
             GROUP BY user_id"""
    elif measure == "portfolio_growth":
        from odoo.addons.kam_management.tools import kpi_periods

        params["pfrom"], params["pto"] = kpi_periods.same_period_year_before(
            date_from, date_to
        )
        query = """
            SELECT ka.kam_user_id,
                   SUM(-l.balance) FILTER (WHERE mv.invoice_date >= %(from)s),
                   SUM(-l.balance) FILTER (WHERE mv.invoice_date <= %(pto)s)
              FROM account_move_line l
              JOIN account_move mv ON mv.id = l.move_id
              JOIN res_partner ka ON ka.id = mv.commercial_partner_id
             WHERE (ka.kam_is_key_account ->> %(company)s::text)::bool
               AND ka.kam_user_id = ANY(%(users)s)
               AND mv.state = 'posted' AND l.display_type = 'product'
               AND mv.move_type IN ('out_invoice', 'out_refund')
               AND mv.company_id = %(company)s
               AND (mv.invoice_date BETWEEN %(from)s AND %(to)s
                    OR mv.invoice_date BETWEEN %(pfrom)s AND %(pto)s)
             GROUP BY ka.kam_user_id"""
        cr.execute(query, params)
        return {
            uid: (
                100.0 * ((cur or 0) - prev) / abs(prev)
                if prev
                else (100.0 if (cur or 0) > 0 else 0.0)
            )
            for uid, cur, prev in cr.fetchall()
        }
    else:
        return {}
    cr.execute(query, params)
    return {uid: float(value) for uid, value in cr.fetchall()}


def bench_raw(env, rules, users, today):
    from odoo.addons.kam_management.tools import kpi_periods

    values = {}
    for rule in rules:
        for day in (today, kpi_periods.previous_period_start(rule.period, today)):
            start, end = kpi_periods.period_bounds(rule.period, day)
            values[(rule.id, start)] = raw_values(env.cr, rule, users, start, end)
    return values


def bench_raw_insert(env, rules, users, today):
    """Hand-written SQL doing what a first evaluation does: the values, then
    one INSERT of a result per rule, user and period (status and attainment
    computed in Python with the same functions)."""
    from odoo.addons.kam_management.tools import kpi_periods

    values = bench_raw(env, rules, users, today)
    rows = []
    for rule in rules:
        for day in (today, kpi_periods.previous_period_start(rule.period, today)):
            start, end = kpi_periods.period_bounds(rule.period, day)
            by_user = values[(rule.id, start)]
            default = 100.0 if rule.measure == "reconciliations" else 0.0
            for user_id in users.ids:
                value = by_user.get(user_id, default)
                rows.append(
                    (
                        rule.id,
                        user_id,
                        rule.company_id.id,
                        rule.period,
                        start,
                        end,
                        value,
                        rule.target,
                        kpi_periods.result_status(
                            value, rule.target, rule.direction, end < today
                        ),
                        kpi_periods.attainment(value, rule.target, rule.direction),
                    )
                )
    columns = list(zip(*rows, strict=True))
    env.cr.execute(
        """
        INSERT INTO kam_kpi_result (rule_id, user_id, company_id, period, date_from,
                                    date_to, value, target, status, attainment,
                                    create_uid, create_date, write_uid, write_date)
        SELECT *, 1, now(), 1, now()
          FROM unnest(%s::int4[], %s::int4[], %s::int4[], %s::varchar[], %s::date[],
                      %s::date[], %s::float8[], %s::float8[], %s::varchar[],
                      %s::float8[])
        """,
        [list(column) for column in columns],
    )
    return len(rows)


def gamification_setup(env, users, today):
    """The shipped rules as Odoo gamification goals, current period.

    Batch mode where Odoo allows it (a count or sum over one model with a
    user field); the rules a domain cannot express (once per order and day,
    first confirmed order, key-account coverage, growth against last year)
    as Python-code definitions, the only way gamification offers, evaluated
    by Odoo once per goal. Returns the goals and the definitions."""
    from odoo.addons.kam_management.tools import kpi_periods

    model = env["ir.model"]._get
    field = env["ir.model.fields"]._get
    call = env.ref("mail.mail_activity_data_call").id
    phone = env.ref("kam_management.mail_activity_type_offer_phone").id
    reconciliation = env.ref("kam_management.mail_activity_type_reconciliation").id
    comment = env.ref("mail.mt_comment").id
    company = env.company.id
    message = {
        "model_id": model("mail.message").id,
        "field_date_id": field("mail.message", "date").id,
        "batch_mode": True,
        "batch_distinctive_field": field("mail.message", "author_id").id,
        "batch_user_expression": "user.partner_id.id",
        "computation_mode": "count",
    }
    # the goal's period as datetimes (gamification's own domains compare a
    # datetime field with the goal's dates)
    period = (
        "start = datetime.combine(object.start_date, datetime.min.time())\n"
        "end = start + timedelta("
        "days=(object.end_date - object.start_date).days + 1)\n"
    )
    key_accounts = (
        "accounts = env['res.partner'].search([('kam_is_key_account', '=', True),"
        " ('kam_user_id', '=', object.user_id.id), ('is_company', '=', True)])\n"
    )

    def revenue(name, date_from, date_to):
        return (
            f"{name} = env['account.invoice.report'].read_group(["
            "('commercial_partner_id', 'in', accounts.ids), ('state', '=', 'posted'),"
            f" ('company_id', '=', {company}),"
            " ('move_type', 'in', ('out_invoice', 'out_refund')),"
            f" ('invoice_date', '>=', {date_from}), ('invoice_date', '<=', {date_to})],"
            " ['price_subtotal:sum'], [])[0]['price_subtotal'] or 0.0\n"
        )

    python = {"computation_mode": "python"}
    Definition = env["gamification.goal.definition"]
    daily = Definition.create(
        [
            dict(
                message,
                name="Calls",
                domain=f"[('mail_activity_type_id', '=', {call})]",
            ),
            dict(
                python,
                name="Offers by e-mail (once per order and day)",
                compute_code=period + "messages = env['mail.message'].search_read(["
                "('model', '=', 'sale.order'), ('message_type', '=', 'comment'),"
                f" ('subtype_id', '=', {comment}),"
                " ('author_id', '=', object.user_id.partner_id.id),"
                " ('date', '>=', start), ('date', '<', end)], ['res_id', 'date'])\n"
                "result = len(set((m['res_id'], m['date'].date())"
                " for m in messages))\n",
            ),
            dict(
                message,
                name="Offers by phone",
                domain=f"[('mail_activity_type_id', '=', {phone})]",
            ),
        ]
    )
    monthly = Definition.create(
        [
            dict(
                python,
                name="New-client contracts",
                compute_code=period + "orders = env['sale.order'].search("
                "[('user_id', '=', object.user_id.id),"
                f" ('state', '=', 'sale'), ('company_id', '=', {company}),"
                " ('date_order', '>=', start), ('date_order', '<', end)])\n"
                "customers = orders.partner_id.commercial_partner_id\n"
                "before = env['sale.order'].search([('state', '=', 'sale'),"
                f" ('company_id', '=', {company}),"
                " ('partner_id.commercial_partner_id', 'in', customers.ids),"
                " ('date_order', '<', start)])\n"
                "result = len(customers - before.partner_id.commercial_partner_id)\n",
            ),
            {
                "name": "Monthly report on time",
                "model_id": model("kam.monthly.report").id,
                "field_date_id": field("kam.monthly.report", "due_date").id,
                "domain": f"[('company_id', '=', {company}), ('is_late', '=', False),"
                " ('state', '!=', 'draft')]",
                "batch_mode": True,
                "batch_distinctive_field": field("kam.monthly.report", "user_id").id,
                "batch_user_expression": "user.id",
                "computation_mode": "count",
            },
            dict(
                python,
                name="Reconciliations with key accounts",
                compute_code=period
                + key_accounts
                + "messages = env['mail.message'].search_read(["
                "('model', '=', 'res.partner'), ('res_id', 'in', accounts.ids),"
                f" ('mail_activity_type_id', '=', {reconciliation}),"
                " ('author_id', '=', object.user_id.partner_id.id),"
                " ('date', '>=', start), ('date', '<', end)], ['res_id'])\n"
                "result = (100.0 * len(set(m['res_id'] for m in messages))"
                " / len(accounts)) if accounts else 100.0\n",
            ),
            {
                "name": "Revenue invoiced (sales plan)",
                "model_id": model("account.invoice.report").id,
                "field_date_id": field("account.invoice.report", "invoice_date").id,
                "field_id": field("account.invoice.report", "price_subtotal").id,
                "domain": f"[('company_id', '=', {company}), ('state', '=', 'posted'),"
                " ('move_type', 'in', ('out_invoice', 'out_refund'))]",
                "batch_mode": True,
                "batch_distinctive_field": field(
                    "account.invoice.report", "invoice_user_id"
                ).id,
                "batch_user_expression": "user.id",
                "computation_mode": "sum",
            },
        ]
    )
    quarterly = Definition.create(
        dict(
            python,
            name="Key-account portfolio growth",
            compute_code=key_accounts
            + "year = timedelta(days=365)\n"
            + revenue("current", "object.start_date", "object.end_date")
            + revenue("previous", "object.start_date - year", "object.end_date - year")
            + "result = (100.0 * (current - previous) / abs(previous)) if previous"
            " else (100.0 if current > 0 else 0.0)\n",
        )
    )
    targets = {
        "Calls": 30,
        "Offers by e-mail (once per order and day)": 50,
        "Offers by phone": 20,
        "New-client contracts": 4,
        "Monthly report on time": 1,
        "Reconciliations with key accounts": 100,
        "Revenue invoiced (sales plan)": 0,
        "Key-account portfolio growth": 5,
    }
    Challenge = env["gamification.challenge"]
    goals = env["gamification.goal"]
    quarter = kpi_periods.period_bounds("quarter", today)
    for period_name, definitions, dates in (
        ("daily", daily, {}),
        ("monthly", monthly, {}),
        # gamification has no quarter: a one-off challenge over the quarter
        ("once", quarterly, {"start_date": quarter[0], "end_date": quarter[1]}),
    ):
        challenge = Challenge.create(
            dict(
                dates,
                name=f"Bench {period_name}",
                period=period_name,
                user_ids=[(6, 0, users.ids)],
                visibility_mode="personal",
                report_message_frequency="never",
                line_ids=[
                    (
                        0,
                        0,
                        {"definition_id": d.id, "target_goal": targets[d.name]},
                    )
                    for d in definitions
                ],
            )
        )
        challenge.action_start()
        goals |= env["gamification.goal"].search([("challenge_id", "=", challenge.id)])
    return goals, daily | monthly | quarterly


def main():
    args = parse_args()
    sys.path.insert(0, args.odoo_src)
    if args.reuse:
        args.keep = True
    else:
        create_database(args)
    import odoo
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config(
        [
            f"--addons-path={addons_path(args.odoo_src)}",
            "-d",
            args.db,
            "--log-level=warn",
        ]
    )
    from odoo.addons.kam_management.tools import kpi_periods

    registry = odoo.modules.registry.Registry(args.db)
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tz": "UTC"})
            today = date.today()
            start = time.perf_counter()
            if args.reuse:
                users = env["res.users"].search([("login", "=like", "bench_user_%")])
                args.users = len(users)
                args.messages = env["mail.message"].search_count(
                    [("mail_activity_type_id", "!=", False)]
                )
            else:
                users = insert_data(env, args, today)
                cr.commit()
                # as on a production database, where autovacuum keeps the
                # visibility map current (index-only scans depend on it)
                tables = ("mail_message", "sale_order", "account_move", "res_partner")
                subprocess.run(
                    ["vacuumdb", "--analyze", "--quiet", "-d", args.db]
                    + [f"--table={table}" for table in tables]
                    + ["--table=account_move_line"],
                    check=True,
                )
            print(
                f"data: {args.users} users, {args.messages} done activities, "
                f"{args.orders} orders (x3 e-mails), {args.invoices} invoices "
                f"in {time.perf_counter() - start:.1f} s"
            )
            rules = shipped_rules(env, users)
            # time spent in the measure queries, by measure
            spent = {}
            rule_class = type(env["kam.kpi.rule"])
            measure_values = rule_class._measure_values

            def timed_measure(rule, *measure_args):
                start_measure = time.perf_counter()
                value = measure_values(rule, *measure_args)
                spent[rule.measure] = spent.get(rule.measure, 0.0) + (
                    time.perf_counter() - start_measure
                )
                return value

            rule_class._measure_values = timed_measure
            env.invalidate_all()
            # warm PostgreSQL's and Odoo's caches once, for every measurement
            bench_raw(env, rules, users, today)
            # hand-written SQL writing the results too (rolled back)
            cr.execute("SAVEPOINT bench_raw_insert")
            raw_insert = timed(cr, lambda: bench_raw_insert(env, rules, users, today))
            cr.execute("ROLLBACK TO SAVEPOINT bench_raw_insert")
            env.invalidate_all()
            ours_first = timed(cr, lambda: rules._evaluate(today=today))
            env.invalidate_all()
            ours_again = timed(cr, lambda: rules._evaluate(today=today))
            env.invalidate_all()
            raw = timed(cr, lambda: bench_raw(env, rules, users, today))
            # same values?
            mismatches = 0
            for result in rules.result_ids.filtered(lambda r: r.user_id in users):
                expected = (
                    raw[2]
                    .get((result.rule_id.id, result.date_from), {})
                    .get(
                        result.user_id.id,
                        100.0 if result.measure == "reconciliations" else 0,
                    )
                )
                if abs(expected - result.value) > 0.01:
                    mismatches += 1
            print(
                f"shipped rules ({len(rules)}, current + last closed period, "
                f"{len(rules.result_ids)} results):"
            )
            print(
                f"  ours, first evaluation : {ours_first[0]:8.2f} s "
                f"{ours_first[1]:6d} queries"
            )
            print(
                f"  ours, re-evaluation    : {ours_again[0]:8.2f} s "
                f"{ours_again[1]:6d} queries"
            )
            print(f"  hand-written SQL       : {raw[0]:8.2f} s {raw[1]:6d} queries")
            print(
                f"  hand-written SQL + INSERT of {raw_insert[2]} results: "
                f"{raw_insert[0]:.2f} s {raw_insert[1]} queries"
            )
            print(
                "  ours, measure queries (both runs): "
                + ", ".join(f"{m} {t:.2f} s" for m, t in sorted(spent.items()))
            )
            print(
                "  ratio ours / SQL       : "
                f"re-evaluation {ours_again[0] / raw[0]:.2f}, "
                f"first evaluation {ours_first[0] / raw_insert[0]:.2f} "
                f"(vs SQL + INSERT; {ours_first[0] / raw[0]:.2f} vs SQL alone); "
                f"values differing: {mismatches}"
            )
            # the same rules as gamification goals, current period only
            goals, definitions = gamification_setup(env, users, today)
            # nothing measured is committed: a kept database can be reused
            env.flush_all()
            env.invalidate_all()
            game = timed(cr, goals.update_goal)
            same = rules
            env.invalidate_all()

            def ours_current():
                # as the cron groups them: the rules of one period together
                periods = {}
                for rule in same:
                    bounds = kpi_periods.period_bounds(rule.period, today)
                    periods[bounds] = periods.get(bounds, rule.browse()) | rule
                for (start_, end_), period_rules in periods.items():
                    period_rules._evaluate_period(start_, end_, today)

            ours_same = timed(cr, ours_current)
            print(
                f"gamification ({len(definitions)} definitions: "
                f"{len(definitions.filtered('batch_mode'))} batch, "
                f"{len(definitions.filtered(lambda d: d.computation_mode == 'python'))}"
                " Python code; "
                f"{len(goals)} goals, current period):"
            )
            print(f"  update_goal()          : {game[0]:8.2f} s {game[1]:6d} queries")
            print(
                f"  ours, same rules       : {ours_same[0]:8.2f} s "
                f"{ours_same[1]:6d} queries"
            )
            print(f"  ratio gamification/ours: {game[0] / ours_same[0]:8.2f}")
            cr.rollback()
    finally:
        registry.delete(args.db)
        if not args.keep:
            odoo.sql_db.close_all()
            subprocess.run(["dropdb", "--if-exists", args.db], check=False)


if __name__ == "__main__":
    main()
