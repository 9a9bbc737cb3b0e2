"""The daily rollups give the very figures the cases give: after a refresh, and after every kind of
change since one (added as the changed cases' difference), including changes no `updated_at` shows."""

from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.db.models import Count

from feedback.actions import ticket_confirm, ticket_resolve, ticket_whistle, whistle_answer, whistle_report
from feedback.sweep import tickets_sweep
from services.models import RequestStatus, ServiceRequest
from tests.concurrency import run_together
from tests.dashboard.factories import at, completed, rate_case
from tests.dashboard.test_figures import NOW as APRIL_NOW
from tests.dashboard.test_figures import constructed  # noqa: F401 - fixture
from tests.dashboard.test_tickets import NOW as MARCH_NOW
from tests.dashboard.test_tickets import mixed, org, raise_  # noqa: F401 - fixtures
from zone_portal.dashboard.models import CaseCount, DailyCount, RollupState
from zone_portal.dashboard.periods import Period
from zone_portal.dashboard.rollup import dirty_cases, refresh
from zone_portal.dashboard.scope import Scope
from zone_portal.dashboard.selectors import dashboard_summary, headline_figures, public_figures
from zone_portal.org.models import Department, Park
from zone_portal.worktime.actions import calendar_override_create

pytestmark = pytest.mark.django_db

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
SPRING = Period(date(2026, 2, 1), date(2026, 4, 30))


def scopes():
    return [
        Scope(),
        *(Scope(park=park) for park in Park.objects.all()),
        *(Scope(department=department) for department in Department.objects.all()),
    ]


def everything(user, now, period=MARCH) -> dict:
    """Every figure of every scope, the public page and the home panels."""
    out = {}
    for scope in scopes():
        name = {"zone": "zone", "park": f"park {scope.park and scope.park.pk}"}.get(
            scope.kind, f"department {scope.department and scope.department.pk}"
        )
        out[name] = dashboard_summary(scope, period, user=user, now=now)
        out[f"headline of {name}"] = headline_figures(scope, period, now=now)
    out["public"] = public_figures(period, now=now)
    return out


def live(compute):
    """What `compute` gives from the cases alone: as if the rollups had never been refreshed."""
    with transaction.atomic():
        RollupState.objects.all().delete()
        result = compute()
        transaction.set_rollback(True)
    return result


def difference(got, expected, path=""):
    """Where two answers part (for the failure message)."""
    if isinstance(got, dict) and isinstance(expected, dict):
        return [d for k in expected for d in difference(got.get(k), expected[k], f"{path}.{k}")]
    if isinstance(got, list) and isinstance(expected, list) and len(got) == len(expected):
        return [
            d
            for i, (g, e) in enumerate(zip(got, expected, strict=True))
            for d in difference(g, e, f"{path}[{i}]")
        ]
    return [] if got == expected else [(path, got, expected)]


def assert_same(user, now, period=MARCH):
    expected = live(lambda: everything(user, now, period))
    got = everything(user, now, period)
    for key in expected:
        assert got[key] == expected[key], (key, difference(got[key], expected[key]))
    return got


def test_the_rollups_give_the_figures_of_the_cases(constructed, admin_user, settle):  # noqa: F811
    before = live(lambda: everything(admin_user, APRIL_NOW))
    report = settle(now=APRIL_NOW)
    assert report["request_closed"]["rows"] > 0
    assert dirty_cases(APRIL_NOW).cases == {}  # no change to add
    assert everything(admin_user, APRIL_NOW) == before
    assert before["zone"]["service_requests"]["submitted"] == 7  # not all zeros


def test_problem_figures_from_the_rollups(mixed, org, admin_user, settle):  # noqa: F811
    before = live(lambda: everything(admin_user, MARCH_NOW))
    settle(now=MARCH_NOW)
    assert everything(admin_user, MARCH_NOW) == before
    assert before["zone"]["tickets"]["received"] == 5


def test_a_reopened_ticket_leaves_the_day_it_was_resolved(org, admin_user, settle):  # noqa: F811
    users = org.users
    ticket = raise_(org, now=at(2026, 3, 2, 9))
    ticket_resolve(actor=users["cso1"], ticket=ticket, resolution="ok", now=at(2026, 3, 3, 10))
    settle(now=MARCH_NOW)
    weeks = everything(admin_user, MARCH_NOW)["zone"]["tickets"]["by_week"]
    assert sum(w["resolved"] for w in weeks) == 1

    ticket_confirm(actor=users["ent_a"], ticket=ticket, solved=False, comment="没解决", now=at(2026, 3, 9, 9))
    got = assert_same(admin_user, MARCH_NOW)
    assert sum(w["resolved"] for w in got["zone"]["tickets"]["by_week"]) == 0

    ticket.refresh_from_db()
    ticket_resolve(actor=users["cso1"], ticket=ticket, resolution="ok", now=at(2026, 3, 20, 10))
    assert_same(admin_user, MARCH_NOW)
    settle(now=MARCH_NOW)
    got = assert_same(admin_user, MARCH_NOW)
    weeks = got["zone"]["tickets"]["by_week"]
    assert [w["week"] for w in weeks if w["resolved"]] == ["2026-03-16"]


def test_deleted_cases_leave_the_figures(mixed, org, admin_user, settle):  # noqa: F811
    settle(now=MARCH_NOW)
    mixed["whistled"].delete()  # with its whistles
    mixed["bad"].delete()
    got = assert_same(admin_user, MARCH_NOW)
    assert got["zone"]["tickets"]["received"] == 3
    settle(now=MARCH_NOW)
    assert_same(admin_user, MARCH_NOW)


def test_an_enterprise_moving_park_takes_its_requests_along(constructed, demo, admin_user, settle):  # noqa: F811
    settle(now=APRIL_NOW)
    enterprise = constructed["on_time_1"].enterprise
    enterprise.park = demo.parks["park3"]
    enterprise.save()
    got = assert_same(admin_user, APRIL_NOW)
    park3 = next(r for r in got["zone"]["by_park"] if r["park"]["name"] == demo.parks["park3"].name)
    assert park3["completed"] > 0
    settle(now=APRIL_NOW)
    assert_same(admin_user, APRIL_NOW)


def test_a_rating_given_after_the_refresh_counts_in_the_coverage(constructed, admin_user, ent_a, settle):  # noqa: F811
    settle(now=APRIL_NOW)
    rate_case(constructed["on_time_2"], score=4, rater=ent_a, created_at=at(2026, 3, 20, 9))
    got = assert_same(admin_user, APRIL_NOW)
    assert got["zone"]["ratings"]["coverage_detail"]["rated"] == 3


def test_coverage_is_read_from_the_rollups_and_follows_what_no_updated_at_tells(
    constructed,  # noqa: F811
    admin_user,
    settle,
):
    """Coverage is a rollup fact: after a refresh no change is left to add and the figures are
    the cases'; a rating deleted and a rated request deleted (no row left to say so) are
    recounted, read as changes first and then refreshed."""
    settle(now=APRIL_NOW)
    assert DailyCount.objects.filter(fact="coverage", c2__gt=0).exists()
    got = assert_same(admin_user, APRIL_NOW)
    assert got["zone"]["ratings"]["coverage_detail"]["rated"] == 2

    constructed["rectification"].delete()  # it keeps its rating
    constructed["bad"].delete()
    constructed["on_time_1"].delete()  # rated: its rating stays, rating nothing
    got = assert_same(admin_user, APRIL_NOW)
    assert got["zone"]["ratings"]["coverage_detail"]["rated"] == 0
    settle(now=APRIL_NOW)
    assert dirty_cases(APRIL_NOW).cases == {}
    assert_same(admin_user, APRIL_NOW)


def test_a_request_completed_after_the_refresh(constructed, admin_user, settle):  # noqa: F811
    settle(now=APRIL_NOW)
    ServiceRequest.objects.filter(pk=constructed["overdue"].pk).update(
        status=RequestStatus.COMPLETED, closed_at=at(2026, 3, 27, 15)
    )
    got = assert_same(admin_user, APRIL_NOW)
    assert got["zone"]["service_requests"]["completed"] == 7


def test_a_whistle_deadline_passing_changes_the_figures_without_any_write(org, admin_user, settle):  # noqa: F811
    ticket = raise_(org, now=at(2026, 3, 2, 9))
    ticket_whistle(
        actor=org.users["park1"], ticket=ticket, departments=["land"], note="请报到", now=at(2026, 3, 2, 9)
    )
    whistle = ticket.whistles.get()
    before_deadline = whistle.report_due_at - timedelta(minutes=1)
    after_deadline = whistle.report_due_at + timedelta(minutes=1)
    settle(now=before_deadline)
    land = Scope(department=Department.objects.get(code="land"))

    def report_due(now):
        return dashboard_summary(land, MARCH, user=admin_user, now=now)["tickets"]["report_due"]

    assert report_due(before_deadline) == 0
    assert report_due(after_deadline) == 1 == live(lambda: report_due(after_deadline))
    assert dirty_cases(after_deadline).cases["whistle"] == {whistle.pk}
    refresh(now=after_deadline)
    assert DailyCount.objects.get(fact="whistle").c2 == 1  # report_due, now in the rollup
    kept = CaseCount.objects.get(fact="whistle", case=whistle.pk)
    assert kept.stale_after == whistle.answer_due_at  # the answer deadline is still to come


def test_a_calendar_change_recounts_the_handling_times(constructed, admin_user, settle):  # noqa: F811
    settle(now=APRIL_NOW)
    seal_row = constructed["late"]  # accepted 9:00, completed 11:01 on 5 March
    calendar_override_create(actor=admin_user, date=date(2026, 3, 5), kind="holiday", note="停电")
    got = assert_same(admin_user, APRIL_NOW)
    settle(now=APRIL_NOW)
    assert_same(admin_user, APRIL_NOW)
    assert seal_row.pk and got  # the comparison above is the point: medians follow the calendar


def test_the_sweep_marks_what_it_changes(org, admin_user, settle):  # noqa: F811
    ticket = raise_(org, now=at(2026, 3, 2, 9))
    settle(now=MARCH_NOW)
    changed = tickets_sweep(now=at(2026, 3, 30, 9))
    assert sum(changed.values()) > 0
    ticket.refresh_from_db()
    assert ticket.tier > 1 or ticket.was_overdue
    assert_same(admin_user, MARCH_NOW)


def test_updated_at_follows_every_kind_of_write(org):  # noqa: F811
    ticket = raise_(org, now=at(2026, 3, 2, 9))
    first = ticket.updated_at
    ticket.title = "新标题"
    ticket.save(update_fields=["title"])
    ticket.refresh_from_db()
    assert ticket.updated_at > first
    second = ticket.updated_at
    type(ticket).objects.filter(pk=ticket.pk).update(title="再改")
    ticket.refresh_from_db()
    assert ticket.updated_at > second


def test_a_refresh_with_nothing_changed_rewrites_nothing(constructed, admin_user, settle):  # noqa: F811
    settle(now=APRIL_NOW)
    rows = sorted(DailyCount.objects.values_list("fact", "day", "k1", "k2", "k3", "k4", "k5", "c1", "c2"))
    assert settle(now=APRIL_NOW) == {}
    assert (
        sorted(DailyCount.objects.values_list("fact", "day", "k1", "k2", "k3", "k4", "k5", "c1", "c2"))
        == rows
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite runs one writer at a time")
def test_two_refreshes_at_once_count_each_day_once(constructed, admin_user):  # noqa: F811
    refresh(now=APRIL_NOW)
    completed(
        constructed["on_time_1"].service,
        by=admin_user,
        enterprise=constructed["on_time_1"].enterprise,
        accepted_at=at(2026, 3, 3, 9),
        closed_at=at(2026, 3, 3, 10),
    )
    results = run_together(lambda: refresh(now=APRIL_NOW), lambda: refresh(now=APRIL_NOW))
    assert [outcome for outcome, _ in results] == ["ok", "ok"]
    doubled = (
        DailyCount.objects.values("fact", "day", "k1", "k2", "k3", "k4", "k5")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert list(doubled) == []
    assert everything(admin_user, APRIL_NOW) == live(lambda: everything(admin_user, APRIL_NOW))


def test_whistling_a_department_again_moves_its_whistle_to_the_new_day(org, admin_user, settle):  # noqa: F811
    users = org.users
    ticket = raise_(org, now=at(2026, 3, 2, 9))
    ticket_whistle(
        actor=users["park1"], ticket=ticket, departments=["land"], note="请报到", now=at(2026, 3, 2, 9)
    )
    whistle_report(actor=users["dept_land"], ticket=ticket, now=at(2026, 3, 2, 10))
    whistle_answer(actor=users["dept_land"], ticket=ticket, text="已答复", now=at(2026, 3, 2, 11))
    settle(now=MARCH_NOW)
    ticket.refresh_from_db()
    ticket_whistle(
        actor=users["park1"], ticket=ticket, departments=["land"], note="再次报到", now=at(2026, 3, 16, 9)
    )
    got = assert_same(admin_user, MARCH_NOW)
    land = Department.objects.get(code="land")
    assert got[f"department {land.pk}"]["tickets"]["whistled"] == 1  # once, on the 16th
    settle(now=MARCH_NOW)
    assert_same(admin_user, MARCH_NOW)


def test_deleting_a_project_takes_its_difficulties_along(org, admin_user, settle):  # noqa: F811
    from feedback.models import Ticket
    from tests.projects.factories import ProjectFactory

    project = ProjectFactory(park=org.parks["park1"])
    ticket = raise_(org, now=at(2026, 3, 2, 9))
    Ticket.objects.filter(pk=ticket.pk).update(project=project)
    settle(now=MARCH_NOW)
    assert everything(admin_user, MARCH_NOW)["zone"]["projects"]["difficulties"]["received"] == 1
    project.delete()  # the ticket's reference is set to null, and stamped
    got = assert_same(admin_user, MARCH_NOW)
    assert got["zone"]["projects"]["difficulties"]["received"] == 0


def test_every_fact_fits_the_rollup_columns():
    from zone_portal.dashboard.facts import FACTS
    from zone_portal.dashboard.rollup import columns

    for fact in FACTS.values():
        mapping = columns(fact)
        assert len(set(mapping.values())) == len(fact.keys) + len(fact.counts), fact.name


def test_a_case_that_counts_nothing_until_a_deadline_is_kept_and_named_when_it_passes(
    org,  # noqa: F811
    settle,
    monkeypatch,
):
    """A case whose counts are all nought until one of its deadlines passes keeps its row (with the
    deadline), so that the deadline makes it a changed case; dropped, it would wait for the nightly
    rebuild. (Every whistle counts as whistled, so a fact of deadlines alone shows it.)"""
    from feedback.dashboard import _whistle_stale, whistle_state
    from feedback.models import Whistle
    from zone_portal.dashboard import facts

    fact = facts.Fact(
        name="test_report_due",
        anchor="whistled_at",
        keys=("department_id",),
        source=Whistle.objects.all,
        conditions=lambda now: {"report_due": whistle_state(now)["report_due"]},
        stale=_whistle_stale,
    )
    monkeypatch.setitem(facts.FACTS, fact.name, fact)
    ticket = raise_(org, now=at(2026, 3, 2, 9))
    ticket_whistle(
        actor=org.users["park1"], ticket=ticket, departments=["land"], note="请报到", now=at(2026, 3, 2, 9)
    )
    whistle = ticket.whistles.get()
    before, after = whistle.report_due_at - timedelta(minutes=1), whistle.report_due_at + timedelta(minutes=1)
    settle(now=before)
    kept = CaseCount.objects.get(fact=fact.name)
    assert (kept.case, kept.c1, kept.stale_after) == (whistle.pk, None, whistle.report_due_at)
    assert not DailyCount.objects.filter(fact=fact.name).exists()  # nothing counted yet
    assert dirty_cases(after).cases[fact.name] == {whistle.pk}
    refresh(now=after)
    assert DailyCount.objects.get(fact=fact.name).c1 == 1


def test_the_beat_task_and_the_command_report_the_cases_recounted(constructed, settle, time_machine):  # noqa: F811
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    from zone_portal.dashboard.rollup import MAX_LAG
    from zone_portal.dashboard.tasks import refresh_rollups

    first = refresh_rollups()  # the first refresh: every case
    assert first["request_submitted"] == ServiceRequest.objects.count() > 0
    settle(now=APRIL_NOW)
    ServiceRequest.objects.filter(pk=constructed["overdue"].pk).update(updated_at=timezone.now())
    time_machine.move_to(timezone.now() + MAX_LAG + timedelta(minutes=1), tick=True)
    out = StringIO()
    call_command("dashboard_refresh", stdout=out)
    assert "request_submitted: 1 cases recounted" in out.getvalue()
