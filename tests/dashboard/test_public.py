"""The public page: no sign-in, aggregated figures only; nothing names an enterprise, a person
or a case."""

import pytest

from tests.dashboard.test_figures import constructed  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def this_year(constructed):  # noqa: F811
    """The constructed rows moved to yesterday, with a rating comment naming the enterprise."""
    from datetime import timedelta

    from django.utils import timezone

    from services.models import ServiceRequest
    from zone_portal.ratings.models import Rating

    shift = timezone.now() - timedelta(days=1) - constructed["on_time_1"].accepted_at
    for row in ServiceRequest.objects.all():
        for field in ("submitted_at", "accepted_at", "due_at", "closed_at", "risk_at"):
            if getattr(row, field):
                setattr(row, field, getattr(row, field) + shift)
        row.save()
    Rating.objects.update(
        comment="中金科技 张三 13800000000 说窗口很慢", created_at=timezone.now() - timedelta(hours=1)
    )
    return constructed


def test_public_page_shows_aggregates_without_sign_in(client, this_year):
    page = client.get("/dashboard/public/")

    assert page.status_code == 200
    figures = page.context["figures"]
    assert figures["service_requests"]["completed"] >= 1
    html = page.content.decode()
    assert 'data-testid="public-on-time-rate"' in html
    assert "印章刻制（免费）" in html  # service names and their limits are public


def test_public_page_leaks_no_enterprise_person_or_case(client, this_year, demo):
    html = client.get("/dashboard/public/").content.decode()

    for secret in ("中金科技", "华创材料", "远景光电", "张三", "13800000000", "首席服务员", "T000"):
        assert secret not in html, secret
    for user in demo.users.values():
        assert user.display_name not in html and f">{user.username}<" not in html
    assert this_year["late"].number not in html


def test_public_figures_have_no_field_beyond_aggregates(this_year):
    from zone_portal.dashboard.periods import period_from_params
    from zone_portal.dashboard.selectors import public_figures

    figures = public_figures(period_from_params({"period": "year"}))

    assert set(figures) == {"period", "tickets", "service_requests", "ratings", "supervision"}
    assert set(figures["supervision"]) == {
        "filed",
        "fixed_at_once",
        "tracked",
        "rectified",
        "awaiting_answer",
        "overdue",
    }
    assert set(figures["tickets"]) == {
        "received",
        "resolved",
        "resolution_rate",
        "on_time_rate",
        "response_rate",
        "satisfaction_rate",
    }
    assert set(figures["service_requests"]["by_service"][0]) == {
        "service",
        "limit",
        "completed",
        "on_time_rate",
        "median_hours",
    }


def test_public_page_ignores_custom_dates_and_scopes(client, this_year, demo):
    page = client.get(
        "/dashboard/public/", {"period": "custom", "from": "2000-01-01", "park": demo.parks["park1"].pk}
    )

    assert page.status_code == 200
    assert page.context["chosen_period"] == "year"


def test_public_figures_are_cached_per_language(client, this_year):
    from django.core.cache import cache

    cache.clear()
    chinese = client.get("/dashboard/public/", HTTP_ACCEPT_LANGUAGE="zh-hans").context["figures"]
    english = client.get("/dashboard/public/", HTTP_ACCEPT_LANGUAGE="en").context["figures"]
    chinese_limits = [row["limit"] for row in chinese["service_requests"]["by_service"]]
    english_limits = [row["limit"] for row in english["service_requests"]["by_service"]]
    assert chinese_limits and english_limits
    assert all("工作" in limit for limit in chinese_limits), chinese_limits
    assert all("working" in limit for limit in english_limits), english_limits
