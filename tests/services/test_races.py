"""Races on PostgreSQL: two clerks claiming at once, two requests numbered at once, two bookings of
the last place, two sweeps at once, a bundle withdrawn while a clerk works on one of its items."""

import pytest

from services import actions
from services.models import AppointmentSlot, ServiceRequest
from tests.concurrency import run_staged, run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_clerks_claim_at_once_one_wins_the_other_is_told_who(api, clerk1, clerk2, file_request):
    request = file_request()
    url = f"/api/v1/service-requests/{request.pk}/claim/"
    responses = run_together(lambda: api(clerk1).post(url), lambda: api(clerk2).post(url))
    codes = sorted(r[1].status_code for r in responses)
    assert codes == [200, 409]
    winner = ServiceRequest.objects.select_related("assignee").get(pk=request.pk).assignee
    loser_body = next(r[1].json() for r in responses if r[1].status_code == 409)
    assert str(winner) in loser_body["error"]["message"]
    assert loser_body["error"]["fields"]["assignee"] == [str(winner)]


def test_two_requests_filed_at_once_get_different_numbers(api, ent_a, ent_b, catalog):
    def file(user):
        return lambda: api(user).post("/api/v1/service-requests/", {"service": "invoice"}, format="json")

    responses = run_together(file(ent_a), file(ent_b), file(ent_a), file(ent_b))
    assert all(r[1].status_code == 201 for r in responses)
    numbers = {r[1].json()["number"] for r in responses}
    assert len(numbers) == 4


def test_two_bookings_of_the_last_place_one_wins(ent_a, ent_b, enterprise_a, enterprise_b, catalog):
    from datetime import time, timedelta

    from django.utils import timezone

    slot = AppointmentSlot.objects.create(
        date=timezone.localdate() + timedelta(days=3), start=time(9), end=time(10), capacity=1
    )
    results = run_together(
        lambda: actions.appointment_book(actor=ent_a, slot=slot, enterprise=enterprise_a),
        lambda: actions.appointment_book(actor=ent_b, slot=slot, enterprise=enterprise_b),
    )
    assert sorted(r[0] for r in results) == ["error", "ok"]
    assert next(r[1] for r in results if r[0] == "error").status == 409
    slot.refresh_from_db()
    assert slot.booked == 1 and slot.appointments.count() == 1


def test_a_bundle_withdrawn_while_an_item_is_accepted_does_not_deadlock(catalog, ent_a, enterprise_a, clerk1):
    """The withdrawal locks the bundle and then its items; accepting an item locks the item and
    then the bundle. Replayed so that each holds its first lock when it asks for the second: with
    both in the same order (bundle first), the acceptance waits and is then refused."""
    bundle = actions.request_submit(
        actor=ent_a, service=catalog["enterprise-startup"], enterprise=enterprise_a
    )
    children = list(ServiceRequest.objects.filter(parent=bundle).order_by("-submitted_at", "-id"))
    # The withdrawal waits for the newest item (held) with the bundle locked; the clerk accepts the
    # oldest, which the withdrawal used to lock last.
    first_locked, item = children[0], children[-1]
    actions.request_claim(actor=clerk1, service_request=item)

    results = run_staged(
        lambda: actions.request_withdraw(actor=ent_a, service_request=bundle, reason="不办了"),
        lambda: actions.request_accept(actor=clerk1, service_request=item),
        holding=lambda: list(ServiceRequest.objects.select_for_update().filter(pk=first_locked.pk)),
    )

    assert [r[0] for r in results] == ["ok", "error"], results
    assert results[1][1].status == 409
    statuses = set(
        ServiceRequest.objects.filter(pk__in=[bundle.pk, *(c.pk for c in children)]).values_list(
            "status", flat=True
        )
    )
    assert statuses == {"withdrawn"}
