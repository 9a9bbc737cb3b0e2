"""The hazards' sweep: a reminder at the at-risk point, one overdue escalation to the bureau's leader
and the park per round, whether the sweeps run one after the other or at once (PostgreSQL)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safety.actions import hazard_reinspect, hazard_report_fix
from safety.models import Hazard, Severity
from safety.sweep import hazards_sweep
from zone_portal.events.models import Event
from zone_portal.notifications.models import Notification

from .conftest import MONDAY, at, hazard, png

pytestmark = pytest.mark.django_db


def events(h, kind):
    return list(Event.objects.filter(object_id=h.pk, content_type__model="hazard", kind=kind))


def told(user, hazard_id=None):
    qs = Notification.objects.filter(recipient=user, kind="safety_hazard")
    if hazard_id:
        qs = qs.filter(url__endswith=f"/hazards/{hazard_id}/")
    return qs.count()


def test_the_reminder_comes_at_the_at_risk_point_once(org, ent_a):
    h = hazard(org)
    assert hazards_sweep(now=h.risk_at - timedelta(minutes=1)) == {"reminded": 0, "overdue": 0}
    before = told(ent_a, h.pk)
    assert hazards_sweep(now=h.risk_at)["reminded"] == 1
    assert hazards_sweep(now=h.risk_at + timedelta(minutes=5))["reminded"] == 0
    assert len(events(h, "reminded")) == 1 and told(ent_a, h.pk) == before + 1


def test_overdue_escalates_to_the_bureau_leader_and_the_park_exactly_once(
    org, bureau_leader, park1, park2, ent_a
):
    h = hazard(org, Severity.MAJOR)
    assert hazards_sweep(now=h.due_at - timedelta(seconds=1))["overdue"] == 0
    assert hazards_sweep(now=h.due_at)["overdue"] == 1
    assert hazards_sweep(now=h.due_at + timedelta(days=1)) == {"reminded": 0, "overdue": 0}
    assert len(events(h, "overdue")) == 1
    assert told(bureau_leader, h.pk) == 1 and told(park1, h.pk) == 1
    assert told(park2, h.pk) == 0  # enterprise A is in park 1
    h.refresh_from_db()
    assert h.reminded_at is not None  # overdue without a reminder leaves the reminder step too


def test_a_reported_fix_stops_the_clock_and_a_reopening_starts_a_new_round(
    org, ent_a, inspector, bureau_leader
):
    h = hazard(org)
    hazard_report_fix(actor=ent_a, hazard=h, report="done", evidence=[png()], now=at(3))
    assert hazards_sweep(now=at(30)) == {"reminded": 0, "overdue": 0}
    h = hazard_reinspect(actor=inspector, hazard=h, fixed=False, note="no", now=at(30))
    assert hazards_sweep(now=h.due_at)["overdue"] == 1
    assert len(events(h, "overdue")) == 1 and told(bureau_leader, h.pk) == 1
    Hazard.objects.filter(pk=h.pk).update(overdue_marked_at=None)  # even a lost mark repeats nothing
    hazards_sweep(now=h.due_at)
    assert len(events(h, "overdue")) == 1 and told(bureau_leader, h.pk) == 1


def test_the_statement_count_does_not_grow_with_the_hazards(org):
    for _ in range(2):
        hazard(org)
    with CaptureQueriesContext(connection) as few:
        hazards_sweep(now=at(20))
    for _ in range(6):
        hazard(org)
    Hazard.objects.update(overdue_marked_at=None, reminded_at=None, deadline_round=2)
    with CaptureQueriesContext(connection) as many:
        assert hazards_sweep(now=at(20))["overdue"] == 8
    assert len(many) == len(few)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_escalate_each_hazard_exactly_once(org, bureau_leader, park1):
    hazards = [hazard(org, Severity.GENERAL if i % 2 else Severity.MAJOR, now=MONDAY) for i in range(12)]
    moment = MONDAY + timedelta(days=31)
    barrier = threading.Barrier(2)
    reports, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            reports.append(hazards_sweep(now=moment))
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
    assert reports[0]["overdue"] + reports[1]["overdue"] == 12
    overdue = Event.objects.filter(kind="overdue", content_type__model="hazard")
    assert overdue.count() == 12 and overdue.values("object_id").distinct().count() == 12
    assert told(bureau_leader) == 12 and told(park1) == 12
    keys = Notification.objects.exclude(dedupe_key=None).values_list("dedupe_key", flat=True)
    assert len(keys) == len(set(keys)) > 0
    assert hazards_sweep(now=moment) == {"reminded": 0, "overdue": 0}
    assert {h.pk for h in hazards} == set(overdue.values_list("object_id", flat=True))
