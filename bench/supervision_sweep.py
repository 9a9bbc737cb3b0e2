#!/usr/bin/env python
"""Benchmark of the supervisors' observations sweep (not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zp_supervision_bench \\
        python bench/supervision_sweep.py --observations 100000 --due 10000
    python bench/supervision_sweep.py --smoke     # 2,000 observations, 200 due: seconds (CI runs it)

Generates observations with bulk SQL (generate_series) in a database whose name ends in "_bench"
(it empties the supervision tables there first): `--due` of them past their deadline (reminded by
an earlier sweep, as in a running system), half of them at the hall (the clerks answer) and half
at the market department; the others with deadlines in the future. Times one sweep (each due one
escalated once: an event, notices to the responders, administrators and leaders), then sweeps
with nothing due. Exits non-zero when the sweep did not do exactly that, or an idle sweep changed
anything.
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

from supervision.sweep import observations_sweep  # noqa: E402
from zone_portal.demo import DemoContext, seed_foundation  # noqa: E402


def generate(total: int, due: int, now) -> None:
    past, future = now - timedelta(days=30), now + timedelta(days=30)
    ctx = DemoContext(password="bench-only-password")
    seed_foundation(ctx)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE supervision_observation RESTART IDENTITY CASCADE")
        cursor.execute("DELETE FROM events_event WHERE kind <> 'calendar_override_created'")
        cursor.execute("TRUNCATE notifications_notification")
        cursor.execute(
            """
            INSERT INTO supervision_observation (
                supervisor_id, category, place, place_detail, department_id, observed_at, description,
                status, created_at, measures, fixed_at_once, result, risk_at, due_at, deadline_round,
                reminded_at, was_overdue, updated_at)
            SELECT %(supervisor)s, 'blocking',
                   CASE WHEN g %% 2 = 0 THEN 'hall_window' ELSE 'department' END, '',
                   CASE WHEN g %% 2 = 0 THEN NULL ELSE %(market)s END,
                   %(past)s, '基准测试', 'submitted', %(past)s, '', false, '',
                   CASE WHEN g <= %(due)s THEN %(past)s ELSE %(future)s END,
                   CASE WHEN g <= %(due)s THEN %(past)s ELSE %(future)s END,
                   1, CASE WHEN g <= %(due)s THEN %(past)s END, false, %(past)s
            FROM generate_series(1, %(total)s) AS g
            """,
            {
                "supervisor": ctx.users["supervisor1"].pk,
                "market": ctx.departments["market"].pk,
                "due": due,
                "total": total,
                "past": past,
                "future": future,
            },
        )
    old_autocommit = connection.get_autocommit()
    connection.set_autocommit(True)
    with connection.cursor() as cursor:
        for table in ("supervision_observation", "events_event", "notifications_notification"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    connection.set_autocommit(old_autocommit)


def timed(now) -> tuple[float, dict]:
    started = time.perf_counter()
    report = observations_sweep(now=now)
    return time.perf_counter() - started, report


def main():
    parser = bench_parser(__doc__, smoke="exit 1 unless exactly the due observations escalated, once")
    parser.add_argument("--observations", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5, help="sweeps with nothing due (the median is shown)")
    args = parser.parse_args()
    if args.smoke:
        args.observations, args.due, args.repeat = 2_000, 200, 2
    bench_database("it empties the supervision tables")
    now = timezone.now()
    started = time.perf_counter()
    generate(args.observations, args.due, now)
    print(
        f"generated {args.observations:,} observations ({args.due:,} due) in {time.perf_counter() - started:.1f} s"
    )
    observations_sweep(now=now - timedelta(days=60))  # warm the process caches, as a running worker has them
    from django.urls import reverse

    reverse("supervision:observation", args=[1])  # the URL configuration, loaded once per worker
    from zone_portal.notifications.tasks import deliver_notifications

    deliver_notifications.delay()  # the broker's transport and connection, set up once per worker

    seconds, report = timed(now)
    print(f"sweep with {args.due:,} due: {seconds * 1000:.0f} ms  {report}")
    if report != {"reminded": 0, "overdue": args.due}:
        sys.exit(f"the sweep did {report}, expected {args.due} escalations")
    idle = []
    for _ in range(args.repeat):
        seconds, report = timed(now)
        if any(report.values()):
            sys.exit(f"a sweep with nothing due changed something: {report}")
        idle.append(seconds)
    print(f"sweep with nothing due: median {statistics.median(idle) * 1000:.1f} ms over {args.repeat} runs")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), count(DISTINCT object_id) FROM events_event WHERE kind = 'overdue'")
        events, cases = cursor.fetchone()
    if events != args.due or cases != args.due:
        sys.exit(f"{events} escalation events for {cases} observations, expected {args.due} each")


if __name__ == "__main__":
    main()
