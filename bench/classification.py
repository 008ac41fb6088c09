# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Benchmark of the key account classification (not a test).

Run it against a THROW-AWAY database where kam_management is installed::

    createdb -T <template with sale/account> kam_bench
    odoo -c odoo.conf -d kam_bench -i kam_management --stop-after-init
    python bench/classification.py -c odoo.conf -d kam_bench --scale 0.1

``--scale 1`` creates 100,000 customer companies and 2,000,000 posted invoice
lines (200,000 invoices of 10 lines, plus their receivable lines). The data
are cloned with set-based SQL (``INSERT ... SELECT`` over ``generate_series``,
ids drawn from Odoo's sequences) from one real posted invoice created through
the ORM, so every column Odoo fills is filled; nothing of Odoo's schema is
dropped or disabled, and the loaded tables are vacuumed and analyzed. A second
call on the same database reuses the data (``--regenerate`` to create them
again, ``--generate-only`` to measure nothing).

It prints, in one run:

* read: the module's gathering of the per-customer amounts
  (``kam.classification.policy._gather_amounts``: the figures of Odoo's
  Invoicing analysis, product units and costs included) vs one hand-written
  SQL aggregate over ``account_move_line`` computing the same revenue and
  margin;
* whole: ``action_run()`` (gathering, ranking, run, lines, partner fields,
  alerts) vs hand-written SQL doing the same classification and write-back (one
  ``INSERT ... SELECT`` with window functions, one ``UPDATE ... FROM``);
* two policies of different scopes run one after the other (a salesperson
  policy after the company policy): time, queries, and a check that the
  company policy's results did not change;
* retention: a year of daily runs (365 runs of ``--lines-per-run`` lines)
  pruned by ``kam.classification.run._kam_prune_runs``: time, runs and lines
  deleted;
* the number of queries of ``action_run()`` and the peak memory (max RSS).
"""

import argparse
import resource
import sys
import time

import psycopg2
from dateutil.relativedelta import relativedelta

import odoo
from odoo import Command, fields
from odoo.tools import SQL

BENCH_PREFIX = "KAMBENCH/"
LINES_PER_MOVE = 10
# invoices whose lines are inserted by one statement: bounds the queue of
# foreign-key checks PostgreSQL keeps per statement, and shows progress
CHUNK_MOVES = 20_000
TABLES = ("res_partner", "account_move", "account_move_line")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo config file")
    parser.add_argument("-d", "--database", required=True, help="throw-away DB")
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="1 = 100,000 customers and 2,000,000 invoice lines",
    )
    parser.add_argument(
        "--regenerate",
        action="store_true",
        help="delete the generated data of an earlier call and create them again "
        "(slow at full scale: prefer a fresh database)",
    )
    parser.add_argument(
        "--generate-only",
        action="store_true",
        help="create the data (or check the existing ones), measure nothing",
    )
    parser.add_argument("--repeat", type=int, default=3, help="timings: best of")
    parser.add_argument(
        "--lines-per-run",
        type=int,
        default=2000,
        help="lines of each of the 365 daily runs made for the retention measure",
    )
    return parser.parse_args()


def columns(cr, table):
    cr.execute(
        SQL(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = %s ORDER BY ordinal_position",
            table,
        )
    )
    return [row[0] for row in cr.fetchall()]


def clone_sql(cr, table, source, overrides, where):
    """INSERT INTO table SELECT every column of ``source`` rows, some replaced
    by the SQL expressions of ``overrides`` (``id`` only when overridden: else
    the sequence gives it)."""
    cols = [col for col in columns(cr, table) if col != "id" or "id" in overrides]
    return SQL(
        "INSERT INTO %s (%s) SELECT %s FROM %s WHERE %s",
        SQL.identifier(table),
        SQL(", ").join(SQL.identifier(col) for col in cols),
        SQL(", ").join(
            overrides.get(col, SQL("t.%s", SQL.identifier(col))) for col in cols
        ),
        source,
        where,
    )


def template_invoice(env):
    """One real posted customer invoice with one product line, no tax."""
    company = env.company
    product = env["product.product"].create(
        {"name": "Bench product", "type": "service", "lst_price": 100.0}
    )
    product.with_company(company).standard_price = 60.0
    partner = env["res.partner"].create(
        {"name": "Bench template customer", "is_company": True}
    )
    move = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_date": fields.Date.today(),
            "invoice_line_ids": [
                Command.create(
                    {
                        "product_id": product.id,
                        "quantity": 1,
                        "price_unit": 100.0,
                        "tax_ids": [Command.clear()],
                    }
                )
            ],
        }
    )
    move.action_post()
    env.flush_all()
    return partner, move


def generate(env, customers, lines):
    """Clone the template customer ``customers`` times and its invoice so that
    there are ``lines`` product lines, LINES_PER_MOVE per invoice, plus one
    receivable line per invoice. Set-based: ids are drawn from Odoo's
    sequences beforehand, so every row is inserted once with its final values
    (no UPDATE afterwards) by a few INSERT ... SELECT. Constraints, indexes
    and foreign keys stay in place; checking the foreign keys of the 2.2
    million lines is most of the time."""
    cr = env.cr
    t0 = time.perf_counter()

    def step(name):
        print(f"  {time.perf_counter() - t0:7.1f} s  {name}", flush=True)

    partner, move = template_invoice(env)
    product_line = move.line_ids.filtered(lambda line: line.display_type == "product")
    counterpart = move.line_ids - product_line
    assert len(product_line) == 1 and len(counterpart) == 1, move.line_ids
    moves = lines // LINES_PER_MOVE
    now = SQL("now() at time zone 'UTC'")
    step("template invoice")
    # customers: clones of the template partner, their own commercial entity
    cr.execute(
        SQL(
            "CREATE TEMP TABLE bench_partners AS "
            "SELECT g, nextval('res_partner_id_seq') AS id, "
            "       'Bench customer ' || g AS name "
            "  FROM generate_series(1, %s) g",
            customers,
        )
    )
    cr.execute(
        clone_sql(
            cr,
            "res_partner",
            SQL("res_partner t, bench_partners b"),
            {
                "id": SQL("b.id"),
                "commercial_partner_id": SQL("b.id"),
                "name": SQL("b.name"),
                "complete_name": SQL("b.name"),
                "commercial_company_name": SQL("b.name"),
                "ref": SQL("%s || b.g", BENCH_PREFIX),
                "create_date": now,
                "write_date": now,
            },
            SQL("t.id = %s", partner.id),
        )
    )
    step(f"{customers} customers")
    # one row per invoice: its id, customer (skewed: a few large ones, a long
    # tail), date over the last two years, price of each of its lines
    cr.execute(
        SQL(
            """
        SELECT setseed(0.42);
        CREATE TEMP TABLE bench_moves AS
        SELECT m.g, nextval('account_move_id_seq') AS id,
               %(prefix)s || m.g AS name, p.id AS partner_id,
               p.name AS partner_name, m.day, m.price
          FROM (SELECT g, 1 + floor(%(n)s * power(random(), 3))::int AS customer,
                       %(today)s::date - floor(random() * 730)::int AS day,
                       round((20 + random() * 980)::numeric, 2) AS price
                  FROM generate_series(1, %(moves)s) g) m
          JOIN bench_partners p ON p.g = m.customer;
        CREATE UNIQUE INDEX ON bench_moves (g);
        ANALYZE bench_moves;
            """,
            prefix=BENCH_PREFIX,
            n=customers,
            today=fields.Date.today(),
            moves=moves,
        )
    )
    step("invoice plan")
    total = SQL("b.price * %s", LINES_PER_MOVE)
    cr.execute(
        clone_sql(
            cr,
            "account_move",
            SQL("account_move t, bench_moves b"),
            {
                "id": SQL("b.id"),
                "name": SQL("b.name"),
                "payment_reference": SQL("b.name"),
                "sequence_prefix": SQL("%s", BENCH_PREFIX),
                "sequence_number": SQL("b.g"),
                "partner_id": SQL("b.partner_id"),
                "commercial_partner_id": SQL("b.partner_id"),
                "partner_shipping_id": SQL("b.partner_id"),
                "invoice_partner_display_name": SQL("b.partner_name"),
                "invoice_date": SQL("b.day"),
                "date": SQL("b.day"),
                "invoice_date_due": SQL("b.day"),
                "amount_untaxed": total,
                "amount_total": total,
                "amount_residual": total,
                "amount_untaxed_signed": total,
                "amount_untaxed_in_currency_signed": total,
                "amount_total_signed": total,
                "amount_total_in_currency_signed": total,
                "amount_residual_signed": total,
                "access_token": SQL("NULL"),
                "create_date": now,
                "write_date": now,
            },
            SQL("t.id = %s", move.id),
        )
    )
    step(f"{moves} invoices")
    common = {
        "move_id": SQL("m.id"),
        "move_name": SQL("m.name"),
        "partner_id": SQL("m.partner_id"),
        "date": SQL("m.day"),
        "invoice_date": SQL("m.day"),
        "date_maturity": SQL("m.day"),
        "create_date": now,
        "write_date": now,
    }
    product = common | {
        "sequence": SQL("10 + j"),
        "price_unit": SQL("m.price"),
        "price_subtotal": SQL("m.price"),
        "price_total": SQL("m.price"),
        "balance": SQL("-m.price"),
        "amount_currency": SQL("-m.price"),
        "credit": SQL("m.price"),
        "debit": SQL("0"),
    }
    total = SQL("m.price * %s", LINES_PER_MOVE)
    receivable = common | {
        "name": SQL("m.name"),
        "price_unit": SQL("-%s", total),
        "price_subtotal": SQL("-%s", total),
        "price_total": SQL("-%s", total),
        "balance": total,
        "amount_currency": total,
        "amount_residual": total,
        "amount_residual_currency": total,
        "debit": total,
        "credit": SQL("0"),
    }
    for low in range(1, moves + 1, CHUNK_MOVES):
        high = min(low + CHUNK_MOVES - 1, moves)
        cr.execute(
            clone_sql(
                cr,
                "account_move_line",
                SQL(
                    "account_move_line t, bench_moves m, generate_series(1, %s) j",
                    LINES_PER_MOVE,
                ),
                product,
                SQL("t.id = %s AND m.g BETWEEN %s AND %s", product_line.id, low, high),
            )
        )
        cr.execute(
            clone_sql(
                cr,
                "account_move_line",
                SQL("account_move_line t, bench_moves m"),
                receivable,
                SQL("t.id = %s AND m.g BETWEEN %s AND %s", counterpart.id, low, high),
            )
        )
        step(f"lines of invoices {low}-{high}")
    cr.execute("DROP TABLE bench_moves; DROP TABLE bench_partners")
    env.invalidate_all()
    print(
        f"generated {customers} customers, {moves} invoices, "
        f"{moves * LINES_PER_MOVE} product lines (+{moves} receivable lines) "
        f"in {time.perf_counter() - t0:.1f} s",
        flush=True,
    )


def generated_counts(cr):
    """(customers, invoices) generated by an earlier call."""
    pattern = BENCH_PREFIX + "%"
    cr.execute(
        SQL(
            "SELECT (SELECT count(*) FROM res_partner WHERE ref LIKE %s), "
            "(SELECT count(*) FROM account_move WHERE name LIKE %s)",
            pattern,
            pattern,
        )
    )
    return tuple(cr.fetchone())


def vacuum_analyze(database):
    """Statistics for the planner and the visibility map of the loaded tables
    (so that autovacuum does not run during the measures). VACUUM cannot run
    in a transaction: own connection in autocommit."""
    __, info = odoo.sql_db.connection_info_for(database)
    connection = psycopg2.connect(**info)
    try:
        connection.autocommit = True
        with connection.cursor() as cr:
            cr.execute(f"VACUUM ANALYZE {', '.join(TABLES)}")
    finally:
        connection.close()


def drop_generated(cr):
    """Remove the data of an earlier generation (and the runs on them)."""
    pattern = BENCH_PREFIX + "%"
    cr.execute("DELETE FROM kam_classification_run")
    cr.execute(SQL("DELETE FROM account_move_line WHERE move_name LIKE %s", pattern))
    cr.execute(SQL("DELETE FROM account_move WHERE name LIKE %s", pattern))
    cr.execute(SQL("DELETE FROM res_partner WHERE ref LIKE %s", pattern))


def hand_amounts_sql(company_id, date_from, date_to):
    return SQL(
        """
        SELECT aml.partner_id,
               SUM(-aml.balance) AS revenue,
               SUM(-aml.balance
                   + CASE WHEN m.move_type = 'out_refund' THEN 1 ELSE -1 END
                   * aml.quantity
                   * COALESCE((p.standard_price ->> %(company)s)::float, 0)) AS margin
          FROM account_move_line aml
          JOIN account_move m ON m.id = aml.move_id
          LEFT JOIN product_product p ON p.id = aml.product_id
         WHERE aml.company_id = %(company_id)s
           AND aml.display_type = 'product'
           AND aml.partner_id IS NOT NULL
           AND m.state = 'posted'
           AND m.move_type IN ('out_invoice', 'out_refund')
           AND m.invoice_date BETWEEN %(date_from)s AND %(date_to)s
      GROUP BY aml.partner_id
        """,
        company=str(company_id),
        company_id=company_id,
        date_from=date_from,
        date_to=date_to,
    )


def hand_whole(env, policy, day):
    """The same classification written by hand in SQL, for comparison: the
    run, its lines (ranked and loss-making), the policy's results and the
    company's values of the partner fields."""
    cr = env.cr
    date_from, date_to = policy._period(day)
    amount = "revenue" if policy.basis == "revenue" else "margin"
    cr.execute(
        SQL(
            """
        INSERT INTO kam_classification_run (policy_id, company_id, date,
               period_start, period_end, basis, is_last, create_uid, create_date)
        VALUES (%s, %s, %s, %s, %s, %s, FALSE, %s, now() at time zone 'UTC')
        RETURNING id
            """,
            policy.id,
            policy.company_id.id,
            day + relativedelta(days=1000),  # one run per policy and day
            date_from,
            date_to,
            policy.basis,
            env.uid,
        )
    )
    run_id = cr.fetchone()[0]
    cr.execute(
        SQL(
            """
        WITH amounts AS (%(amounts)s),
        ranked AS (
            SELECT partner_id, revenue, margin, %(amount)s AS amount,
                   ROW_NUMBER() OVER w AS rank,
                   SUM(%(amount)s) OVER w AS cumulative,
                   SUM(%(amount)s) OVER () AS total,
                   COUNT(*) OVER () AS count
              FROM amounts
             WHERE %(amount)s > 0
            WINDOW w AS (ORDER BY %(amount)s DESC, partner_id
                         ROWS UNBOUNDED PRECEDING)
        )
        INSERT INTO kam_classification_line (run_id, company_id, run_date,
               partner_id, rank, customer_percent, revenue, margin, amount, share,
               cumulative_share, abc_class, dependence_level, is_key,
               is_loss_making, create_uid, create_date)
        SELECT %(run)s, %(company_id)s, %(day)s, partner_id, rank,
               CEIL(rank * 100.0 / count), revenue, margin, amount,
               100 * amount / total, 100 * cumulative / total,
               CASE WHEN 100 * (cumulative - amount) / total < %(a)s THEN 'A'
                    WHEN 100 * (cumulative - amount) / total < %(b)s THEN 'B'
                    ELSE 'C' END,
               CASE WHEN 100 * amount / total > %(mono)s THEN 'mono'
                    WHEN 100 * amount / total > %(critical)s THEN 'critical'
                    WHEN 100 * amount / total > %(key)s THEN 'key'
                    ELSE 'none' END,
               100 * amount / total > %(key)s
                   OR (%(absolute)s > 0 AND revenue >= %(absolute)s),
               FALSE, %(uid)s, now() at time zone 'UTC'
          FROM ranked
         UNION ALL
        SELECT %(run)s, %(company_id)s, %(day)s, partner_id, NULL, 0, revenue,
               margin, %(amount)s, 0, 0, NULL, 'none', FALSE, TRUE, %(uid)s,
               now() at time zone 'UTC'
          FROM amounts
         WHERE %(amount)s < 0
            """,
            amounts=hand_amounts_sql(policy.company_id.id, date_from, date_to),
            amount=SQL.identifier(amount),
            run=run_id,
            company_id=policy.company_id.id,
            day=day,
            a=policy.a_threshold,
            b=policy.b_threshold,
            key=policy.key_threshold,
            critical=policy.critical_threshold,
            mono=policy.mono_threshold,
            absolute=policy.absolute_threshold,
            uid=env.uid,
        )
    )
    cr.execute(
        SQL(
            """
        INSERT INTO kam_classification_result (policy_id, company_id, scope,
               partner_id, run_id, date, revenue, margin, amount, share,
               abc_class, dependence_level, is_key, tier, is_loss_making,
               create_uid, create_date)
        SELECT %(policy)s, l.company_id, %(scope)s, l.partner_id, l.run_id,
               l.run_date, l.revenue, l.margin, l.amount, l.share, l.abc_class,
               l.dependence_level, l.is_key,
               CASE l.dependence_level WHEN 'mono' THEN %(tier_mono)s
                    WHEN 'critical' THEN %(tier_critical)s
                    WHEN 'key' THEN %(tier_key)s
                    ELSE CASE WHEN l.is_key THEN %(tier_absolute)s
                              ELSE %(tier_none)s END END,
               l.is_loss_making, %(uid)s, now() at time zone 'UTC'
          FROM kam_classification_line l
         WHERE l.run_id = %(run)s
        ON CONFLICT (policy_id, partner_id) DO UPDATE
           SET run_id = EXCLUDED.run_id, date = EXCLUDED.date,
               revenue = EXCLUDED.revenue, margin = EXCLUDED.margin,
               amount = EXCLUDED.amount, share = EXCLUDED.share,
               abc_class = EXCLUDED.abc_class,
               dependence_level = EXCLUDED.dependence_level,
               is_key = EXCLUDED.is_key, tier = EXCLUDED.tier,
               is_loss_making = EXCLUDED.is_loss_making
            """,
            policy=policy.id,
            scope=policy.scope,
            run=run_id,
            tier_mono=policy.tier_mono,
            tier_critical=policy.tier_critical,
            tier_key=policy.tier_key,
            tier_absolute=policy.tier_absolute,
            tier_none=policy.tier_none,
            uid=env.uid,
        )
    )
    cr.execute(
        SQL(
            """
        UPDATE res_partner p
           SET kam_revenue = COALESCE(p.kam_revenue, '{}')
                   || jsonb_build_object(%(c)s, r.revenue),
               kam_margin = COALESCE(p.kam_margin, '{}')
                   || jsonb_build_object(%(c)s, r.margin),
               kam_revenue_share = COALESCE(p.kam_revenue_share, '{}')
                   || jsonb_build_object(%(c)s, r.share),
               kam_abc_class = COALESCE(p.kam_abc_class, '{}')
                   || jsonb_build_object(%(c)s, r.abc_class),
               kam_dependence_level = COALESCE(p.kam_dependence_level, '{}')
                   || jsonb_build_object(%(c)s, r.dependence_level),
               kam_is_loss_making = COALESCE(p.kam_is_loss_making, '{}')
                   || jsonb_build_object(%(c)s, r.is_loss_making),
               kam_last_classified = COALESCE(p.kam_last_classified, '{}')
                   || jsonb_build_object(%(c)s, r.date::text),
               kam_is_key_account = CASE WHEN cp.kam_pin ->> %(c)s IS NULL
                   THEN COALESCE(p.kam_is_key_account, '{}')
                       || jsonb_build_object(%(c)s, r.is_key)
                   ELSE p.kam_is_key_account END,
               kam_tier = CASE WHEN cp.kam_pin ->> %(c)s IS NULL
                   THEN COALESCE(p.kam_tier, '{}')
                       || jsonb_build_object(%(c)s, r.tier)
                   ELSE p.kam_tier END
          FROM kam_classification_result r
          JOIN res_partner cp ON cp.id = r.partner_id
         WHERE r.run_id = %(run)s AND p.commercial_partner_id = r.partner_id
            """,
            c=str(policy.company_id.id),
            run=run_id,
        )
    )
    return run_id


def year_of_daily_runs(env, policy, day, lines_per_run):
    """365 daily runs of ``policy`` before ``day`` with ``lines_per_run``
    lines each (copies of the lines of its last run), inserted in SQL."""
    cr = env.cr
    cr.execute(
        SQL(
            """
        INSERT INTO kam_classification_run (policy_id, company_id, date,
               period_start, period_end, basis, is_last, create_uid, create_date)
        SELECT %(policy)s, %(company)s, %(day)s::date - n, %(day)s::date - n,
               %(day)s::date - n, %(basis)s, FALSE, %(uid)s,
               now() at time zone 'UTC'
          FROM generate_series(1, 365) n
        RETURNING id, date
            """,
            policy=policy.id,
            company=policy.company_id.id,
            day=day,
            basis=policy.basis,
            uid=env.uid,
        )
    )
    runs = cr.fetchall()
    cr.execute(
        SQL(
            """
        INSERT INTO kam_classification_line (run_id, company_id, run_date,
               partner_id, rank, customer_percent, revenue, margin, amount, share,
               cumulative_share, abc_class, dependence_level, is_key,
               is_loss_making)
        SELECT run.id, l.company_id, run.date, l.partner_id, l.rank,
               l.customer_percent, l.revenue, l.margin, l.amount, l.share,
               l.cumulative_share, l.abc_class, l.dependence_level, l.is_key,
               l.is_loss_making
          FROM unnest(%(ids)s::int[], %(dates)s::date[]) AS run(id, date)
         CROSS JOIN LATERAL (
                SELECT * FROM kam_classification_line
                 WHERE run_id = %(last)s AND rank <= %(limit)s) l
            """,
            ids=[run_id for run_id, __ in runs],
            dates=[date for __, date in runs],
            last=policy.last_run_id.id,
            limit=lines_per_run,
        )
    )
    return len(runs), cr.rowcount


def best_of(repeat, function):
    timings = []
    result = None
    for __ in range(repeat):
        start = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - start)
    return min(timings), result


def main():
    args = parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    customers = int(100_000 * args.scale)
    lines = int(2_000_000 * args.scale)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        if "kam.classification.policy" not in env:
            sys.exit("kam_management is not installed in this database")
        existing = generated_counts(cr)
        wanted = (customers, lines // LINES_PER_MOVE)
        if existing != (0, 0) and args.regenerate:
            drop_generated(cr)
        elif existing not in ((0, 0), wanted):
            sys.exit(
                f"this database holds {existing[0]} generated customers and "
                f"{existing[1]} invoices, not {wanted[0]} and {wanted[1]}: use "
                "the same --scale, --regenerate, or a fresh database"
            )
        if args.regenerate or existing == (0, 0):
            generate(env, customers, lines)
            cr.commit()
            start = time.perf_counter()
            vacuum_analyze(args.database)
            print(f"VACUUM ANALYZE in {time.perf_counter() - start:.1f} s", flush=True)
        else:
            print(
                f"reusing the {customers} customers and {wanted[1]} invoices "
                "generated by an earlier call",
                flush=True,
            )
        if args.generate_only:
            return
        policy = env["kam.classification.policy"].create(
            {"name": "Benchmark", "basis": "revenue", "company_id": env.company.id}
        )
        day = fields.Date.context_today(policy)
        date_from, date_to = policy._period(day)
        assert date_to - relativedelta(months=12) < date_from

        # read: per-customer amounts
        t_read, ours = best_of(
            args.repeat, lambda: policy._gather_amounts(date_from, date_to)
        )

        def hand_read():
            cr.execute(hand_amounts_sql(env.company.id, date_from, date_to))
            return cr.fetchall()

        t_hand_read, theirs = best_of(args.repeat, hand_read)
        theirs = {pid: (revenue, margin) for pid, revenue, margin in theirs}
        assert set(ours) == set(theirs), "the two reads found other customers"
        assert all(
            abs(ours[pid][0] - float(theirs[pid][0])) < 0.01
            and abs(ours[pid][1] - float(theirs[pid][1])) < 0.01
            for pid in ours
        ), "the two reads computed other totals"

        # whole: classification with write-back
        env.invalidate_all()
        env.flush_all()
        queries = cr.sql_log_count
        start = time.perf_counter()
        policy.action_run()
        env.flush_all()
        t_whole = time.perf_counter() - start
        queries = cr.sql_log_count - queries
        run = policy.last_run_id
        start = time.perf_counter()
        hand_whole(env, policy, day)
        t_hand_whole = time.perf_counter() - start
        # a second run compares with the previous one (alerts)
        env.invalidate_all()
        start = time.perf_counter()
        second_queries = cr.sql_log_count
        policy.action_run()
        env.flush_all()
        t_second = time.perf_counter() - start
        second_queries = cr.sql_log_count - second_queries
        # two policies of different scopes, one after the other: the
        # salesperson policy keeps its own results, the company's stay
        cr.execute(
            "SELECT invoice_user_id FROM account_move WHERE name LIKE %s "
            "AND invoice_user_id IS NOT NULL LIMIT 1",
            [BENCH_PREFIX + "%"],
        )
        seller_id = (cr.fetchone() or [env.uid])[0]
        seller_policy = env["kam.classification.policy"].create(
            {
                "name": "Benchmark salesperson",
                "basis": "margin",
                "scope": "salesperson",
                "user_id": seller_id,
                "company_id": env.company.id,
            }
        )
        cr.execute(
            "SELECT md5(string_agg(partner_id || ':' || share || ':' || is_key, ','"
            " ORDER BY partner_id)) FROM kam_classification_result "
            "WHERE policy_id = %s",
            [policy.id],
        )
        company_digest = cr.fetchone()[0]
        env.invalidate_all()
        scoped_queries = cr.sql_log_count
        start = time.perf_counter()
        seller_policy.action_run()
        env.flush_all()
        t_scoped = time.perf_counter() - start
        scoped_queries = cr.sql_log_count - scoped_queries
        cr.execute(
            "SELECT md5(string_agg(partner_id || ':' || share || ':' || is_key, ','"
            " ORDER BY partner_id)) FROM kam_classification_result "
            "WHERE policy_id = %s",
            [policy.id],
        )
        assert cr.fetchone()[0] == company_digest, "the company results changed"
        env.invalidate_all()
        start = time.perf_counter()
        policy.action_run()
        env.flush_all()
        t_company_again = time.perf_counter() - start

        # retention: a year of daily runs pruned
        run_model = env["kam.classification.run"]
        pruning = None
        if hasattr(run_model, "_kam_prune_runs"):
            made_runs, made_lines = year_of_daily_runs(
                env, policy, day, args.lines_per_run
            )
            env.invalidate_all()
            start = time.perf_counter()
            deleted = run_model._kam_prune_runs(policy, day)
            env.flush_all()
            pruning = (made_runs, made_lines, time.perf_counter() - start, deleted)

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"customers with invoices in the period: {len(ours)}, "
            f"ranked: {run.customer_count}, top-1 {run.top1_share:.2f} %, "
            f"top-5 {run.top5_share:.2f} %, HHI {run.hhi:.0f}"
        )
        print(
            f"read : module {t_read:.2f} s / hand SQL {t_hand_read:.2f} s "
            f"= {t_read / t_hand_read:.2f}x (goal <= 1.5x)"
        )
        print(
            f"whole: action_run() {t_whole:.2f} s / hand SQL {t_hand_whole:.2f} s "
            f"= {t_whole / t_hand_whole:.2f}x (goal <= 2x)"
        )
        print(
            f"queries of action_run(): {queries} (second run: {second_queries}, "
            f"{t_second:.2f} s)"
        )
        print(
            f"two scopes: salesperson policy after the company policy "
            f"{t_scoped:.2f} s ({scoped_queries} queries, "
            f"{seller_policy.last_run_id.customer_count} ranked), company results "
            f"unchanged; company policy again {t_company_again:.2f} s"
        )
        if pruning:
            made_runs, made_lines, t_prune, (runs_deleted, lines_deleted) = pruning
            print(
                f"retention: {made_runs} daily runs ({made_lines} lines) added, "
                f"pruned in {t_prune:.2f} s: {runs_deleted} runs and "
                f"{lines_deleted} lines deleted"
            )
        print(f"peak memory (max RSS) of this Odoo process: {peak:.0f} MB")
        cr.rollback()  # keep the generated data only


if __name__ == "__main__":
    main()
