"""The enterprise start-up bundle (企业开办"一件事"): one child per item; the bundle follows them."""

import pytest
import time_machine

from services import actions
from services.models import ServiceRequest

from .conftest import at

pytestmark = pytest.mark.django_db


def _bundle(catalog, ent_a, enterprise_a):
    return actions.request_submit(actor=ent_a, service=catalog["enterprise-startup"], enterprise=enterprise_a)


def test_a_bundle_creates_one_numbered_child_per_item(catalog, ent_a, enterprise_a):
    bundle = _bundle(catalog, ent_a, enterprise_a)
    children = list(bundle.children.order_by("number"))
    assert bundle.is_bundle
    assert [c.service.code for c in children] == ["business-license", "seal-engraving", "invoice"]
    assert [c.number for c in children] == [f"{bundle.number}-{i}" for i in (1, 2, 3)]
    assert {c.department.code for c in children} == {"approval", "tax"}


def test_the_bundle_itself_cannot_be_claimed(catalog, ent_a, enterprise_a, clerk1, api):
    bundle = _bundle(catalog, ent_a, enterprise_a)
    assert api(clerk1).post(f"/api/v1/service-requests/{bundle.pk}/claim/").status_code == 409
    numbers = [
        r["number"] for r in api(clerk1).get("/api/v1/service-requests/?assignee=none").json()["results"]
    ]
    # "Unclaimed" lists what can be claimed, as the counts do: the items, not the bundle itself.
    assert bundle.number not in numbers and f"{bundle.number}-1" in numbers


def test_the_bundle_clock_starts_with_the_first_item_pauses_and_completes_with_the_last(
    catalog, ent_a, enterprise_a, clerk1, clerk2
):
    with time_machine.travel(at(2026, 11, 30, 9, 0), tick=False):
        bundle = _bundle(catalog, ent_a, enterprise_a)
        license_, seal, invoice = bundle.children.order_by("number")
        for child, clerk in ((license_, clerk1), (seal, clerk1), (invoice, clerk2)):
            actions.request_claim(actor=clerk, service_request=child)
        actions.request_accept(actor=clerk1, service_request=license_)
    bundle.refresh_from_db()
    assert bundle.status == "accepted"
    # One working day (7 h) from 09:00 Monday: 09:00–12:00, 14:30–18:00 is 6.5 h; 30 min Tuesday.
    assert bundle.due_at == at(2026, 12, 1, 9, 0)
    with time_machine.travel(at(2026, 11, 30, 10, 0), tick=False):
        actions.request_request_supplement(actor=clerk1, service_request=license_, missing=["章程"])
    bundle.refresh_from_db()
    assert bundle.status == "supplement_required" and bundle.sla_state == "paused"
    with time_machine.travel(at(2026, 11, 30, 11, 0), tick=False):
        actions.request_supplement(actor=ent_a, service_request=license_, note="补")
        actions.request_accept(actor=clerk1, service_request=seal)
        actions.request_accept(actor=clerk2, service_request=invoice)
        for child, clerk in ((license_, clerk1), (seal, clerk1)):
            actions.request_complete(actor=clerk, service_request=child, result="好")
    bundle.refresh_from_db()
    assert bundle.status == "accepted"
    assert bundle.due_at == at(2026, 12, 1, 10, 0)  # moved by the hour it waited
    with time_machine.travel(at(2026, 11, 30, 11, 30), tick=False):
        actions.request_complete(actor=clerk2, service_request=invoice, result="发票已发放")
    bundle.refresh_from_db()
    assert bundle.status == "completed" and bundle.closed_at == at(2026, 11, 30, 11, 30)
    assert bundle_events(bundle)[-1] == "bundle_completed"


def bundle_events(bundle):
    from zone_portal.events.log import events_for

    return [e.kind for e in events_for(bundle)]


def test_a_bundle_closes_as_rejected_when_an_item_is_rejected(catalog, ent_a, enterprise_a, clerk1):
    bundle = _bundle(catalog, ent_a, enterprise_a)
    for child in bundle.children.all():
        actions.request_claim(actor=clerk1, service_request=child)
        actions.request_reject(actor=clerk1, service_request=child, reason="名称不可用")
    bundle.refresh_from_db()
    assert bundle.status == "rejected"


def test_withdrawing_a_bundle_withdraws_its_open_items(catalog, ent_a, enterprise_a, clerk1, api):
    bundle = _bundle(catalog, ent_a, enterprise_a)
    child = bundle.children.first()
    assert api(ent_a).post(f"/api/v1/service-requests/{child.pk}/withdraw/").status_code == 409
    assert api(ent_a).post(f"/api/v1/service-requests/{bundle.pk}/withdraw/").status_code == 200
    assert set(ServiceRequest.objects.filter(parent=bundle).values_list("status", flat=True)) == {"withdrawn"}


def test_only_the_bundle_is_rated(catalog, ent_a, enterprise_a, clerk1, api):
    bundle = _bundle(catalog, ent_a, enterprise_a)
    for child in bundle.children.all():
        actions.request_claim(actor=clerk1, service_request=child)
        actions.request_accept(actor=clerk1, service_request=child)
        actions.request_complete(actor=clerk1, service_request=child, result="好")
    child = bundle.children.first()
    assert (
        api(ent_a).post(f"/api/v1/service-requests/{child.pk}/rate/", {"score": 5}, format="json").status_code
        == 409
    )
    assert (
        api(ent_a)
        .post(f"/api/v1/service-requests/{bundle.pk}/rate/", {"score": 5}, format="json")
        .status_code
        == 200
    )
