import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from enterprises.actions import cso_assign, cso_assign_bulk, enterprise_status_change
from enterprises.models import CsoAssignment, Enterprise
from enterprises.selectors import (
    current_cso_id,
    enterprise_cso_history,
    enterprise_current_cso,
    enterprises_served_by,
    has_current_cso,
    officer_serves,
    officer_workload,
)
from tests.factories import UserFactory
from zone_portal.errors import InvalidInput, PermissionDeniedError, TransitionForbidden
from zone_portal.events.log import events_for
from zone_portal.notifications.models import Notification

from .factories import make_enterprise

pytestmark = pytest.mark.django_db


def test_handover_closes_the_old_assignment_and_keeps_the_history(enterprise_a, cso1, cso2):
    assert enterprise_current_cso(enterprise_a) == cso1
    cso_assign(actor=cso1, enterprise=enterprise_a, officer=cso2, reason="工作调整")

    assert enterprise_current_cso(enterprise_a) == cso2
    history = list(enterprise_cso_history(enterprise_a))
    assert [(a.officer, a.ended_at is None) for a in history] == [(cso2, True), (cso1, False)]
    assert history[0].reason == "工作调整" and history[0].assigned_by == cso1
    assert history[1].ended_at == history[0].started_at
    event = list(events_for(enterprise_a))[-1]
    assert (event.kind, event.reason, event.data["from"], event.data["to"]) == (
        "cso_handed_over",
        "工作调整",
        "cso1",
        "cso2",
    )
    assert Notification.objects.filter(recipient=cso2, kind="cso_assigned").exists()
    assert Notification.objects.filter(recipient=cso1, kind="cso_handed_over").exists()


def test_the_database_refuses_a_second_open_assignment(enterprise_a, cso2):
    with pytest.raises(IntegrityError), transaction.atomic():
        CsoAssignment.objects.create(enterprise=enterprise_a, officer=cso2, started_at=timezone.now())


def test_a_handover_needs_a_reason_and_a_different_officer(enterprise_a, cso1, cso2):
    with pytest.raises(InvalidInput) as caught:
        cso_assign(actor=cso1, enterprise=enterprise_a, officer=cso2, reason="  ")
    assert "reason" in caught.value.fields
    with pytest.raises(TransitionForbidden):
        cso_assign(actor=cso1, enterprise=enterprise_a, officer=cso1, reason="again")
    assert enterprise_current_cso(enterprise_a) == cso1


def test_only_a_chief_service_officer_can_be_assigned(enterprise_a, admin_user, clerk1):
    with pytest.raises(InvalidInput) as caught:
        cso_assign(actor=admin_user, enterprise=enterprise_a, officer=clerk1, reason="x")
    assert "officer" in caught.value.fields


def test_who_may_hand_over(enterprise_a, enterprise_b, cso1, cso2, park1, park2, clerk1, admin_user):
    # another officer cannot take over someone else's enterprise; neither can a clerk or another park
    for actor in (cso2, clerk1, park2):
        with pytest.raises(PermissionDeniedError):
            cso_assign(actor=actor, enterprise=enterprise_a, officer=cso2, reason="x")
    cso_assign(actor=park1, enterprise=enterprise_a, officer=cso2, reason="园区调整")
    cso_assign(actor=admin_user, enterprise=enterprise_a, officer=cso1, reason="管理员调整")
    assert enterprise_current_cso(enterprise_a) == cso1


def test_a_clerk_may_assign_the_first_officer_only(demo, clerk1, cso1, cso2):
    enterprise = make_enterprise(demo.parks["park2"])
    cso_assign(actor=clerk1, enterprise=enterprise, officer=cso1, reason="")
    with pytest.raises(PermissionDeniedError):
        cso_assign(actor=clerk1, enterprise=enterprise, officer=cso2, reason="x")


def test_moving_out_ends_the_assignment_and_refuses_new_ones(enterprise_a, clerk1, cso2, admin_user):
    enterprise_status_change(actor=clerk1, enterprise=enterprise_a, status="moved_out", reason="迁出高新区")
    assert enterprise_current_cso(enterprise_a) is None
    with pytest.raises(TransitionForbidden):
        cso_assign(actor=admin_user, enterprise=enterprise_a, officer=cso2, reason="x")


def test_bulk_assignment_for_a_park_fills_the_gaps_in_constant_queries(
    demo, park2, cso1, cso2, django_assert_max_num_queries
):
    park = demo.parks["park2"]
    officer = UserFactory(roles=["cso"], parks=[park])
    keep = make_enterprise(park)
    cso_assign(actor=None, enterprise=keep, officer=cso1, reason="")
    for _ in range(3):
        make_enterprise(park)
    with django_assert_max_num_queries(14):
        assert cso_assign_bulk(actor=park2, park=park, officer=officer, reason="园区统一分包") == 3
    for _ in range(20):
        make_enterprise(park)
    with django_assert_max_num_queries(14):
        assert cso_assign_bulk(actor=park2, park=park, officer=officer, reason="") == 20
    assert enterprise_current_cso(keep) == cso1
    # everything: the one held by cso1 is handed over too
    assert (
        cso_assign_bulk(actor=park2, park=park, officer=officer, reason="全部", only_without_officer=False)
        == 1
    )
    assert enterprise_current_cso(keep) == officer
    assert Enterprise.objects.filter(park=park).with_cso(False).count() == 0
    workload = officer_workload()
    assert {o.username: o.active_enterprises for o in workload["officers"]}[officer.username] == 24
    assert [e.kind for e in events_for(keep)][-1] == "cso_handed_over"


def test_bulk_assignment_is_for_the_parks_director_or_an_administrator(demo, park1, cso1):
    with pytest.raises(PermissionDeniedError):
        cso_assign_bulk(actor=park1, park=demo.parks["park2"], officer=cso1, reason="")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_handovers_leave_exactly_one_active_officer(demo, admin_user, cso1, cso2):
    enterprise = demo.enterprises["A"]
    officer3 = UserFactory(username="cso_third", roles=["cso"])
    barrier = threading.Barrier(2)
    errors = []

    def hand_over(officer):
        try:
            barrier.wait(timeout=5)
            cso_assign(actor=admin_user, enterprise=enterprise, officer=officer, reason=f"to {officer}")
        except Exception as exc:  # collected: the assertion below says what went wrong
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=hand_over, args=(o,)) for o in (cso2, officer3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)

    assert errors == []
    rows = list(CsoAssignment.objects.filter(enterprise=enterprise).order_by("started_at", "id"))
    assert [r.ended_at is None for r in rows] == [False, False, True]
    # a chain: each closed assignment ended when the next one started
    assert rows[0].officer == cso1
    assert rows[0].ended_at == rows[1].started_at and rows[1].ended_at == rows[2].started_at
    assert {rows[1].officer, rows[2].officer} == {cso2, officer3}


def test_every_form_of_the_current_officer_agrees_after_a_handover(
    demo, park2, cso1, cso2, django_assert_num_queries
):
    """enterprise_current_cso for one, enterprises_served_by / officer_serves for an officer, and
    current_cso_id to annotate many enterprises in one query: one definition, the same answers."""
    park = demo.parks["park2"]
    handed, kept, none = make_enterprise(park), make_enterprise(park), make_enterprise(park)
    cso_assign(actor=None, enterprise=handed, officer=cso1, reason="")
    cso_assign(actor=None, enterprise=kept, officer=cso1, reason="")
    cso_assign(actor=park2, enterprise=handed, officer=cso2, reason="工作调整")

    in_park = Enterprise.objects.filter(park=park)
    assert set(in_park.filter(pk__in=enterprises_served_by(cso1))) == {kept}
    assert set(in_park.filter(pk__in=enterprises_served_by(cso2))) == {handed}
    assert (
        not officer_serves(cso1, handed.pk)
        and officer_serves(cso2, handed.pk)
        and officer_serves(cso1, kept.pk)
    )
    with django_assert_num_queries(1):
        officers = {
            pk: (cso_id, has)
            for pk, cso_id, has in Enterprise.objects.filter(pk__in=[handed.pk, kept.pk, none.pk])
            .annotate(cso_id=current_cso_id(), has=has_current_cso())
            .values_list("pk", "cso_id", "has")
        }
    assert officers == {handed.pk: (cso2.pk, True), kept.pk: (cso1.pk, True), none.pk: (None, False)}
    assert [enterprise_current_cso(e) for e in (handed, kept, none)] == [cso2, cso1, None]
    assert set(in_park.with_officer(cso1)) == {kept}
    assert set(in_park.with_cso(False)) == {none}
