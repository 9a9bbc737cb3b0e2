"""The beat sweep: requests at risk and overdue, rectifications overdue; once each, set-based."""

import threading

import pytest
import time_machine
from django.db import connection

from services import actions
from services.actions import services_sweep
from services.models import ServiceRequest
from services.selectors import service_settings
from zone_portal.events.models import Event
from zone_portal.notifications.models import Notification

from .conftest import at

ACCEPTED_AT = at(2026, 11, 30, 9, 0)  # a 2-hour seal: at risk from 10:30, due at 11:00


def _accepted_seals(file_request, clerk, n):
    with time_machine.travel(ACCEPTED_AT, tick=False):
        return [file_request("seal-engraving", state="accepted", by=clerk) for _ in range(n)]


def _kinds(request):
    return list(
        Event.objects.filter(object_id=request.pk, kind__in=["at_risk", "overdue"]).values_list(
            "kind", flat=True
        )
    )


@pytest.mark.django_db
def test_sweep_marks_at_risk_then_overdue_once_and_tells_the_handler_and_admins(
    file_request, clerk1, admin_user
):
    (request,) = _accepted_seals(file_request, clerk1, 1)
    assert services_sweep(now=at(2026, 11, 30, 10, 0))["at_risk"] == 0
    assert services_sweep(now=at(2026, 11, 30, 10, 40))["at_risk"] == 1
    assert services_sweep(now=at(2026, 11, 30, 10, 45))["at_risk"] == 0
    assert _kinds(request) == ["at_risk"]
    assert services_sweep(now=at(2026, 11, 30, 11, 5))["overdue"] == 1
    assert services_sweep(now=at(2026, 11, 30, 11, 10)) == {
        "overdue": 0,
        "at_risk": 0,
        "verify_overdue": 0,
        "fix_overdue": 0,
    }
    assert _kinds(request) == ["at_risk", "overdue"]
    titles = list(
        Notification.objects.filter(kind="service_request_sla").values_list("recipient__username", "kind")
    )
    assert sorted(titles) == sorted([("clerk1", "service_request_sla"), ("admin", "service_request_sla")] * 2)
    request.refresh_from_db()
    assert request.at_risk_marked_at == at(2026, 11, 30, 10, 40)
    assert request.overdue_marked_at == at(2026, 11, 30, 11, 5)


@pytest.mark.django_db
def test_the_configured_center_head_is_told_instead_of_every_admin(file_request, clerk1, leader1, admin_user):
    actions.service_settings_update(actor=admin_user, center_head=leader1)
    (request,) = _accepted_seals(file_request, clerk1, 1)
    services_sweep(now=at(2026, 11, 30, 11, 5))
    recipients = set(
        Notification.objects.filter(kind="service_request_sla").values_list("recipient__username", flat=True)
    )
    assert recipients == {"clerk1", "leader1"}


@pytest.mark.django_db
def test_a_paused_request_is_not_swept(file_request, clerk1):
    (request,) = _accepted_seals(file_request, clerk1, 1)
    with time_machine.travel(at(2026, 11, 30, 9, 30), tick=False):
        actions.request_request_supplement(actor=clerk1, service_request=request, missing=["章"])
    assert services_sweep(now=at(2026, 11, 30, 17, 0)) == {
        "overdue": 0,
        "at_risk": 0,
        "verify_overdue": 0,
        "fix_overdue": 0,
    }


@pytest.mark.django_db
def test_sweep_query_count_does_not_grow_with_requests(
    file_request, clerk1, django_assert_num_queries, django_assert_max_num_queries
):
    _accepted_seals(file_request, clerk1, 2)
    with django_assert_max_num_queries(20) as few:
        assert services_sweep(now=at(2026, 11, 30, 11, 5))["overdue"] == 2
    ServiceRequest.objects.update(overdue_marked_at=None)
    Event.objects.filter(kind="overdue").delete()
    _accepted_seals(file_request, clerk1, 18)
    with django_assert_num_queries(len(few.captured_queries)):
        assert services_sweep(now=at(2026, 11, 30, 11, 6))["overdue"] == 20


@pytest.mark.django_db
def test_the_sweep_keys_its_events_and_notifications_in_the_cases_format(file_request, clerk1, admin_user):
    (request,) = _accepted_seals(file_request, clerk1, 1)
    services_sweep(now=at(2026, 11, 30, 11, 5))
    key = f"services.servicerequest:{request.pk}:overdue"
    assert Event.objects.get(object_id=request.pk, kind="overdue").dedupe_key == key
    assert set(
        Notification.objects.filter(kind="service_request_sla").values_list("dedupe_key", flat=True)
    ) == {
        f"{key}:{clerk1.pk}",
        f"{key}:{admin_user.pk}",
    }


@pytest.mark.django_db
def test_rectification_deadlines_are_swept_once(file_request, clerk1, ent_a, dept_market, admin_user):
    with time_machine.travel(at(2026, 11, 30, 9, 0), tick=False):
        request = file_request("seal-engraving", state="completed", by=clerk1)
        rating = actions.request_rate(actor=ent_a, service_request=request, score=1, comment="态度差")
    rectification = rating.rectification
    assert rectification.verify_due_at == at(2026, 12, 1, 9, 0)
    assert services_sweep(now=at(2026, 12, 1, 9, 30))["verify_overdue"] == 1
    assert services_sweep(now=at(2026, 12, 1, 9, 31))["verify_overdue"] == 0
    notified = set(
        Notification.objects.filter(kind="rectification_overdue").values_list(
            "recipient__username", flat=True
        )
    )
    assert {"clerk1", "clerk2", "admin"} <= notified  # the handler, the approval department, the head
    late = rectification.fix_due_at
    assert services_sweep(now=late)["fix_overdue"] == 1
    assert services_sweep(now=late)["fix_overdue"] == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_record_each_event_and_notification_once(file_request, clerk1, admin_user):
    requests = _accepted_seals(file_request, clerk1, 6)
    barrier = threading.Barrier(2)
    totals = []

    def sweep():
        try:
            barrier.wait(timeout=10)
            totals.append(services_sweep(now=at(2026, 11, 30, 11, 5)))
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sum(t["overdue"] for t in totals) == 6
    assert Event.objects.filter(kind="overdue").count() == 6
    assert Event.objects.filter(kind="at_risk").count() == 0  # past due: only the overdue warning
    for request in requests:
        assert (
            Notification.objects.filter(url__endswith=f"/requests/{request.pk}/", recipient=clerk1).count()
            == 1
        )
        assert (
            Notification.objects.filter(
                url__endswith=f"/requests/{request.pk}/", recipient=admin_user
            ).count()
            == 1
        )


@pytest.mark.django_db
def test_the_beat_schedule_runs_the_sweep(settings):
    from services.schedule import BEAT_SCHEDULE
    from services.tasks import sweep_deadlines

    entry = BEAT_SCHEDULE["services-sweep-deadlines"]
    assert entry["task"] == sweep_deadlines.name
    assert entry["schedule"] == float(settings.SWEEP_INTERVAL_SECONDS)
    assert service_settings().at_risk_ratio  # the sweep's numbers exist
    assert sweep_deadlines.delay().get() == {
        "overdue": 0,
        "at_risk": 0,
        "verify_overdue": 0,
        "fix_overdue": 0,
    }
