# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Multi-worker run (not a test): Odoo in prefork mode with cron workers, the
crons of the addon, manual runs and simulated KAMs at the same time.

Usage (``./kam multiworker`` does this with the project's virtualenv)::

    python bench/multiworker.py -c .kam/odoo.conf [--template kam_demo]
        [--db kam_mw] [--users 20] [--duration 60]

Steps:

1. copies the demo database (``createdb -T <template> <db>``; the template is
   created like ``./kam run`` does, with demo data, when it is missing);
2. starts Odoo with ``--workers=4 --max-cron-threads=2`` on free ports of
   127.0.0.1 and waits for it;
3. creates ``--users`` KAM users (group KAM User), each the KAM of a few key
   accounts, through JSON-RPC as admin;
4. at the same time, for ``--duration`` seconds at most:

   * every cron of the addon due now (its ``nextcall`` set to now: the cron
     workers take it) and triggered twice by hand from two threads
     (``ir.cron.method_direct_trigger``; a trigger refused because the job is
     running elsewhere is counted apart, it is no error);
   * a manual classification (``kam.classification.policy.action_run`` of
     every active policy) and a manual KPI evaluation
     (``kam.kpi.rule.action_evaluate`` of every active rule);
   * the simulated users, each a JSON-RPC session over loopback doing a KAM's
     day in a loop (at most ``--calls`` calls each): key account list and
     form, dossier, tender list and form, KPI board;

5. waits for the crons to finish (bounded), then prints the requests, the
   errors, p50/p95 latency per screen, and the duplicated or lost records
   found in the database: two classification runs of one policy and day, two
   health scores of one account, company and day, two KPI results of one
   rule, user and period, two monthly reports of one user and month, two
   greeting logs of one occasion, two open activities of one kind on one
   record; active policies not run today, key accounts not scored today;
   crons deactivated or with failures; ERROR lines in the server log;
6. stops the server (the database is kept; ``--drop`` drops it).
"""

import argparse
import configparser
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from http.cookiejar import CookieJar
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Session:
    """A JSON-RPC session of one user (cookie jar of its own)."""

    def __init__(self, url):
        self.url = url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar())
        )
        self._id = 0

    def call(self, path, params, timeout=120):
        self._id += 1
        body = json.dumps(
            {"jsonrpc": "2.0", "method": "call", "params": params, "id": self._id}
        ).encode()
        request = urllib.request.Request(
            self.url + path, body, {"Content-Type": "application/json"}
        )
        with self.opener.open(request, timeout=timeout) as response:
            reply = json.loads(response.read())
        if reply.get("error"):
            data = reply["error"].get("data") or {}
            raise RpcError(data.get("name", ""), data.get("message", str(reply)))
        return reply["result"]

    def login(self, db, login, password):
        return self.call(
            "/web/session/authenticate",
            {"db": db, "login": login, "password": password},
        )

    def kw(self, model, method, args=(), **kwargs):
        return self.call(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


class RpcError(Exception):
    def __init__(self, name, message):
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency = defaultdict(list)
        self.errors = defaultdict(list)
        self.refused = defaultdict(int)

    def timed(self, screen, func):
        start = time.perf_counter()
        try:
            result = func()
        except Exception as exc:  # noqa: BLE001 - every failure is counted
            with self.lock:
                self.latency[screen].append(time.perf_counter() - start)
                self.errors[screen].append(str(exc)[:300])
            return None
        with self.lock:
            self.latency[screen].append(time.perf_counter() - start)
        return result


# --- server ------------------------------------------------------------------


def db_args(conf):
    options = conf["options"]
    args = {}
    for key, name in (
        ("db_host", "host"),
        ("db_port", "port"),
        ("db_user", "user"),
        ("db_password", "password"),
    ):
        value = options.get(key, "False")
        if value and value != "False":
            args[name] = value
    return args


def db_exists(conn_args, name):
    with psycopg2.connect(dbname="postgres", **conn_args) as conn:
        with conn.cursor() as cr:
            cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return bool(cr.fetchone())


def odoo_cmd(args, *extra):
    return [
        sys.executable,
        str(Path(args.odoo_src).expanduser() / "setup" / "odoo"),
        "-c",
        args.config,
        *extra,
    ]


def prepare_database(args, conn_args):
    if not db_exists(conn_args, args.template):
        print(f"creating {args.template} with demo data (as ./kam run does)")
        subprocess.run(
            odoo_cmd(
                args,
                "-d",
                args.template,
                "-i",
                "kam_management",
                "--stop-after-init",
                f"--logfile={args.logdir}/template.log",
            ),
            check=True,
        )
    env = dict(os.environ)
    for name, var in (
        ("host", "PGHOST"),
        ("port", "PGPORT"),
        ("user", "PGUSER"),
        ("password", "PGPASSWORD"),
    ):
        if name in conn_args:
            env[var] = str(conn_args[name])
    subprocess.run(["dropdb", "--if-exists", args.db], check=True, env=env)
    subprocess.run(["createdb", "-T", args.template, args.db], check=True, env=env)
    # the copy is upgraded to the current tree before it is served
    subprocess.run(
        odoo_cmd(
            args,
            "-d",
            args.db,
            "-u",
            "kam_management",
            "--stop-after-init",
            f"--logfile={args.logdir}/upgrade.log",
        ),
        check=True,
    )


def start_server(args, port):
    log = Path(args.logdir) / "server.log"
    log.write_text("")
    process = subprocess.Popen(  # noqa: S603 - our own command line
        odoo_cmd(
            args,
            "-d",
            args.db,
            f"--db-filter=^{args.db}$",
            "--workers=4",
            "--max-cron-threads=2",
            "--http-interface=127.0.0.1",
            f"--http-port={port}",
            f"--gevent-port={free_port()}",
            f"--logfile={log}",
            "--limit-time-real=300",
            "--limit-time-cpu=240",
        ),
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"Odoo stopped (log: {log})")
        try:
            with urllib.request.urlopen(url + "/web/health", timeout=5) as reply:
                if reply.status == 200:
                    return process, url
        except (urllib.error.URLError, OSError):
            time.sleep(1)
    stop_server(process)
    raise SystemExit(f"Odoo did not answer within 120 s (log: {log})")


def stop_server(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# --- the load ------------------------------------------------------------------


def setup_users(admin, count):
    """``count`` KAM users, each the KAM of a few key accounts."""
    group = admin.kw(
        "ir.model.data",
        "search_read",
        [[("module", "=", "kam_management"), ("name", "=", "group_kam_user")]],
        fields=["res_id"],
    )[0]["res_id"]
    accounts = admin.kw(
        "res.partner",
        "search",
        [[("kam_is_key_account", "=", True), ("parent_id", "=", False)]],
    )
    logins = []
    for index in range(count):
        login = f"mw_kam_{index:02d}"
        existing = admin.kw("res.users", "search", [[("login", "=", login)]])
        if existing:
            user_id = existing[0]
        else:
            user_id = admin.kw(
                "res.users",
                "create",
                [
                    {
                        "name": f"Multi-worker KAM {index:02d}",
                        "login": login,
                        "password": login,
                        "groups_id": [(4, group)],
                    }
                ],
            )
        mine = accounts[index::count] if accounts else []
        if mine:
            admin.kw("res.partner", "write", [mine, {"kam_user_id": user_id}])
        logins.append(login)
    return logins


def kam_day(session, stats, deadline, max_calls, has_cockpit):
    calls = 0

    def screen(name, func):
        nonlocal calls
        calls += 1
        return stats.timed(name, func)

    while time.time() < deadline and calls < max_calls:
        accounts = screen(
            "key account list",
            lambda: session.kw(
                "res.partner",
                "web_search_read",
                domain=[("kam_is_key_account", "=", True), ("parent_id", "=", False)],
                specification={
                    "display_name": {},
                    "kam_tier": {},
                    "kam_revenue": {},
                    "kam_abc_class": {},
                    "kam_dependence_level": {},
                    "kam_health_score": {},
                    "kam_user_id": {"fields": {"display_name": {}}},
                },
                limit=80,
            ),
        )
        records = (accounts or {}).get("records") or []
        if records:
            account_id = records[calls % len(records)]["id"]
            screen(
                "key account form",
                lambda account_id=account_id: session.kw(
                    "res.partner",
                    "web_read",
                    [[account_id]],
                    specification={
                        "display_name": {},
                        "kam_tier": {},
                        "kam_revenue": {},
                        "kam_margin": {},
                        "kam_revenue_share": {},
                        "kam_health_score": {},
                        "kam_health_colour": {},
                        "kam_tender_count": {},
                        "kam_dossier_member_ids": {"fields": {"display_name": {}}},
                    },
                ),
            )
        dossiers = screen(
            "dossier",
            lambda: session.kw(
                "kam.dossier",
                "web_search_read",
                domain=[],
                specification={"display_name": {}, "completeness": {}},
                limit=1,
            ),
        )
        if dossiers and dossiers.get("records"):
            dossier_id = dossiers["records"][0]["id"]
            screen(
                "dossier",
                lambda dossier_id=dossier_id: session.kw(
                    "kam.dossier",
                    "web_read",
                    [[dossier_id]],
                    specification={
                        "display_name": {},
                        "partner_id": {"fields": {"display_name": {}}},
                        "member_ids": {"fields": {"display_name": {}}},
                    },
                ),
            )
        tenders = screen(
            "tender list",
            lambda: session.kw(
                "kam.tender",
                "web_search_read",
                domain=[],
                specification={
                    "display_name": {},
                    "stage_id": {"fields": {"display_name": {}}},
                    "estimated_value": {},
                    "date_submission": {},
                },
                limit=80,
            ),
        )
        if tenders and tenders.get("records"):
            tender_id = tenders["records"][calls % len(tenders["records"])]["id"]
            screen(
                "tender form",
                lambda tender_id=tender_id: session.kw(
                    "kam.tender",
                    "web_read",
                    [[tender_id]],
                    specification={
                        "display_name": {},
                        "partner_id": {"fields": {"display_name": {}}},
                        "milestone_ids": {"fields": {"display_name": {}}},
                        "estimated_value": {},
                    },
                ),
            )
        screen(
            "KPI board",
            lambda: session.kw(
                "kam.kpi.result",
                "web_read_group",
                domain=[],
                groupby=["rule_id"],
                fields=["value:sum", "attainment:avg"],
            ),
        )
        if has_cockpit:
            screen("cockpit", lambda: session.kw("kam.cockpit", "get_cockpit_data"))


def trigger(session, cron_id, stats):
    screen = "cron (manual trigger)"
    start = time.perf_counter()
    try:
        session.kw("ir.cron", "method_direct_trigger", [[cron_id]])
    except RpcError as exc:
        with stats.lock:
            if "cannot be modified right now" in exc.message:
                stats.refused[screen] += 1
            else:
                stats.errors[screen].append(str(exc)[:300])
    except Exception as exc:  # noqa: BLE001
        with stats.lock:
            stats.errors[screen].append(str(exc)[:300])
    with stats.lock:
        stats.latency[screen].append(time.perf_counter() - start)


def manual_runs(session, stats):
    policies = session.kw(
        "kam.classification.policy", "search", [[("active", "=", True)]]
    )
    for policy in policies:
        stats.timed(
            "manual classification",
            lambda policy=policy: session.kw(
                "kam.classification.policy", "action_run", [[policy]]
            ),
        )
    rules = session.kw("kam.kpi.rule", "search", [[("active", "=", True)]])
    if rules:
        stats.timed(
            "manual KPI evaluation",
            lambda: session.kw("kam.kpi.rule", "action_evaluate", [rules]),
        )


# --- checks ----------------------------------------------------------------------

DUPLICATES = {
    "classification runs per policy and day": """
        SELECT COUNT(*) FROM (SELECT 1 FROM kam_classification_run
        GROUP BY policy_id, date HAVING COUNT(*) > 1) d""",
    "health scores per account, company and day": """
        SELECT COUNT(*) FROM (SELECT 1 FROM kam_health_score
        GROUP BY partner_id, company_id, date HAVING COUNT(*) > 1) d""",
    "KPI results per rule, user and period": """
        SELECT COUNT(*) FROM (SELECT 1 FROM kam_kpi_result
        GROUP BY rule_id, user_id, date_from HAVING COUNT(*) > 1) d""",
    "monthly reports per user, company and month": """
        SELECT COUNT(*) FROM (SELECT 1 FROM kam_monthly_report
        GROUP BY user_id, company_id, date_from HAVING COUNT(*) > 1) d""",
    "attestations per user and period": """
        SELECT COUNT(*) FROM (SELECT 1 FROM kam_attestation
        GROUP BY user_id, date_from, date_to HAVING COUNT(*) > 1) d""",
    "greeting logs per occasion": """
        SELECT COUNT(*) FROM (SELECT 1 FROM kam_greeting_log
        GROUP BY partner_id, occasion, occasion_date HAVING COUNT(*) > 1) d""",
    "open activities of one kind on one record and day": """
        SELECT COUNT(*) FROM (SELECT 1 FROM mail_activity
        GROUP BY res_model, res_id, activity_type_id, summary, date_deadline,
                 user_id HAVING COUNT(*) > 1) d""",
    "next tenders per won tender": """
        SELECT COUNT(*) FROM (SELECT 1 FROM kam_tender
        WHERE previous_tender_id IS NOT NULL
        GROUP BY previous_tender_id HAVING COUNT(*) > 1) d""",
}

LOST = {
    "active policies without a run today": """
        SELECT COUNT(*) FROM kam_classification_policy p
         WHERE p.active AND NOT EXISTS (
               SELECT 1 FROM kam_classification_run r
                WHERE r.policy_id = p.id AND r.date = CURRENT_DATE)""",
    "key accounts without a score today (in their company, or shared and"
    " traded in it)": """
        SELECT COUNT(*) FROM res_partner p
          JOIN res_company c ON TRUE
         WHERE p.active AND p.parent_id IS NULL
           AND (p.kam_is_key_account ->> c.id::text)::boolean
           AND (p.company_id = c.id
                OR (p.company_id IS NULL AND EXISTS (
                    SELECT 1 FROM account_move_line aml
                     WHERE aml.partner_id = p.id AND aml.company_id = c.id
                       AND aml.parent_state = 'posted')))
           AND NOT EXISTS (
               SELECT 1 FROM kam_health_score s
                WHERE s.partner_id = p.id AND s.company_id = c.id
                  AND s.date = CURRENT_DATE)""",
}


def wait_for_crons(conn_args, db, started, timeout):
    """Until no cron of the addon is due or running (bounded)."""
    deadline = time.time() + timeout
    with psycopg2.connect(dbname=db, **conn_args) as conn:
        conn.autocommit = True
        with conn.cursor() as cr:
            while time.time() < deadline:
                cr.execute(
                    """
                    SELECT COUNT(*) FROM ir_cron c
                      JOIN ir_model_data d ON d.model = 'ir.cron' AND d.res_id = c.id
                     WHERE d.module = 'kam_management' AND c.active
                       AND (c.nextcall <= now() AT TIME ZONE 'UTC'
                            OR c.lastcall IS NULL OR c.lastcall < %s
                            OR EXISTS (SELECT 1 FROM ir_cron_trigger t
                                        WHERE t.cron_id = c.id
                                          AND t.call_at <= now() AT TIME ZONE 'UTC'))
                    """,
                    [started],
                )
                if not cr.fetchone()[0]:
                    return True
                time.sleep(2)
    return False


def checks(conn_args, db):
    found = {}
    with psycopg2.connect(dbname=db, **conn_args) as conn:
        with conn.cursor() as cr:
            for label, query in {**DUPLICATES, **LOST}.items():
                cr.execute(query)
                found[label] = cr.fetchone()[0]
            cr.execute(
                """
                SELECT c.cron_name, c.active, c.failure_count
                  FROM ir_cron c
                  JOIN ir_model_data d ON d.model = 'ir.cron' AND d.res_id = c.id
                 WHERE d.module = 'kam_management'
                   AND (NOT c.active OR c.failure_count > 0)
                """
            )
            crons = cr.fetchall()
            cr.execute("SELECT COUNT(*) FROM kam_cron_failure")
            failures = cr.fetchone()[0]
    return found, crons, failures


def percentile(values, share):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def print_report(args, stats, elapsed, cron_ids, found, bad_crons, failures):
    """Print the figures; True when one misses its goal."""
    log_errors = [
        line
        for line in (Path(args.logdir) / "server.log").read_text().splitlines()
        if " ERROR " in line or " CRITICAL " in line
    ]
    requests = sum(len(v) for v in stats.latency.values())
    errors = sum(len(v) for v in stats.errors.values())
    print(f"\n{args.users} users, {len(cron_ids)} crons x 2 triggers, {elapsed:.0f} s")
    print(f"requests: {requests}   errors: {errors}")
    print(f"{'screen':<28}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}")
    for screen in sorted(stats.latency):
        values = stats.latency[screen]
        print(
            f"{screen:<28}{len(values):>9}{len(stats.errors[screen]):>8}"
            f"{percentile(values, 0.5) * 1000:>9.0f}"
            f"{percentile(values, 0.95) * 1000:>9.0f}"
        )
    for screen, count in stats.refused.items():
        print(f"{screen}: {count} refused while the job ran elsewhere (no error)")
    print("\nduplicated records (goal 0):")
    for label in DUPLICATES:
        print(f"  {label}: {found[label]}")
    print("lost records (goal 0):")
    for label in LOST:
        print(f"  {label}: {found[label]}")
    print(f"crons deactivated or failing: {len(bad_crons)} {bad_crons or ''}")
    print(f"records a cron could not process (kam.cron.failure): {failures}")
    print(f"ERROR/CRITICAL lines in the server log: {len(log_errors)}")
    for screen, messages in stats.errors.items():
        for message in sorted(set(messages))[:3]:
            print(f"  error on {screen}: {message}")
    for line in log_errors[:10]:
        print(f"  log: {line[:300]}")
    return bool(errors or any(found.values()) or bad_crons or log_errors)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", default=str(ROOT / ".kam" / "odoo.conf"))
    parser.add_argument("--odoo-src", default=os.environ.get("ODOO_SRC", "~/odoo/18.0"))
    parser.add_argument("--template", default=os.environ.get("KAM_DB", "kam_demo"))
    parser.add_argument("--db", default="kam_mw")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--calls", type=int, default=400, help="calls per user")
    parser.add_argument("--cron-wait", type=int, default=240)
    parser.add_argument("--logdir", default=str(ROOT / ".kam" / "multiworker"))
    parser.add_argument("--drop", action="store_true", help="drop the db at the end")
    args = parser.parse_args()
    Path(args.logdir).mkdir(parents=True, exist_ok=True)
    conf = configparser.ConfigParser()
    conf.read(args.config)
    conn_args = db_args(conf)

    prepare_database(args, conn_args)
    port = free_port()
    process, url = start_server(args, port)
    print(f"Odoo with 4 workers and 2 cron threads on {url}, database {args.db}")
    stats = Stats()
    try:

        def admin_factory():
            session = Session(url)
            session.login(args.db, "admin", "admin")
            return session

        admin = admin_factory()
        logins = setup_users(admin, args.users)
        crons = admin.kw(
            "ir.model.data",
            "search_read",
            [[("module", "=", "kam_management"), ("model", "=", "ir.cron")]],
            fields=["res_id", "name"],
        )
        cron_ids = [row["res_id"] for row in crons]
        has_cockpit = bool(
            admin.kw("ir.model", "search", [[("model", "=", "kam.cockpit")]])
        )
        started = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())
        # due now: the cron workers take them (a job running already is due)
        for cron_id in cron_ids:
            try:
                admin.kw("ir.cron", "write", [[cron_id], {"nextcall": started}])
            except RpcError as exc:
                if "cannot be modified right now" not in exc.message:
                    raise
        # the users log in first (one after the other, as in the morning)
        sessions = []
        for login in logins:
            session = Session(url)
            if stats.timed("login", lambda s=session, u=login: s.login(args.db, u, u)):
                sessions.append(session)
        admins = [admin_factory() for _session in range(4)]
        deadline = time.time() + args.duration
        threads = [
            threading.Thread(
                target=kam_day,
                args=(session, stats, deadline, args.calls, has_cockpit),
            )
            for session in sessions
        ]
        threads += [
            threading.Thread(target=trigger, args=(admins[index % 4], cron_id, stats))
            for index, cron_id in enumerate(cron_ids * 2)
        ]
        threads.append(threading.Thread(target=manual_runs, args=(admins[0], stats)))
        t0 = time.time()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=max(1, args.duration + args.cron_wait))
        elapsed = time.time() - t0
        crons_done = wait_for_crons(conn_args, args.db, started, args.cron_wait)
        found, bad_crons, failures = checks(conn_args, args.db)
    finally:
        stop_server(process)
    bad = print_report(args, stats, elapsed, cron_ids, found, bad_crons, failures)
    print(f"crons finished: {'yes' if crons_done else 'NO (still due or running)'}")
    if args.drop:
        subprocess.run(["dropdb", "--if-exists", args.db], check=False)
    return 1 if bad or not crons_done else 0


if __name__ == "__main__":
    sys.exit(main())
