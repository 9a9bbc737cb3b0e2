"""12345 hotline intake: the same key answers the same ticket, never a duplicate."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from feedback.models import Ticket

pytestmark = pytest.mark.django_db

URL = "/api/v1/tickets/intake/"


def body(**extra):
    return {
        "category": "utilities",
        "title": "来电反映停电",
        "description": "厂区频繁停电",
        "contact": "王先生",
        **extra,
    }


def test_same_key_twice_answers_the_same_ticket(api, org, hotline, enterprise_a, cso1):
    client = api(hotline)
    first = client.post(
        URL, body(enterprise=enterprise_a.pk), format="json", HTTP_IDEMPOTENCY_KEY="12345-0001"
    )
    assert first.status_code == 201
    assert first.json()["source"] == "hotline" and first.json()["owner"]["username"] == "cso1"
    again = client.post(
        URL, body(enterprise=enterprise_a.pk), format="json", HTTP_IDEMPOTENCY_KEY="12345-0001"
    )
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    other = client.post(
        URL, body(enterprise=enterprise_a.pk), format="json", HTTP_IDEMPOTENCY_KEY="12345-0002"
    )
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]
    assert Ticket.objects.count() == 2


def test_the_hotline_case_id_works_as_the_key_and_uscc_names_the_enterprise(api, org, hotline, enterprise_b):
    client = api(hotline)
    first = client.post(URL, body(uscc=enterprise_b.uscc, case_id="HL-77"), format="json")
    again = client.post(URL, body(uscc=enterprise_b.uscc, case_id="HL-77"), format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["enterprise"]["id"] == enterprise_b.pk


def test_unknown_enterprise_goes_to_triage_by_the_parks(api, org, hotline, park1, park2):
    response = api(hotline).post(
        URL, body(uscc="91000000000000000X"), format="json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert response.status_code == 201
    assert response.json()["enterprise"] is None and response.json()["park"] is None
    ticket_id = response.json()["id"]
    for director in (park1, park2):
        assert api(director).get(f"/api/v1/tickets/{ticket_id}/").status_code == 200
    routed = api(park1).post(
        f"/api/v1/tickets/{ticket_id}/reassign/",
        {"park": "park2", "reason": "属智能装备产业园"},
        format="json",
    )
    assert routed.status_code == 200 and routed.json()["park"] == "park2"
    assert routed.json()["owner"]["username"] == "park2"
    assert api(park1).get(f"/api/v1/tickets/{ticket_id}/").status_code == 404


def test_a_park_can_be_named_for_an_unknown_enterprise(api, org, hotline):
    response = api(hotline).post(URL, body(park="park2"), format="json", HTTP_IDEMPOTENCY_KEY="k2")
    assert response.json()["park"] == "park2" and response.json()["owner"]["username"] == "park2"


def test_only_the_hotline_client_and_a_key_are_accepted(api, org, hotline, ent_a, enterprise_a):
    assert (
        api(ent_a)
        .post(URL, body(enterprise=enterprise_a.pk), format="json", HTTP_IDEMPOTENCY_KEY="x")
        .status_code
        == 403
    )
    missing = api(hotline).post(URL, body(enterprise=enterprise_a.pk), format="json")
    assert missing.status_code == 400 and "idempotency_key" in missing.json()["error"]["fields"]
    nowhere = api(hotline).post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="x")
    assert nowhere.status_code == 400


def test_the_hotline_raises_tickets_only_through_its_intake(api, org, hotline, enterprise_a):
    before = Ticket.objects.count()
    general = api(hotline).post(
        "/api/v1/tickets/", {**body(), "enterprise": enterprise_a.pk, "urgency": "normal"}, format="json"
    )
    assert general.status_code == 403
    assert Ticket.objects.count() == before
    for url in ("/api/v1/tickets/", "/api/v1/enterprises/", "/api/v1/service-requests/", "/api/v1/projects/"):
        assert api(hotline).get(url).status_code == 403, url
    # the action itself refuses a hotline ticket that does not come through the intake
    from feedback.actions import ticket_raise
    from zone_portal.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        ticket_raise(actor=hotline, enterprise=enterprise_a, source="park", **body(), urgency="normal")
    assert (
        api(hotline)
        .post(URL, body(enterprise=enterprise_a.pk), format="json", HTTP_IDEMPOTENCY_KEY="k9")
        .status_code
        == 201
    )


def test_the_hotline_cannot_sign_in_to_the_portal(client, org, hotline):
    response = client.post("/accounts/login/", {"username": "hotline", "password": "pw-for-tests-1"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "12345" in response.content.decode() and "令牌" in response.content.decode()
    assert client.get("/").status_code == 302


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_make_one_ticket(org, hotline, enterprise_a):
    barrier = threading.Barrier(4)
    answers = []

    def deliver():
        try:
            client = APIClient()
            client.force_authenticate(hotline)
            barrier.wait()
            response = client.post(
                URL, body(enterprise=enterprise_a.pk), format="json", HTTP_IDEMPOTENCY_KEY="12345-race"
            )
            answers.append((response.status_code, response.json()["id"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Ticket.objects.count() == 1
    assert len({ticket_id for _, ticket_id in answers}) == 1
    assert sorted(code for code, _ in answers) == [200, 200, 200, 201]
