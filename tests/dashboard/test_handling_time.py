"""Median handling time runs on the working calendar, on PostgreSQL (in SQL) and SQLite alike."""

from datetime import timedelta

import pytest

from tests.dashboard.factories import at, completed
from zone_portal.dashboard.scope import Scope
from zone_portal.dashboard.selectors import dashboard_summary
from zone_portal.dashboard.workclock import calendar_arrays
from zone_portal.worktime.calendar import working_time_between

pytestmark = pytest.mark.django_db


def _medians(march, user):
    out = dashboard_summary(Scope(), march, user=user, now=at(2026, 4, 15, 10))
    return {row["service"]["code"]: row["median_hours"] for row in out["service_requests"]["by_service"]}


def test_handling_time_skips_nights_weekends_and_lunch(catalog, march, ent_a, enterprise_a, admin_user):
    land = catalog["land-planning-permit"]
    # Friday 17:00 → Monday 09:30: 1 h on Friday (17–18), 1 h on Monday (08:30–09:30).
    completed(
        land,
        by=ent_a,
        enterprise=enterprise_a,
        accepted_at=at(2026, 3, 6, 17, 0),
        closed_at=at(2026, 3, 9, 9, 30),
    )
    # Tuesday 11:00 → 15:00: 1 h before lunch, 30 min after.
    completed(
        land,
        by=ent_a,
        enterprise=enterprise_a,
        accepted_at=at(2026, 3, 10, 11, 0),
        closed_at=at(2026, 3, 10, 15, 0),
    )
    # Wednesday 09:00 → Thursday 09:00 with 2 working hours paused for a supplement: 7 − 2 = 5 h.
    completed(
        land,
        by=ent_a,
        enterprise=enterprise_a,
        accepted_at=at(2026, 3, 11, 9, 0),
        closed_at=at(2026, 3, 12, 9, 0),
        paused_total=timedelta(hours=2),
    )

    assert _medians(march, admin_user)["land-planning-permit"] == 2.0  # median of 2, 1.5 and 5


def test_handling_time_across_a_public_holiday_counts_no_holiday_hour(
    catalog, ent_a, enterprise_a, admin_user
):
    from datetime import date

    from zone_portal.dashboard.periods import Period

    land = catalog["land-planning-permit"]
    # Qingming 2026: Saturday 4 April to Monday 6 April are holidays.
    completed(
        land,
        by=ent_a,
        enterprise=enterprise_a,
        accepted_at=at(2026, 4, 3, 17, 0),
        closed_at=at(2026, 4, 7, 9, 0),
    )
    expected = working_time_between(at(2026, 4, 3, 17, 0), at(2026, 4, 7, 9, 0)).total_seconds() / 3600

    out = dashboard_summary(
        Scope(), Period(date(2026, 4, 1), date(2026, 4, 30)), user=admin_user, now=at(2026, 5, 1, 9)
    )

    row = out["service_requests"]["by_service"][0]
    assert row["median_hours"] == round(expected, 2) == 1.5


def test_calendar_arrays_accumulate_working_seconds():
    from datetime import date

    starts, ends, before = calendar_arrays(date(2026, 3, 6), date(2026, 3, 9))  # Friday → Monday

    assert len(starts) == 4  # two periods on Friday, none on the weekend, two on Monday
    assert before == [0.0, 3.5 * 3600, 7 * 3600, 10.5 * 3600]
    assert all(s < e for s, e in zip(starts, ends, strict=True))
