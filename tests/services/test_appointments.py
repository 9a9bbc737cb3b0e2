"""Appointments (预约): window, weekend, extended-hours and door-to-door slots with a capacity."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from services.models import AppointmentSlot

pytestmark = pytest.mark.django_db


@pytest.fixture
def slot(catalog):
    return AppointmentSlot.objects.create(
        date=timezone.localdate() + timedelta(days=2), start=time(9), end=time(10), capacity=2
    )


def book(api, user, slot, **extra):
    return api(user).post("/api/v1/appointments/", {"slot": slot.pk, **extra}, format="json")


def test_booking_takes_a_place_and_cancelling_frees_it(api, ent_a, slot):
    response = book(api, ent_a, slot, service="business-license", note="带齐材料")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "booked" and body["slot"]["free"] == 1
    slot.refresh_from_db()
    assert slot.booked == 1
    cancelled = api(ent_a).post(f"/api/v1/appointments/{body['id']}/cancel/")
    assert cancelled.json()["status"] == "cancelled"
    slot.refresh_from_db()
    assert slot.booked == 0
    assert api(ent_a).post(f"/api/v1/appointments/{body['id']}/cancel/").status_code == 409


def test_a_full_slot_answers_409(api, ent_a, ent_b, cso1, enterprise_b, slot):
    slot.capacity = 1
    slot.save()
    assert book(api, ent_a, slot).status_code == 201
    response = book(api, ent_b, slot)
    assert response.status_code == 409 and response.json()["error"]["code"] == "slot_full"


def test_one_enterprise_books_a_slot_once(api, ent_a, slot):
    assert book(api, ent_a, slot).status_code == 201
    response = book(api, ent_a, slot)
    assert response.status_code == 409 and response.json()["error"]["code"] == "already_booked"
    slot.refresh_from_db()
    assert slot.booked == 1


def test_door_to_door_needs_an_address(api, ent_a, catalog):
    slot = AppointmentSlot.objects.create(
        date=timezone.localdate() + timedelta(days=2),
        start=time(14, 30),
        end=time(17, 30),
        kind=AppointmentSlot.Kind.DOOR_TO_DOOR,
        capacity=2,
    )
    assert book(api, ent_a, slot).status_code == 400
    assert book(api, ent_a, slot, address="园区一路8号").status_code == 201


def test_past_slots_cannot_be_booked(api, ent_a, catalog):
    slot = AppointmentSlot.objects.create(
        date=timezone.localdate() - timedelta(days=1), start=time(9), end=time(10)
    )
    assert book(api, ent_a, slot).status_code == 409


def test_bookings_are_scoped_to_the_enterprise(api, ent_a, ent_b, clerk1, slot):
    booking = book(api, ent_a, slot).json()
    assert api(ent_b).get("/api/v1/appointments/").json()["count"] == 0
    assert api(ent_b).post(f"/api/v1/appointments/{booking['id']}/cancel/").status_code == 404
    assert api(clerk1).get("/api/v1/appointments/").json()["count"] == 1


def test_slots_list_filters_by_kind(api, ent_a, slot):
    AppointmentSlot.objects.create(
        date=slot.date, start=time(18), end=time(19, 30), kind=AppointmentSlot.Kind.EXTENDED
    )
    body = api(ent_a).get("/api/v1/appointment-slots/?kind=extended").json()
    assert [s["kind"] for s in body["results"]] == ["extended"]
