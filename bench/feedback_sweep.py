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

import support.django_setup  # noqa: F401 - first: what follows loads models
from django.db import connection
from support.sweeps import SweepBench

from enterprises.demo import seed_enterprises_a_and_b
from feedback.actions import escalation_defaults_install
from feedback.sweep import tickets_sweep
from zone_portal.demo import DemoContext, seed_foundation


def seed() -> DemoContext:
    ctx = DemoContext(password="bench-only-password")
    seed_foundation(ctx)
    seed_enterprises_a_and_b(ctx)
    escalation_defaults_install()
    return ctx


def generate(cursor, ctx, **values) -> None:
    enterprise = ctx.enterprises["A"]
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
            **values,
            "enterprise": enterprise.pk,
            "park": enterprise.park_id,
            "director": ctx.users["park1"].pk,
            "cso": ctx.users["cso1"].pk,
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
        {**values, "land": ctx.departments["land"].pk, "power": ctx.departments["power"].pk},
    )


def check(args, now) -> str | None:
    if not args.smoke:
        return None
    with connection.cursor() as cursor:  # ticket g is due when g <= due (identities restarted)
        cursor.execute(
            "SELECT count(*) FILTER (WHERE id <= %s), count(*) FROM feedback_ticket WHERE tier = 2 "
            "AND tier_started_at = %s",
            [args.due, now],
        )
        climbed_due, climbed = cursor.fetchone()
    if (climbed_due, climbed) != (args.due, args.due):
        return f"smoke: {climbed} tickets climbed ({climbed_due} of the {args.due} due ones)"
    print(f"smoke: the {args.due} due tickets climbed, no other")
    return None


if __name__ == "__main__":
    SweepBench(
        doc=__doc__,
        cases="tickets",
        smoke="exit 1 unless exactly the due tickets climbed",
        tables=[
            "feedback_ticket",
            "feedback_whistle",
            "feedback_agendaitem",
            "feedback_actionitem",
            "feedback_extension",
            "feedback_ticketattachment",
        ],
        seed=seed,
        generate=generate,
        sweep=tickets_sweep,
        expected=lambda due: {"Tier1Overdue": due},
        check=check,
    ).run()
