"""Long lists count at most LIST_COUNT_LIMIT rows (zone_portal/pagination.py), links stay right."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def seven_notifications(ent_a):
    from zone_portal.notifications.actions import notify

    for i in range(7):
        notify(recipients=[ent_a], title=f"n{i}")


def test_api_count_is_exact_below_the_limit(api, demo, ent_a, seven_notifications, settings):
    settings.LIST_COUNT_LIMIT = 7
    body = api(ent_a).get("/api/v1/notifications/?page_size=3").json()
    assert body["count"] == 7 and body["next"] and len(body["results"]) == 3


def test_api_count_is_null_above_the_limit_and_the_links_still_lead_to_rows(
    api, demo, ent_a, seven_notifications, settings, django_assert_num_queries
):
    settings.LIST_COUNT_LIMIT = 4
    client = api(ent_a)
    first = client.get("/api/v1/notifications/?page_size=3").json()
    assert first["count"] is None and first["previous"] is None
    second = client.get(first["next"]).json()  # rows 4-6: within the 5 counted
    assert second["count"] is None and len(second["results"]) == 3 and second["previous"]
    titles = [n["title"] for n in first["results"] + second["results"]]
    assert len(set(titles)) == 6


def test_the_count_query_stops_at_the_limit(demo, ent_a, seven_notifications, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zone_portal.notifications.models import Notification
    from zone_portal.pagination import CappedPaginator

    with CaptureQueriesContext(connection) as captured:
        paginator = CappedPaginator(Notification.objects.order_by("id"), 2, limit=3)
        assert paginator.count == 4 and paginator.capped and paginator.shown_count == 3
    assert "LIMIT 4" in captured[0]["sql"]


def test_the_pager_says_more_than_when_capped(rf, db):
    from django.template.loader import render_to_string
    from django.utils import translation

    from zone_portal.accounts.models import User
    from zone_portal.pagination import CappedPaginator

    for i in range(7):
        User.objects.create(username=f"pager{i}")
    page = CappedPaginator(User.objects.order_by("id"), 2, limit=3).page(2)
    assert page.has_next() is False and len(page) == 2  # rows 3-4: the 4th was counted
    with translation.override("en"):
        html = render_to_string("includes/pagination.html", {"page": page, "request": rf.get("/x/?q=a")})
    assert "Page 2 of more than 2" in html and "q=a&amp;page=1" in html
    assert not CappedPaginator(list(range(10)), 2, limit=3).capped  # a list is counted whole
