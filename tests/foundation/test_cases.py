"""The case engine's core (zone_portal/cases): the clock on the working calendar, the lateness
vocabulary in Python and in SQL, the dedupe key and the sweep's claim."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import Count, Q

from feedback.actions import escalation_defaults_install, ticket_raise
from feedback.models import Ticket
from zone_portal.cases.clock import (
    deadline_after,
    deadline_resume,
    deadline_until,
    working_days,
    working_hours,
)
from zone_portal.cases.keys import dedupe_key, dedupe_key_sql
from zone_portal.cases.lateness import Lateness, lateness_at, lateness_case, lateness_q
from zone_portal.cases.sweep import sweep_claim
from zone_portal.cases.transitions import transition, transition_q
from zone_portal.errors import TransitionForbidden
from zone_portal.worktime.calendar import calendar_changed

ZONE = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def at(month, day, hour, minute=0):
    return datetime(2026, month, day, hour, minute, tzinfo=ZONE)


@pytest.fixture(autouse=True)
def _fresh_calendar():
    calendar_changed()
    yield
    calendar_changed()


# 2026: National Day holiday 1–7 October; Saturday 10 October is a make-up working day.


def test_a_deadline_skips_the_national_day_holiday():
    clock = deadline_after(at(9, 30, 16), working_days(2), at_risk_ratio=0.5)
    # 2 h on 30 September, nothing 1–7 October, 7 h on the 8th, 5 h on the 9th.
    assert clock.due_at == at(10, 9, 16)
    assert clock.risk_at == at(10, 8, 16)  # 7 h: 2 h, then 3.5 h + 1.5 h on the 8th
    assert clock.allowed == timedelta(hours=14)


def test_a_deadline_runs_on_into_a_make_up_saturday():
    clock = deadline_after(at(10, 9, 17), working_hours(2), at_risk_ratio=0.75)
    assert clock.due_at == at(10, 10, 9, 30)
    assert clock.risk_at == at(10, 10, 9)


def test_a_pause_across_the_holiday_counts_only_working_time():
    clock = deadline_after(at(9, 30, 16), working_days(2), at_risk_ratio=0.5)
    (risk_at, due_at), paused = deadline_resume(
        clock.risk_at, clock.due_at, paused_at=at(9, 30, 17), now=at(10, 8, 9, 30)
    )
    assert paused == timedelta(hours=2)  # 17:00–18:00 on the 30th, 08:30–09:30 on the 8th
    assert due_at == at(10, 9, 18)
    assert risk_at == at(10, 8, 18)


def test_a_resumed_deadline_moves_into_the_make_up_saturday():
    (due_at, missing), paused = deadline_resume(
        at(10, 9, 17), None, paused_at=at(10, 9, 9), now=at(10, 9, 11)
    )
    assert paused == timedelta(hours=2)
    assert due_at == at(10, 10, 9, 30)
    assert missing is None


def test_a_pause_outside_office_hours_moves_nothing():
    (due_at,), paused = deadline_resume(at(10, 9, 17), paused_at=at(10, 9, 19), now=at(10, 9, 23))
    assert paused == timedelta(0) and due_at == at(10, 9, 17)


def test_a_chosen_due_moment_is_at_risk_at_its_share_of_the_working_time():
    clock = deadline_until(at(9, 30, 16), at(10, 9, 16), at_risk_ratio=0.5)
    assert clock.allowed == timedelta(hours=14)
    assert clock.risk_at == at(10, 8, 16)


def _tickets_with_clocks(demo, now):
    escalation_defaults_install()
    moments = [
        (None, None),
        (now - timedelta(hours=2), now - timedelta(hours=1)),  # overdue
        (now - timedelta(hours=1), now),  # due exactly now: overdue
        (now - timedelta(hours=1), now + timedelta(hours=1)),  # at risk
        (now, now + timedelta(hours=1)),  # at risk from exactly now
        (now + timedelta(hours=1), now + timedelta(hours=2)),  # on track
        (None, now - timedelta(minutes=1)),  # overdue without a reminder
        (now - timedelta(minutes=1), None),  # at risk without a due moment
        (None, now + timedelta(hours=1)),  # on track
    ]
    for n, (risk_at, due_at) in enumerate(moments):
        ticket = ticket_raise(
            actor=demo.users["ent_a"],
            enterprise=demo.enterprises["A"],
            category="land",
            title=f"时钟 {n}",
            description="—",
            now=now - timedelta(days=3),
        )
        Ticket.objects.filter(pk=ticket.pk).update(remind_at=risk_at, due_at=due_at)
    return Ticket.objects.all()


def test_lateness_in_python_and_in_sql_agree_on_the_same_rows(demo):
    now = at(3, 4, 10)
    rows = _tickets_with_clocks(demo, now)
    python = {t.pk: lateness_at(now, risk_at=t.remind_at, due_at=t.due_at) for t in rows}
    sql = dict(rows.annotate(lateness=lateness_case(now, risk_at="remind_at")).values_list("pk", "lateness"))
    assert sql == python
    for state in (Lateness.ON_TRACK, Lateness.AT_RISK, Lateness.OVERDUE):
        filtered = set(rows.filter(lateness_q(state, now, risk_at="remind_at")).values_list("pk", flat=True))
        assert filtered == {pk for pk, s in python.items() if s == state}, state
    assert sorted(python.values()) == sorted(
        [Lateness.OVERDUE] * 3 + [Lateness.AT_RISK] * 3 + [Lateness.ON_TRACK] * 3
    )
    grouped = rows.values(lateness=lateness_case(now, risk_at="remind_at")).annotate(n=Count("id"))
    assert {g["lateness"]: g["n"] for g in grouped} == {"overdue": 3, "at_risk": 3, "on_track": 3}


def test_dedupe_keys_have_one_format_in_python_and_in_sql(demo):
    assert dedupe_key(Ticket, 12, "reminder", round=3) == "feedback.ticket:12:r3:reminder"
    assert dedupe_key(Ticket, 12, "escalated") == "feedback.ticket:12:escalated"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {dedupe_key_sql(Ticket, '%s', round_sql='%s')} || ':' || %s", [12, 3, "reminder"]
        )
        assert cursor.fetchone()[0] == "feedback.ticket:12:r3:reminder"


def test_the_claim_marks_each_due_row_once_and_stamps_updated_at(demo):
    now = at(3, 4, 10)
    rows = _tickets_with_clocks(demo, now)
    Ticket.objects.update(updated_at=now - timedelta(days=1))
    due = Ticket.objects.filter(overdue_at=None, due_at__lte=now)
    claimed = sweep_claim(due, {"overdue_at": now})
    assert sorted(claimed) == sorted(t.pk for t in rows if t.due_at and t.due_at <= now)
    assert len(claimed) == 3
    assert sweep_claim(due, {"overdue_at": now}) == []
    stamped = Ticket.objects.filter(pk__in=claimed).values_list("updated_at", flat=True)
    assert all(u > now for u in stamped)  # the wall clock, not the sweep's `now`


def test_the_transition_table_refuses_a_wrong_move_with_409(demo):
    ticket = ticket_raise(
        actor=demo.users["ent_a"],
        enterprise=demo.enterprises["A"],
        category="land",
        title="状态",
        description="—",
    )
    with pytest.raises(TransitionForbidden) as refused:
        transition(ticket, Ticket.Status.CLOSED)  # an open ticket is resolved first
    assert refused.value.status == 409
    assert ticket.status == Ticket.Status.OPEN
    assert transition(ticket, Ticket.Status.RESOLVED) == Ticket.Status.OPEN
    assert ticket.status == Ticket.Status.RESOLVED
    assert transition_q(Ticket, Ticket.Status.CLOSED_UNCONFIRMED) == Q(status__in=["resolved"])
