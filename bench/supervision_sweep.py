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

import support.django_setup  # noqa: F401 - first: what follows loads models
from django.db import connection
from support.sweeps import SweepBench

from supervision.sweep import observations_sweep
from zone_portal.demo import DemoContext, seed_foundation


def seed() -> DemoContext:
    ctx = DemoContext(password="bench-only-password")
    seed_foundation(ctx)
    return ctx


def generate(cursor, ctx, **values) -> None:
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
        {**values, "supervisor": ctx.users["supervisor1"].pk, "market": ctx.departments["market"].pk},
    )


def check(args, now) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), count(DISTINCT object_id) FROM events_event WHERE kind = 'overdue'")
        events, cases = cursor.fetchone()
    if events != args.due or cases != args.due:
        return f"{events} escalation events for {cases} observations, expected {args.due} each"
    return None


def _load_urls() -> None:
    from django.urls import reverse

    reverse("supervision:observation", args=[1])  # the URL configuration, loaded once per worker


def _connect_broker() -> None:
    from zone_portal.notifications.tasks import deliver_notifications

    deliver_notifications.delay()  # the broker's transport and connection, set up once per worker


if __name__ == "__main__":
    SweepBench(
        doc=__doc__,
        cases="observations",
        smoke="exit 1 unless exactly the due observations escalated, once",
        tables=["supervision_observation"],
        seed=seed,
        generate=generate,
        sweep=observations_sweep,
        expected=lambda due: {"overdue": due},
        check=check,
        warm=[_load_urls, _connect_broker],
    ).run()
