#!/usr/bin/env python
"""Benchmark of the problem tickets' deadline sweep (not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zp_feedback_bench \\
        python bench/feedback_sweep.py --tickets 100000 --due 10000
    python bench/feedback_sweep.py --smoke     # 2,000 tickets, 200 due: seconds (CI runs it)

Generates the tickets with bulk SQL (generate_series) in a database whose name ends in "_bench"
(it empties the feedback tables there first), then times one sweep that finds `--due` tickets past
their deadlines (each climbs to tier 2, held by the park director, and is whistled to the land
department: an event for each, a notice for the director and for the department's officer) and
then sweeps with nothing due. As in a running system, the due tickets had their 75 % reminder
from an earlier sweep. The other tickets are open at tier 1, or at tier 2 with two whistled
departments, all with deadlines in the future. It exits non-zero when the sweep did not do
exactly that work, or when a sweep with nothing due changed anything.
"""

import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zone_portal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from support import bench_database, bench_parser  # noqa: E402

from enterprises.demo import seed_enterprises_a_and_b  # noqa: E402
from feedback.actions import escalation_defaults_install  # noqa: E402
from feedback.sweep import tickets_sweep  # noqa: E402
from zone_portal.demo import DemoContext, seed_foundation  # noqa: E402


def generate(total: int, due: int, now) -> None:
    past, future = now - timedelta(days=30), now + timedelta(days=30)
    ctx = DemoContext(password="bench-only-password")
    seed_foundation(ctx)
    seed_enterprises_a_and_b(ctx)
    escalation_defaults_install()
    enterprise, cso, director = ctx.enterprises["A"], ctx.users["cso1"], ctx.users["park1"]
    land, power = ctx.departments["land"], ctx.departments["power"]
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE feedback_ticket, feedback_whistle, feedback_agendaitem, feedback_actionitem, "
            "feedback_extension, feedback_ticketattachment RESTART IDENTITY CASCADE"
        )
        cursor.execute("DELETE FROM events_event WHERE kind <> 'calendar_override_created'")
        cursor.execute("TRUNCATE notifications_notification")
        # Ticket g is due when g <= due; a fifth of the others are at tier 2 with two whistles.
        cursor.execute(
            """
            INSERT INTO feedback_ticket (
                number, enterprise_id, park_id, category, title, description, urgency, source, contact,
                status, tier, owner_id, created_at, tier_started_at, deadline_round, acknowledged_at,
                remind_at, reminded_at, due_at, was_overdue, resolution, reopen_count,
                updated_at)
            SELECT 'B' || g, %(enterprise)s, %(park)s, 'land', '基准测试诉求 ' || g, '批量生成', 'normal',
                   'enterprise', '', 'open',
                   CASE WHEN g > %(due)s AND g %% 5 = 0 THEN 2 ELSE 1 END,
                   CASE WHEN g > %(due)s AND g %% 5 = 0 THEN %(director)s ELSE %(cso)s END,
                   %(past)s, %(past)s, 0, %(past)s,
                   CASE WHEN g <= %(due)s THEN %(past)s ELSE %(future)s END,
                   CASE WHEN g <= %(due)s THEN %(past)s END,
                   CASE WHEN g <= %(due)s THEN %(past)s ELSE %(future)s END,
                   false, '', 0, %(past)s
            FROM generate_series(1, %(total)s) AS g
            """,
            {
                "enterprise": enterprise.pk,
                "park": enterprise.park_id,
                "director": director.pk,
                "cso": cso.pk,
                "due": due,
                "total": total,
                "past": past,
                "future": future,
            },
        )
        cursor.execute(
            """
            INSERT INTO feedback_whistle (
                ticket_id, department_id, status, round, note, whistled_at, report_remind_at, report_due_at,
                notice_at, answer_remind_at, answer_due_at, answer, return_reason, updated_at)
            SELECT t.id, d.id, 'whistled', 1, '', %(past)s, %(future)s, %(future)s, %(future)s, %(future)s,
                   %(future)s, '', '', %(past)s
            FROM feedback_ticket t CROSS JOIN (VALUES (%(land)s), (%(power)s)) AS d(id)
            WHERE t.tier = 2
            """,
            {"past": past, "future": future, "land": land.pk, "power": power.pk},
        )
    old_autocommit = connection.get_autocommit()
    connection.set_autocommit(True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE feedback_ticket")
        cursor.execute("VACUUM ANALYZE feedback_whistle")
        cursor.execute("VACUUM ANALYZE events_event")
        cursor.execute("VACUUM ANALYZE notifications_notification")
    connection.set_autocommit(old_autocommit)


def timed(now) -> tuple[float, dict]:
    started = time.perf_counter()
    report = tickets_sweep(now=now)
    return time.perf_counter() - started, report


def main():
    parser = bench_parser(__doc__, smoke="exit 1 unless exactly the due tickets climbed")
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5, help="sweeps with nothing due (the median is shown)")
    args = parser.parse_args()
    if args.smoke:
        args.tickets, args.due, args.repeat = 2_000, 200, 2
    bench_database("it empties the feedback tables")
    now = timezone.now()
    started = time.perf_counter()
    generate(args.tickets, args.due, now)
    print(
        f"generated {args.tickets:,} open tickets ({args.due:,} due) in {time.perf_counter() - started:.1f} s"
    )

    tickets_sweep(now=now - timedelta(days=60))  # warm the process caches, as a running worker has them
    seconds, report = timed(now)
    print(
        f"sweep with {args.due:,} due: {seconds * 1000:.0f} ms  { ({k: v for k, v in report.items() if v}) }"
    )
    expected = {"Tier1Overdue": args.due}
    if {k: v for k, v in report.items() if v} != expected:
        sys.exit(f"the sweep did {report}, expected {expected}")
    idle = []
    for _ in range(args.repeat):
        seconds, report = timed(now)
        if any(report.values()):
            sys.exit(f"a sweep with nothing due changed something: {report}")
        idle.append(seconds)
    print(f"sweep with nothing due: median {statistics.median(idle) * 1000:.1f} ms over {args.repeat} runs")
    if args.smoke:
        with connection.cursor() as cursor:  # ticket g is due when g <= due (identities restarted)
            cursor.execute(
                "SELECT count(*) FILTER (WHERE id <= %s), count(*) FROM feedback_ticket WHERE tier = 2 "
                "AND tier_started_at = %s",
                [args.due, now],
            )
            climbed_due, climbed = cursor.fetchone()
        if (climbed_due, climbed) != (args.due, args.due):
            sys.exit(f"smoke: {climbed} tickets climbed ({climbed_due} of the {args.due} due ones)")
        print(f"smoke: the {args.due} due tickets climbed, no other")


if __name__ == "__main__":
    main()
