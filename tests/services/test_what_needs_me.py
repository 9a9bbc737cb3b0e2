"""What needs me first: the clerk's queue says how long each request waited and how much working
time is left (or how late it is), names the next step on each row of my queue and keeps the count
tiles current; the enterprise's home lists what waits for its supplement; my requests by tab."""

from datetime import timedelta

import pytest
from django.urls import reverse

from services.models import ServiceRequest

pytestmark = pytest.mark.django_db


def _page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_request_not_yet_accepted_says_so_and_a_running_one_shows_its_time_left(
    client, clerk1, file_request
):
    new = file_request()
    running = file_request(state="accepted", by=clerk1)
    late = file_request(state="accepted", by=clerk1)
    ServiceRequest.objects.filter(pk=late.pk).update(
        due_at=late.due_at - timedelta(days=30), risk_at=late.risk_at - timedelta(days=30)
    )
    client.force_login(clerk1)
    page = _page(client, reverse("services:queue"), view="open")
    row = page.split(f'id="req-{new.pk}"')[1].split("</tr>")[0]
    assert "未受理" in row and 'data-sla="on_track"' not in row and "已等待" in row
    row = page.split(f'id="req-{running.pk}"')[1].split("</tr>")[0]
    assert "剩余" in row and "工时" in row
    row = page.split(f'id="req-{late.pk}"')[1].split("</tr>")[0]
    assert "超期" in row and "clock-left overdue" in row


def test_my_queue_offers_the_next_step_on_each_row_and_the_tiles_follow_a_claim(client, clerk1, file_request):
    claimed = file_request(state="claimed", by=clerk1)
    accepted = file_request(state="accepted", by=clerk1)
    free = file_request()
    client.force_login(clerk1)
    page = _page(client, reverse("services:queue"), view="mine")
    assert 'data-testid="row-accept"' in page.split(f'id="req-{claimed.pk}"')[1].split("</tr>")[0]
    assert 'data-testid="row-complete"' in page.split(f'id="req-{accepted.pk}"')[1].split("</tr>")[0]
    response = client.post(
        reverse("services:request-act", args=[free.pk, "claim"]), headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'hx-swap-oob="true"' in body
    assert 'data-testid="count-unclaimed">0<' in body
    # 办结 from the row without a result says why on the row
    refused = client.post(
        reverse("services:request-act", args=[accepted.pk, "complete"]), headers={"HX-Request": "true"}
    )
    assert refused.status_code == 400 and 'role="alert"' in refused.content.decode()
    done = client.post(
        reverse("services:request-act", args=[accepted.pk, "complete"]),
        {"result": "已办结"},
        headers={"HX-Request": "true"},
    )
    assert done.status_code == 200
    accepted.refresh_from_db()
    assert accepted.status == "completed"


def test_the_enterprise_home_links_what_waits_for_its_supplement(client, ent_a, clerk1, file_request):
    waiting = file_request(state="supplement_required", by=clerk1)
    client.force_login(ent_a)
    page = _page(client, reverse("home"))
    block = page.split('data-testid="needs-supplement"')[1].split("</div>")[0]
    assert f'href="{waiting.get_absolute_url()}"' in block and "身份证" in block
    tab = _page(client, reverse("services:requests"), tab="supplement")
    assert waiting.number in tab


def test_my_requests_tabs_filter_by_status(client, ent_a, clerk1, file_request):
    done = file_request(state="completed", by=clerk1)
    open_ = file_request()
    client.force_login(ent_a)
    completed = _page(client, reverse("services:requests"), tab="completed")
    assert done.number in completed and open_.number not in completed


def test_my_requests_query_count_does_not_grow_with_rows(
    client, ent_a, file_request, django_assert_max_num_queries
):
    file_request()
    client.force_login(ent_a)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("services:requests"))
    for _ in range(8):
        file_request()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("services:requests"))


def test_home_query_count_does_not_grow_with_waiting_requests(
    client, ent_a, clerk1, file_request, django_assert_max_num_queries
):
    file_request(state="supplement_required", by=clerk1)
    client.force_login(ent_a)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("home"))
    for _ in range(4):
        file_request(state="supplement_required", by=clerk1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("home"))
