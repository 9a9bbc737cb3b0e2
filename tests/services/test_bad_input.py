"""Bad input answers a clear 400 (or is ignored where it only narrows a list), never a 500; the
appointments page costs the same number of queries however many slots are open."""

from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from services.models import AppointmentSlot

pytestmark = pytest.mark.django_db


def _slots(n, start_day=1, **extra):
    day = timezone.localdate() + timedelta(days=start_day)
    return [
        AppointmentSlot.objects.create(date=day + timedelta(days=i), start=time(9), end=time(10), **extra)
        for i in range(n)
    ]


@pytest.mark.parametrize("service", ["\x00", "no such service", "seal-engraving\x00"])
def test_new_request_page_ignores_a_bad_service_code(client, ent_a, catalog, service):
    client.force_login(ent_a)
    response = client.get(reverse("services:request-new"), {"service": service})
    assert response.status_code == 200


def test_new_request_page_refuses_a_posted_nul_service_with_the_form(client, ent_a, enterprise_a, catalog):
    client.force_login(ent_a)
    response = client.post(
        reverse("services:request-new"),
        {"service": "\x00", "enterprise": enterprise_a.pk, "description": "x"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["service"]


@pytest.mark.parametrize("kind", ["\x00", "nonsense"])
def test_slot_list_refuses_an_unknown_kind(api, ent_a, catalog, kind):
    response = api(ent_a).get("/api/v1/appointment-slots/", {"kind": kind})
    assert response.status_code == 400
    assert "kind" in response.json()["error"]["fields"]


@pytest.mark.parametrize("day", ["\x00", "2026-13-45"])
def test_slot_list_refuses_a_bad_date(api, ent_a, catalog, day):
    response = api(ent_a).get("/api/v1/appointment-slots/", {"date": day})
    assert response.status_code == 400
    assert "date" in response.json()["error"]["fields"]


def test_appointments_page_ignores_an_unknown_kind(client, ent_a, catalog):
    _slots(1)
    client.force_login(ent_a)
    response = client.get(reverse("services:appointments"), {"kind": "\x00"})
    assert response.status_code == 200
    assert "09:00" in response.content.decode()


def test_appointments_page_queries_do_not_grow_with_slots(client, clerk1, catalog):
    client.force_login(clerk1)
    _slots(2, capacity=3)
    client.get(reverse("services:appointments"))  # warm caches
    with CaptureQueriesContext(connection) as few:
        first = client.get(reverse("services:appointments"))
    _slots(20, start_day=10, capacity=3)
    with CaptureQueriesContext(connection) as many:
        second = client.get(reverse("services:appointments"))
    assert len(many.captured_queries) == len(few.captured_queries)
    # The enterprise register and the catalogue appear once, not once per slot.
    html = second.content.decode()
    assert html.count('name="enterprise"') == 1 and html.count('name="service"') == 1
    assert html.count('name="slot"') == 22
    assert first.status_code == second.status_code == 200


def test_the_single_booking_form_books_the_chosen_slot(client, ent_a, enterprise_a, catalog):
    slots = _slots(3, capacity=1)
    client.force_login(ent_a)
    response = client.post(
        reverse("services:appointments"),
        {"slot": slots[1].pk, "enterprise": enterprise_a.pk, "service": "invoice"},
    )
    assert response.status_code == 302
    assert [s.booked for s in AppointmentSlot.objects.order_by("date")] == [0, 1, 0]


def test_booking_without_choosing_a_slot_shows_the_form_error(client, ent_a, enterprise_a, catalog):
    _slots(1)
    client.force_login(ent_a)
    response = client.post(reverse("services:appointments"), {"enterprise": enterprise_a.pk})
    assert response.status_code == 400
    assert response.context["form"].errors["slot"]
    assert not AppointmentSlot.objects.filter(booked__gt=0).exists()
