import threading
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from feedback.actions import (
    meeting_record_minutes,
    meeting_schedule,
    ticket_acknowledge,
    ticket_escalate,
    whistle_report,
)
from feedback.models import ActionItem, Ticket, Whistle
from feedback.sweep import STEPS, tickets_sweep
from zone_portal.events.models import Event
from zone_portal.notifications.models import Notification

from .conftest import MONDAY, at
from .factories import raise_ticket, resolved_ticket, whistled_ticket

pytestmark = pytest.mark.django_db


def kinds(ticket, kind=None):
    events = Event.objects.filter(object_id=ticket.pk, content_type__model="ticket").order_by("at", "id")
    if kind:
        events = events.filter(kind=kind)
    return [(e.kind, e.data.get("deadline"), e.data.get("department")) for e in events]


def notes_for(user, kind=None):
    qs = Notification.objects.filter(recipient=user)
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs.values_list("title", flat=True))


def sweep_as_of(moment):
    call_command("sweep_deadlines", "--as-of", moment.isoformat())


def test_reminder_at_75_percent_of_the_deadline_goes_to_the_owner_once(org, cso1):
    ticket = raise_ticket(org)  # Monday 09:00; 3 working days → Thursday 09:00; 75 % → Wed 10:45
    ticket_acknowledge(actor=cso1, ticket=ticket, now=MONDAY)
    assert ticket.remind_at == at(4, 10, 45) and ticket.due_at == at(5, 9)

    sweep_as_of(at(4, 10, 44))
    assert kinds(ticket, "reminder") == []

    sweep_as_of(at(4, 10, 45))
    assert kinds(ticket, "reminder") == [("reminder", "resolve", None)]
    assert len(notes_for(cso1, "feedback_reminder")) == 1

    sweep_as_of(at(4, 16))
    assert len(kinds(ticket, "reminder")) == 1
    assert len(notes_for(cso1, "feedback_reminder")) == 1


def test_unacknowledged_ticket_gets_a_reminder_then_the_park_director_is_told(org, cso1, park1):
    ticket = raise_ticket(org)  # acknowledge within 2 working hours: 11:00, reminder at 10:30
    sweep_as_of(at(2, 10, 30))
    assert kinds(ticket) == [("created", None, None), ("reminder", "acknowledge", None)]
    assert notes_for(cso1, "feedback_reminder")
    sweep_as_of(at(2, 11))
    assert kinds(ticket, "overdue") == [("overdue", "acknowledge", None)]
    assert notes_for(park1, "feedback_overdue")
    assert not notes_for(cso1, "feedback_overdue")


def test_the_sweep_and_the_actions_tell_the_same_people(org, cso1, park1):
    """`audiences` is the one definition of who hears of a ticket, for the actions (`superiors`,
    `holders`) and the sweep's SQL alike: a park director whose account was deactivated is told by
    neither."""
    from feedback.actions import holders, superiors
    from zone_portal.accounts.models import User

    other = User.objects.create(username="director_gone", is_active=False)
    other.role_grants.create(role="park_director")
    other.parks.add(park1.parks.get())
    ticket = raise_ticket(org)
    assert [u.pk for u in superiors(ticket)] == [park1.pk]

    sweep_as_of(at(2, 11))  # the response time passed: the park's directors are told

    assert notes_for(park1, "feedback_overdue")
    assert not notes_for(other, "feedback_overdue")
    ticket.refresh_from_db()
    assert other.pk not in holders(ticket)


def test_tier1_to_tier2_to_tier3_by_automatic_escalation(org, park1, leader1, dept_land):
    ticket = raise_ticket(org, category="land")
    meeting = meeting_schedule(actor=leader1, title="联席会议", starts_at=at(31, 15), now=MONDAY)

    sweep_as_of(at(5, 9))  # Thursday 09:00: the tier-1 deadline
    ticket.refresh_from_db()
    assert (ticket.tier, ticket.owner, ticket.was_overdue) == (2, park1, True)
    # New tier-2 deadline: 7 working days from the escalation.
    assert ticket.due_at == at(16, 9)
    whistles = list(ticket.whistles.select_related("department"))
    assert [(w.department.code, w.status, w.whistled_by) for w in whistles] == [("land", "whistled", None)]
    assert whistles[0].report_due_at == at(6, 9) and whistles[0].answer_due_at == at(12, 9)
    assert ("escalated", "resolve", None) in kinds(ticket) and ("whistled", None, "land") in kinds(ticket)
    assert kinds(ticket, "overdue") == [("overdue", "acknowledge", None)]  # the climb itself says "overdue"
    assert notes_for(park1, "feedback_escalated")
    assert notes_for(dept_land, "feedback_whistled")

    sweep_as_of(at(16, 9))
    ticket.refresh_from_db()
    assert (ticket.tier, ticket.owner) == (3, leader1)
    assert list(meeting.tickets.all()) == [ticket]
    assert kinds(ticket, "agenda_added") == [("agenda_added", None, None)]
    assert notes_for(leader1, "feedback_escalated")
    escalations = Event.objects.filter(object_id=ticket.pk, kind="escalated").order_by("at")
    assert [(e.from_state, e.to_state) for e in escalations] == [("1", "2"), ("2", "3")]

    sweep_as_of(at(31, 9))  # nothing climbs above 3; tier 3 has no deadline by default
    ticket.refresh_from_db()
    assert ticket.tier == 3 and len(kinds(ticket, "escalated")) == 2


def test_a_silent_department_gets_a_reminder_then_a_public_notice(
    org, dept_land, dept_power, park1, admin_user
):
    ticket = whistled_ticket(org)  # whistled Monday 09:00: report by Tuesday 09:00
    whistle_report(actor=dept_land, ticket=ticket, department="land", now=at(2, 10))

    sweep_as_of(at(3, 9))
    power = Whistle.objects.get(ticket=ticket, department__code="power")
    assert power.report_overdue_at == at(3, 9)
    assert any(t.startswith("催办") or "overdue" in t for t in notes_for(dept_power, "feedback_overdue"))
    assert not notes_for(dept_land, "feedback_overdue")
    assert notes_for(park1, "feedback_overdue")
    assert power.noticed_at is None

    sweep_as_of(at(10, 8, 59))  # the notice comes 5 working days after the report deadline
    power.refresh_from_db()
    assert power.noticed_at is None
    sweep_as_of(at(10, 9))
    power.refresh_from_db()
    assert power.noticed_at == at(10, 9)
    assert notes_for(dept_power, "feedback_publicly_noticed")
    assert notes_for(admin_user, "feedback_publicly_noticed")
    land = Whistle.objects.get(ticket=ticket, department__code="land")
    assert land.noticed_at is None and land.report_overdue_at is None


def test_resolved_ticket_not_confirmed_in_3_working_days_closes_unconfirmed(org, cso1):
    ticket = resolved_ticket(org)  # resolved Monday 09:00
    sweep_as_of(at(5, 8, 59))
    ticket.refresh_from_db()
    assert ticket.status == "resolved"
    sweep_as_of(at(5, 9))
    ticket.refresh_from_db()
    assert ticket.status == "closed_unconfirmed" and ticket.closed_at == at(5, 9)
    assert kinds(ticket, "closed_unconfirmed")
    assert notes_for(cso1, "feedback_closed")


def test_overdue_meeting_action_item_is_flagged_and_the_chair_told(org, leader1, dept_land):
    ticket = raise_ticket(org)
    ticket_escalate(actor=org.users["cso1"], ticket=ticket, reason="需要部门", now=MONDAY)
    ticket_escalate(actor=org.users["park1"], ticket=ticket, reason="需要联席会议", now=MONDAY)
    meeting = meeting_schedule(actor=leader1, title="联席会议", starts_at=at(3, 15), now=MONDAY)
    meeting_record_minutes(
        actor=leader1,
        meeting=meeting,
        minutes="纪要",
        actions=[{"ticket": ticket.pk, "department": "land", "description": "出具规划意见"}],
        now=at(3, 16),
    )
    item = ActionItem.objects.get()
    assert item.due_at == at(17, 16)  # 10 working days

    sweep_as_of(at(17, 16))
    item.refresh_from_db()
    assert item.overdue_at == at(17, 16)
    assert notes_for(dept_land, "feedback_overdue") and notes_for(leader1, "feedback_overdue")


def test_marking_an_action_item_stamps_updated_at_for_the_dashboard(org, leader1):
    """The dashboard's rollups find changed cases by `updated_at`: a sweep mark must stamp it."""
    ticket = raise_ticket(org)
    ticket_escalate(actor=org.users["cso1"], ticket=ticket, reason="需要部门", now=MONDAY)
    ticket_escalate(actor=org.users["park1"], ticket=ticket, reason="需要联席会议", now=MONDAY)
    meeting = meeting_schedule(actor=leader1, title="联席会议", starts_at=at(3, 15), now=MONDAY)
    meeting_record_minutes(
        actor=leader1,
        meeting=meeting,
        minutes="纪要",
        actions=[{"ticket": ticket.pk, "department": "land", "description": "出具规划意见"}],
        now=at(3, 16),
    )
    ActionItem.objects.update(updated_at=at(3, 16))
    tickets_sweep(now=at(17, 16))
    item = ActionItem.objects.get()
    assert item.overdue_at == at(17, 16)
    assert item.updated_at > at(17, 16)  # the wall clock of the sweep


def test_sweep_without_as_of_uses_the_clock(org):
    ticket = raise_ticket(org, now=MONDAY)
    call_command("sweep_deadlines")  # today is long after March 2026
    ticket.refresh_from_db()
    assert ticket.tier == 2


# --------------------------------------------------------------------------- set-based guarantees


def _due_tickets(org, n, *, title):
    """n tier-1 land tickets past every deadline, made in bulk (the actions' columns, copied)."""
    template = raise_ticket(org, title=title)
    rows = []
    for i in range(n - 1):
        clone = Ticket(
            **{
                f.attname: getattr(template, f.attname)
                for f in Ticket._meta.concrete_fields
                if f.attname not in ("id", "number")
            }
        )
        clone.number = f"{title}-{i}"
        rows.append(clone)
    Ticket.objects.bulk_create(rows, batch_size=500)
    return Ticket.objects.filter(title=title)


def test_query_count_is_the_same_for_10_and_1000_due_tickets(org):
    _due_tickets(org, 10, title="ten")
    tickets_sweep(now=at(2, 8))  # warm the content-type and calendar caches
    with CaptureQueriesContext(connection) as ten:
        report_ten = tickets_sweep(now=at(6, 9))
    assert report_ten["Tier1Overdue"] == 10

    # Take the first ten out of the way, then the same situation with a thousand.
    Ticket.objects.filter(title="ten").update(status="closed")
    Whistle.objects.filter(ticket__title="ten").update(status="answered")
    _due_tickets(org, 1000, title="thousand")
    with CaptureQueriesContext(connection) as thousand:
        report_thousand = tickets_sweep(now=at(6, 9))
    assert report_thousand["Tier1Overdue"] == 1000
    assert {k for k, v in report_ten.items() if v} == {k for k, v in report_thousand.items() if v}
    assert len(ten) == len(thousand)
    assert Whistle.objects.filter(ticket__title="thousand").count() == 1000
    assert Event.objects.filter(kind="escalated", dedupe_key__isnull=False).count() == 1010


def _statements(captured):
    return [q for q in captured if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


def test_a_sweep_with_nothing_due_runs_one_statement_per_step(org):
    raise_ticket(org)
    tickets_sweep(now=at(2, 8))
    with CaptureQueriesContext(connection) as run:
        assert not any(tickets_sweep(now=at(2, 8, 30)).values())
    # One claim per step, plus reading the escalation policies.
    assert len(_statements(run.captured_queries)) == len(STEPS) + 1


def _crash_dataset(org):
    """Work for most steps at once: tier 1 → 2, tier 2 → 3 with a meeting, silent and late
    departments, a confirmation timeout, an action item overdue."""
    leader = org.users["leader1"]
    raise_ticket(org, title="t1 overdue", category="land", now=at(2, 9))
    whistled_ticket(org, ("land", "power"), title="t2 overdue", now=at(2, 9))
    resolved_ticket(org, title="resolved", now=at(2, 9))
    t3 = raise_ticket(org, title="t3", now=at(2, 9))
    ticket_escalate(actor=org.users["cso1"], ticket=t3, reason="部门", now=at(2, 9))
    ticket_escalate(actor=org.users["park1"], ticket=t3, reason="会议", now=at(2, 9))
    meeting = meeting_schedule(actor=leader, title="会议", starts_at=at(3, 9), now=at(2, 9))
    meeting_record_minutes(
        actor=leader,
        meeting=meeting,
        minutes="纪要",
        actions=[{"ticket": t3.pk, "department": "tax", "description": "核实"}],
        now=at(3, 10),
    )
    meeting_schedule(actor=leader, title="下次会议", starts_at=at(31, 9), now=at(3, 10))


def _snapshot():
    events = sorted(
        (
            Ticket.objects.get(pk=e.object_id).title,
            e.kind,
            e.from_state,
            e.to_state,
            str(sorted(e.data.items())),
        )
        for e in Event.objects.filter(content_type__model="ticket")
    )
    notes = sorted(
        (n.recipient.username, n.kind, n.title, n.body)
        for n in Notification.objects.select_related("recipient")
    )
    tickets = sorted(
        Ticket.objects.values_list("title", "tier", "status", "owner_id", "due_at", "was_overdue")
    )
    whistles = sorted(
        Whistle.objects.values_list(
            "ticket__title",
            "department__code",
            "status",
            "report_overdue_at",
            "noticed_at",
            "answer_overdue_at",
        )
    )
    items = sorted(ActionItem.objects.values_list("description", "reminded_at", "overdue_at"))
    agenda = sorted(
        Ticket.objects.filter(agenda_items__isnull=False).values_list("title", "agenda_items__meeting__title")
    )
    return events, notes, tickets, whistles, items, agenda


class _Rollback(Exception):
    pass


@contextmanager
def rolled_back():
    try:
        with transaction.atomic():
            yield
            raise _Rollback
    except _Rollback:
        pass


class _Crash(Exception):
    pass


@contextmanager
def crash_at(statement: int):
    """Make the database "fail" at the given statement (1-based) of what runs inside."""
    seen = 0

    def wrapper(execute, sql, params, many, context):
        nonlocal seen
        seen += 1
        if seen == statement:
            raise _Crash(sql[:60])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield


def test_a_crash_at_any_statement_then_a_rerun_loses_nothing_and_doubles_nothing(org):
    _crash_dataset(org)
    moment = at(27, 12)
    tickets_sweep(now=at(2, 8))  # warm caches so that every run issues the same statements
    with rolled_back():
        with CaptureQueriesContext(connection) as run:
            report = tickets_sweep(now=moment)
        reference = _snapshot()
    busy_steps = {name for name, n in report.items() if n}
    assert {"Tier1Overdue", "Tier2Overdue", "ConfirmTimeout", "ReportOverdue", "PublicNotice"} <= busy_steps
    assert {"AnswerOverdue", "ActionItemOverdue", "ResolveReminder"} <= busy_steps
    assert len(_statements(run.captured_queries)) > 30

    for statement in range(1, len(run.captured_queries) + 1):
        with rolled_back():
            with crash_at(statement), pytest.raises(_Crash):
                tickets_sweep(now=moment)
            tickets_sweep(now=moment)
            assert _snapshot() == reference, f"crash at statement {statement}"


def test_a_second_run_changes_nothing(org):
    _crash_dataset(org)
    tickets_sweep(now=at(27, 12))
    before = _snapshot()
    assert not any(tickets_sweep(now=at(27, 12)).values())
    assert _snapshot() == before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_produce_every_escalation_and_notice_exactly_once(org):
    for i in range(40):
        raise_ticket(org, title=f"race {i}", now=MONDAY)
    for i in range(20):
        whistled_ticket(org, ("land", "power"), title=f"whistled {i}", now=MONDAY)
    moment = MONDAY + timedelta(days=9)
    barrier = threading.Barrier(2)
    reports, errors = [], []

    def run():
        try:
            barrier.wait()
            reports.append(tickets_sweep(now=moment))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    merged = {step: reports[0][step] + reports[1][step] for step in reports[0]}
    assert merged["Tier1Overdue"] == 40
    assert merged["Tier2Overdue"] == 20
    assert merged["ReportOverdue"] == 40  # 20 tickets × 2 departments (the automatic ones are not due yet)
    escalated = Event.objects.filter(kind="escalated", actor=None)
    assert escalated.count() == 60
    assert escalated.values("object_id", "to_state").distinct().count() == 60
    keys = Notification.objects.exclude(dedupe_key=None).values_list("dedupe_key", flat=True)
    assert len(keys) == len(set(keys)) > 0
    assert Whistle.objects.filter(ticket__title__startswith="race").count() == 40
    # A third run finds nothing left to do.
    assert not any(tickets_sweep(now=moment).values())


def test_the_note_of_an_automatic_whistle_reads_in_the_readers_language(org, park1, api):
    # The sweep stores its note in the zone's language; the API showed that Chinese text to a reader
    # who chose English.
    ticket = raise_ticket(org, category="land")
    sweep_as_of(at(5, 9))  # the tier-1 deadline: the category's departments are whistled
    url = f"/api/v1/tickets/{ticket.pk}/"
    english = api(park1).get(url, HTTP_ACCEPT_LANGUAGE="en").json()["departments"]
    chinese = api(park1).get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").json()["departments"]
    assert [w["note"] for w in english] == ["Automatic whistle: tier-1 deadline passed"]
    assert chinese[0]["note"] == Whistle.objects.get(ticket=ticket).note != english[0]["note"]
