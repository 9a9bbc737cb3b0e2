#!/usr/bin/env python
"""Benchmark of the dashboard summary (not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zp_dashboard_bench \\
        python bench/dashboard.py --tickets 1000000 --requests 1000000

Loads the demo data, then generates with bulk SQL (generate_series) in a database whose name ends
in "_bench" (it empties the generated tables there first): `--requests` one-stop service requests
over the last two years (120 days with `--smoke`) (completed, most on time; rejected; in progress, some overdue; a fifth
filed by an agent), a rating for three in five completed ones, `--tickets` problem tickets over the
same two years (closed and rated, resolved, open at each tier, some past their deadline) and one
or two whistled departments for those that climbed a tier. Rows are written oldest first, as a
live table grows, so one day's cases sit together on disk. Cases filed in the last `--open-days`
(60) days are open in the proportions above; older ones are finished, as in a zone whose sweeps
work (`--open-days 730` leaves 15 % of two years open, 150,000 of each kind).

Then it refreshes the daily rollups from scratch (timed), and times the whole summary
(`dashboard_summary`) for this year: for the zone, a park and a department, the public page's
figures and a home panel, `--repeat` times each after one warm-up, and prints the median and the
worst. Last, `--changed` random tickets and requests are written (so they are read as changes),
the zone summary is timed again, and so is the refresh that takes those cases in.
`--live` times the summaries with no rollups at all (every day read from the cases).

`--smoke` (what CI runs): 3,000 cases of each kind, one repetition, then checks that the
figures agree with direct counts and that the rollups give the same summaries as reading every day
from the cases (before and after the changes); exits 1 when they do not.
"""

import io
import statistics
import sys
import time
from datetime import timedelta

import support.django_setup  # noqa: F401 - first: what follows loads models
from django.core.management import call_command
from django.db import connection, reset_queries, transaction
from django.utils import timezone
from support import bench_database, bench_parser

from zone_portal.accounts.models import User
from zone_portal.dashboard.models import RollupState
from zone_portal.dashboard.periods import period_from_params
from zone_portal.dashboard.rollup import refresh
from zone_portal.dashboard.scope import Scope
from zone_portal.dashboard.selectors import dashboard_summary, headline_figures, public_figures
from zone_portal.org.models import Department, Park

REQUESTS_SQL = """
WITH items AS (
    SELECT array_agg(id ORDER BY id) AS ids, array_agg(department_id ORDER BY id) AS departments
    FROM services_serviceitem WHERE id NOT IN (SELECT from_serviceitem_id FROM services_serviceitem_components)
), firms AS (SELECT array_agg(id ORDER BY id) AS ids FROM enterprises_enterprise),
rows AS (
    SELECT g,
           %(now)s::timestamptz - ((%(total)s - g)::bigint * %(days)s / %(total)s) * interval '1 day'
               - (g %% 9) * interval '1 hour' AS submitted,
           (g %% (SELECT cardinality(ids) FROM items)) + 1 AS item, (g::bigint * 7919) %% (SELECT cardinality(ids) FROM firms) + 1 AS firm,
           CASE WHEN ((%(total)s - g)::bigint * %(days)s / %(total)s) < %(open_days)s THEN g %% 100 ELSE g %% 85 END AS bucket
    FROM generate_series(1, %(total)s) AS g
)
INSERT INTO services_servicerequest (
    number, is_bundle, applicant_name, applicant_phone, description, status, submitted_at, paused_total,
    supplement_missing, supplement_note, result, reject_reason, department_id, service_id, enterprise_id,
    submitted_by_id, agent_id, accepted_at, time_limit, risk_at, due_at, closed_at, updated_at,
    supplement_reason, supplement_rounds)
SELECT 'BENCH' || g, false, '', '', '',
       CASE WHEN bucket < 80 THEN 'completed' WHEN bucket < 85 THEN 'rejected'
            WHEN bucket < 95 THEN 'accepted' ELSE 'submitted' END,
       submitted, interval '0', '[]', '', '', '',
       items.departments[item], items.ids[item], firms.ids[firm], %(staff)s,
       CASE WHEN bucket %% 5 = 0 THEN %(agent)s END,
       CASE WHEN bucket < 95 THEN submitted + interval '1 hour' END,
       CASE WHEN bucket < 95 THEN interval '7 hours' END,
       CASE WHEN bucket < 95 THEN submitted + interval '20 hours' END,
       CASE WHEN bucket < 95 THEN submitted + interval '25 hours' END,
       CASE WHEN bucket < 72 THEN submitted + interval '5 hours'
            WHEN bucket < 80 THEN submitted + interval '30 hours'
            WHEN bucket < 85 THEN submitted + interval '2 hours' END,
       %(touched)s, '', 0
FROM rows, items, firms
"""

RATINGS_SQL = """
INSERT INTO ratings_rating (object_id, score, comment, case_label, case_url, created_at, content_type_id,
                             rater_id, enterprise_id, handler_department_id, updated_at)
SELECT r.id, 5 - (r.id %% 5), '', r.number, '', r.closed_at + interval '1 hour', %(ct)s, %(staff)s,
       r.enterprise_id, r.department_id, %(touched)s
FROM services_servicerequest r WHERE r.number LIKE 'BENCH%%' AND r.status = 'completed' AND r.id %% 5 < 3
"""

TICKETS_SQL = """
WITH firms AS (SELECT array_agg(id ORDER BY id) AS ids, array_agg(park_id ORDER BY id) AS parks
               FROM enterprises_enterprise),
rows AS (
    SELECT g, %(now)s::timestamptz - ((%(total)s - g)::bigint * %(days)s / %(total)s) * interval '1 day'
                  - (g %% 11) * interval '1 hour' AS received,
           (g::bigint * 104729) %% (SELECT cardinality(ids) FROM firms) + 1 AS firm,
           CASE WHEN ((%(total)s - g)::bigint * %(days)s / %(total)s) < %(open_days)s THEN g %% 100 ELSE g %% 75 END AS bucket
    FROM generate_series(1, %(total)s) AS g
)
INSERT INTO feedback_ticket (
    number, enterprise_id, park_id, category, title, description, urgency, source, contact, status, tier,
    created_at, tier_started_at, deadline_round, acknowledged_at, due_at, was_overdue, resolution,
    reopen_count, resolved_at, closed_at, confirmed_at, updated_at)
SELECT 'BENCH' || g, firms.ids[firm], firms.parks[firm], 'land', '基准测试诉求', '批量生成', 'normal',
       'enterprise', '',
       CASE WHEN bucket < 75 THEN 'closed' WHEN bucket < 85 THEN 'resolved' ELSE 'open' END,
       CASE WHEN bucket %% 10 < 7 THEN 1 WHEN bucket %% 10 < 9 THEN 2 ELSE 3 END,
       received, received, 0,
       CASE WHEN bucket < 97 THEN received + interval '1 hour' END,
       received + interval '3 days', bucket %% 10 = 9, '', (bucket = 50)::int,
       CASE WHEN bucket < 85 THEN received + interval '2 days' END,
       CASE WHEN bucket < 75 THEN received + interval '3 days' END,
       CASE WHEN bucket < 75 THEN received + interval '3 days' END, %(touched)s
FROM rows, firms
"""

# A ticket's rating is a shared rating (4 in 5 of the confirmed tickets are rated).
TICKET_RATINGS_SQL = """
INSERT INTO ratings_rating (object_id, score, comment, case_label, case_url, created_at, content_type_id,
                            rater_id, enterprise_id, updated_at)
SELECT t.id, 5 - (t.id %% 5), '', t.number, '', t.confirmed_at, %(ct)s, %(staff)s, t.enterprise_id,
       %(touched)s
FROM feedback_ticket t WHERE t.number LIKE 'BENCH%%' AND t.status = 'closed' AND t.id %% 5 < 4
"""

WHISTLES_SQL = """
INSERT INTO feedback_whistle (ticket_id, department_id, status, round, note, whistled_at, report_due_at,
                              answer_due_at, reported_at, answered_at, answer, return_reason, updated_at)
SELECT t.id, d.id, CASE WHEN t.status = 'open' THEN 'reported' ELSE 'answered' END, 1, '',
       t.created_at + interval '3 days', t.created_at + interval '4 days', t.created_at + interval '8 days',
       t.created_at + interval '3 days 2 hours',
       CASE WHEN t.status <> 'open' THEN t.created_at + interval '6 days' END, '', '', %(touched)s
FROM feedback_ticket t
JOIN org_department d ON d.code = CASE WHEN t.id %% 2 = 0 THEN 'land' ELSE 'power' END
   OR (t.id %% 3 = 0 AND d.code = 'tax')
WHERE t.tier >= 2 AND t.number LIKE 'BENCH%%'
"""


def generate(
    *, tickets: int, requests: int, open_days: int, days: int = 730, seed: bool = True, vacuum: bool = True
) -> None:
    """Replace the generated cases with `requests` requests and `tickets` tickets (bench/load.py builds
    its city with it too: `vacuum=False` leaves the VACUUM ANALYZE and the counts to the caller)."""
    if seed or not User.objects.filter(username="admin").exists():
        call_command("seed_demo", password="bench-only-password", stdout=io.StringIO())
    now = timezone.now()
    staff, agent = User.objects.get(username="ent_a"), User.objects.get(username="cso1")
    from django.contrib.contenttypes.models import ContentType

    from feedback.models import Ticket
    from services.models import ServiceRequest

    ct = ContentType.objects.get_for_model(ServiceRequest).pk
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM ratings_rectification WHERE rating_id IN (SELECT id FROM ratings_rating "
            "WHERE case_label LIKE 'BENCH%%')"
        )
        cursor.execute("DELETE FROM ratings_rating WHERE case_label LIKE 'BENCH%%'")
        cursor.execute("DELETE FROM services_servicerequest WHERE number LIKE 'BENCH%%'")
        cursor.execute(
            "DELETE FROM feedback_whistle WHERE ticket_id IN (SELECT id FROM feedback_ticket "
            "WHERE number LIKE 'BENCH%%')"
        )
        cursor.execute("DELETE FROM feedback_ticket WHERE number LIKE 'BENCH%%'")
        started = time.perf_counter()
        # Every generated case was last written an hour ago: the steady state a refresh has seen.
        touched = now - timedelta(hours=1)
        params = {
            "now": now,
            "total": requests,
            "staff": staff.pk,
            "agent": agent.pk,
            "ct": ct,
            "touched": touched,
            "open_days": open_days,
            "days": days,
        }
        cursor.execute(REQUESTS_SQL, params)
        cursor.execute(RATINGS_SQL, params)
        cursor.execute(
            TICKETS_SQL,
            {"now": now, "total": tickets, "touched": touched, "open_days": open_days, "days": days},
        )
        ticket_kind = ContentType.objects.get_for_model(Ticket).pk
        cursor.execute(TICKET_RATINGS_SQL, {**params, "ct": ticket_kind})
        cursor.execute(WHISTLES_SQL, {"touched": touched})
        if not vacuum:
            return
        cursor.execute("VACUUM ANALYZE")  # what autovacuum would have done by now
        print(f"generated in {time.perf_counter() - started:.0f} s")
        for table in ("services_servicerequest", "ratings_rating", "feedback_ticket", "feedback_whistle"):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed table names
            print(f"  {table}: {cursor.fetchone()[0]:,} rows")


SLOWEST = 0  # --slowest: print that many of the slowest queries of the last run


def measure(label: str, call, repeat: int) -> None:
    call()  # warm-up: the calendar, the content types, PostgreSQL's buffers
    timings, queries = [], 0
    for _ in range(repeat):
        reset_queries()
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
        queries = len(connection.queries)
    print(
        f"{label:<28} median {statistics.median(timings):7.0f} ms   worst {max(timings):7.0f} ms"
        f"   {queries} queries"
    )
    if SLOWEST:
        for query in sorted(connection.queries, key=lambda q: -float(q["time"]))[:SLOWEST]:
            print(f"    {float(query['time']) * 1000:6.0f} ms  {query['sql'][:160]}")


def main() -> None:
    parser = bench_parser(__doc__, smoke="check the figures and exit 1 when they disagree")
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-generate", action="store_true", help="reuse the rows of an earlier run")
    parser.add_argument("--period", default="year", choices=["month", "quarter", "year"])
    parser.add_argument("--no-jit", action="store_true", help="turn PostgreSQL's JIT compiler off first")
    parser.add_argument(
        "--open-days",
        type=int,
        default=60,
        help="cases filed in the last N days keep the open share (15%%); older ones are finished",
    )
    parser.add_argument(
        "--changed-days", type=int, default=60, help="the changed cases were filed in the last N days"
    )
    parser.add_argument("--live", action="store_true", help="read every day from the cases (no rollups)")
    parser.add_argument(
        "--changed",
        default="20",
        help="cases of each kind changed after the refresh; several (20,200,2000): one round each",
    )
    parser.add_argument("--slowest", type=int, default=0, help="print the N slowest queries of each summary")
    args = parser.parse_args()
    if args.smoke:  # cases over the last 120 days only, so that the full refresh takes seconds
        args.tickets, args.requests, args.repeat, args.skip_generate, args.live = 3000, 3000, 1, False, False
    global SLOWEST
    SLOWEST = args.slowest
    bench_database("it rewrites tables")
    if not args.skip_generate:
        generate(
            tickets=args.tickets,
            requests=args.requests,
            open_days=args.open_days,
            days=120 if args.smoke else 730,
            seed=not args.smoke,  # a smoke run reuses the demo data of an earlier one
        )
    from django.conf import settings

    settings.DEBUG = True  # count the queries
    admin = User.objects.get(username="admin")
    period = period_from_params({"period": args.period})
    if args.no_jit:
        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")
    park, department = Park.objects.get(code="park1"), Department.objects.get(code="land")
    if args.live:
        RollupState.objects.all().delete()  # never refreshed: every day is read from the cases
    else:
        timed("full refresh of the rollups", lambda: refresh(full=True))
    print(f"period {period.first} – {period.last}, JIT {'off' if args.no_jit else 'as configured'}")
    measure("zone summary", lambda: dashboard_summary(Scope(), period, user=admin), args.repeat)
    measure("park summary", lambda: dashboard_summary(Scope(park=park), period, user=admin), args.repeat)
    measure(
        "department summary",
        lambda: dashboard_summary(Scope(department=department), period, user=admin),
        args.repeat,
    )
    measure("public figures", lambda: public_figures(period), args.repeat)
    measure("home panel (zone)", lambda: headline_figures(Scope(), period), args.repeat)
    if args.live:
        return
    scopes = {"zone": Scope(), "park": Scope(park=park), "department": Scope(department=department)}
    healthy = not args.smoke or report_check("after the full refresh", check_figures(period, scopes, admin))
    # A working day's changes since the last refresh: read as changes until the next one takes them in.
    for changed in (int(n) for n in args.changed.split(",")):
        with connection.cursor() as cursor:
            for table, column in (
                ("feedback_ticket", "created_at"),
                ("services_servicerequest", "submitted_at"),
            ):
                cursor.execute(
                    f"UPDATE {table} SET updated_at = now() WHERE id IN "  # noqa: S608 - fixed table names
                    f"(SELECT id FROM {table} WHERE {column} > now() - %s * interval '1 day' "
                    f"ORDER BY random() LIMIT %s)",
                    [args.changed_days, changed],
                )
        print(
            f"{changed} tickets and {changed} requests of the last {args.changed_days} days "
            "changed since the refresh:"
        )
        measure("zone summary", lambda: dashboard_summary(Scope(), period, user=admin), args.repeat)
        if args.smoke:
            healthy &= report_check("changed cases read as changes", check_figures(period, scopes, admin))
        report = timed("refresh of the changed cases", lambda: refresh())
        cases = sum(r.get("cases", 0) for r in report.values())
        print(
            f"  recounted {cases:,} cases over {len(report)} facts, {sum(r['rows'] for r in report.values()):,} day rows"
        )
        if args.smoke:
            healthy &= report_check("after refreshing them", check_figures(period, scopes, admin))
    if args.smoke and not healthy:
        sys.exit(1)


def _first_difference(a, b, path="summary"):
    """Where two summaries first differ, as a readable path (None when they are equal)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in a.keys() | b.keys():
            found = _first_difference(a.get(key), b.get(key), f"{path}[{key!r}]")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            found = _first_difference(x, y, f"{path}[{index}]")
            if found:
                return found
        return None
    return None if a == b else f"{path}: {a!r} != {b!r}"


def check_figures(period, scopes: dict, admin) -> list[str]:
    """What is wrong with the figures: a headline count that disagrees with a direct count of the
    cases, or a summary read from the rollups that differs from the same summary read live."""
    from feedback.models import Ticket
    from services.models import ServiceRequest

    wrong = []
    now = timezone.now()
    head = headline_figures(Scope(), period, now=now)
    in_period = {"__gte": period.start, "__lt": period.end}
    direct = {
        "requests filed": ServiceRequest.objects.filter(
            parent__isnull=True, **{f"submitted_at{k}": v for k, v in in_period.items()}
        ).count(),
        "tickets received": Ticket.objects.filter(
            **{f"created_at{k}": v for k, v in in_period.items()}
        ).count(),
    }
    shown = {"requests filed": head["requests"]["submitted"], "tickets received": head["tickets"]["received"]}
    for name, count in direct.items():
        if shown[name] != count:
            wrong.append(f"{name}: the dashboard says {shown[name]}, a direct count {count}")
    summaries = {
        name: dashboard_summary(scope, period, user=admin, now=now) for name, scope in scopes.items()
    }
    with transaction.atomic():
        RollupState.objects.all().delete()  # never refreshed: every day is read from the cases
        live = {name: dashboard_summary(scope, period, user=admin, now=now) for name, scope in scopes.items()}
        transaction.set_rollback(True)
    for name in scopes:
        difference = _first_difference(summaries[name], live[name])
        if difference:
            wrong.append(f"{name} summary, rollups vs live: {difference}")
    return wrong


def report_check(label: str, wrong: list[str]) -> bool:
    print(f"check ({label}): " + ("figures agree" if not wrong else f"{len(wrong)} problem(s)"))
    for line in wrong:
        print(f"  WRONG {line}")
    return not wrong


def timed(label: str, call):
    started = time.perf_counter()
    result = call()
    seconds = time.perf_counter() - started
    print(f"{label:<28} {seconds:7.1f} s" if seconds >= 10 else f"{label:<28} {seconds * 1000:7.0f} ms")
    return result


if __name__ == "__main__":
    main()
