"""The working-time calendar: the issue's worked examples, holidays, overrides and properties."""

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zone_portal.worktime.actions import calendar_override_create
from zone_portal.worktime.calendar import (
    ZONE,
    WorkCalendar,
    add_working_days,
    add_working_hours,
    get_calendar,
    working_time_between,
    year_is_covered,
)
from zone_portal.worktime.models import CalendarOverride


def at(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=ZONE)


# 2026-11-27 is an ordinary Friday, 2026-11-30 an ordinary Monday.
@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        (at(2026, 11, 27, 11), 3, at(2026, 11, 27, 16, 30)),  # Friday 11:00 + 3 h → Friday 16:30
        (at(2026, 11, 27, 17), 3, at(2026, 11, 30, 10, 30)),  # Friday 17:00 + 3 h → Monday 10:30
        (at(2026, 11, 28, 9), 2, at(2026, 11, 30, 10, 30)),  # Saturday: starts at Monday's opening
        (at(2026, 11, 27, 7), 1, at(2026, 11, 27, 9, 30)),  # before opening
        (at(2026, 11, 27, 12, 30), 1, at(2026, 11, 27, 15, 30)),  # lunch break
        (at(2026, 11, 27, 19), 0.5, at(2026, 11, 30, 9)),  # evening
    ],
)
def test_worked_examples(db, start, hours, expected):
    assert add_working_hours(start, hours) == expected


def test_national_day_holidays_skip_and_make_up_saturday_counts(db):
    # 2026: 1–7 October are holidays (Thu–Wed), Saturday 10 October is a make-up working day.
    assert add_working_hours(at(2026, 9, 30, 17), 3) == at(2026, 10, 8, 10, 30)
    assert add_working_hours(at(2026, 10, 9, 17), 3) == at(2026, 10, 10, 10, 30)
    assert working_time_between(at(2026, 10, 1, 8), at(2026, 10, 7, 20)) == timedelta(0)


def test_working_days_are_seven_hour_days(db):
    # Accepted Friday 11:00, one working day → Monday 11:00.
    assert add_working_days(at(2026, 11, 27, 11), 1) == at(2026, 11, 30, 11)
    # Twenty working days from Wednesday 30 September 2026 10:00 skip the National Day week.
    due = add_working_days(at(2026, 9, 30, 10), 20)
    # Oct 8, 9, 10 (make-up Saturday), then 17 more weekdays: Tuesday 3 November.
    assert due == at(2026, 11, 3, 10)
    assert working_time_between(at(2026, 9, 30, 10), due) == timedelta(hours=140)


def test_uncovered_year_falls_back_to_monday_to_friday(db):
    assert not year_is_covered(2099)
    # 2099-01-02 is a Friday.
    assert add_working_hours(at(2099, 1, 2, 17), 3) == at(2099, 1, 5, 10, 30)


def test_overrides_change_the_clock(db, admin_user):
    friday, saturday, sunday = date(2026, 11, 27), date(2026, 11, 28), date(2026, 11, 29)
    calendar_override_create(actor=admin_user, date=friday, kind=CalendarOverride.Kind.HOLIDAY)
    assert add_working_hours(at(2026, 11, 27, 9), 1) == at(2026, 11, 30, 9, 30)
    calendar_override_create(actor=admin_user, date=saturday, kind=CalendarOverride.Kind.WORKDAY)
    assert add_working_hours(at(2026, 11, 27, 9), 1) == at(2026, 11, 28, 9, 30)
    calendar_override_create(
        actor=admin_user,
        date=sunday,
        kind=CalendarOverride.Kind.SERVICE,
        start=time(9),
        end=time(12),
        note="双休服务",
    )
    assert working_time_between(at(2026, 11, 29, 0), at(2026, 11, 30, 0)) == timedelta(hours=3)


def test_a_service_period_without_times_is_refused(db, admin_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        calendar_override_create(actor=admin_user, date=date(2026, 12, 5), kind=CalendarOverride.Kind.SERVICE)
    assert not CalendarOverride.objects.exists()


def test_office_hours_come_from_the_database(db):
    assert get_calendar().day_length == timedelta(hours=7)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        WorkCalendar().add(datetime(2026, 11, 27, 9), timedelta(hours=1))


moments = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2026, 12, 20)).map(
    lambda d: d.replace(second=0, microsecond=0, tzinfo=ZONE)
)
amounts = st.integers(min_value=0, max_value=60 * 7 * 25).map(lambda m: timedelta(minutes=m))
CAL = WorkCalendar()


@settings(max_examples=300, deadline=None)
@given(start=moments, a=amounts, b=amounts)
def test_adding_a_then_b_equals_adding_a_plus_b(start, a, b):
    assert CAL.add(CAL.add(start, a), b) == CAL.add(start, a + b)


@settings(max_examples=300, deadline=None)
@given(start=moments, amount=amounts)
def test_elapsed_undoes_add(start, amount):
    end = CAL.add(start, amount)
    assert end >= start
    assert CAL.elapsed(start, end) == amount


@settings(max_examples=200, deadline=None)
@given(start=moments, a=amounts, b=amounts)
def test_add_is_monotonic(start, a, b):
    small, large = sorted([a, b])
    assert CAL.add(start, small) <= CAL.add(start, large)


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_sql_form_counts_the_minutes_the_calendar_counts():
    """`cases.clock.WorkingTimeSql` is generated from the calendar's timeline: over holidays, a
    make-up Saturday, an extra service period, lunch, nights and reversed moments it answers what
    `working_time_between` answers."""
    from django.db import connection

    from zone_portal.cases.clock import WorkingTimeSql

    calendar_override_create(
        actor=None,
        date=date(2026, 10, 10),
        kind=CalendarOverride.Kind.SERVICE,
        start=time(9),
        end=time(11),
    )
    pairs = [
        (at(2026, 9, 30, 10), at(2026, 10, 12, 9)),  # National Day week, make-up Saturday, service period
        (at(2026, 11, 27, 11), at(2026, 11, 30, 15, 15)),  # a weekend and two lunches
        (at(2026, 11, 27, 19), at(2026, 11, 28, 7)),  # a night: nothing
        (at(2026, 11, 30, 12, 10), at(2026, 11, 30, 14, 40)),  # lunch, then 10 minutes
        (at(2026, 11, 30, 15), at(2026, 11, 27, 9)),  # end before start: zero
    ]
    working = WorkingTimeSql(date(2026, 9, 1), date(2026, 12, 31))
    values = ", ".join(["(%s, %s::timestamptz, %s::timestamptz)"] * len(pairs))
    sql = (
        f"WITH {working.cte()} SELECT {working.seconds_between('p.a', 'p.b')} "
        f"FROM (VALUES {values}) AS p(n, a, b) CROSS JOIN {working.alias} ORDER BY p.n"
    )
    args = [value for n, (start, end) in enumerate(pairs) for value in (n, start, end)]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*working.params(), *args])
        got = [timedelta(seconds=row[0]) for row in cursor.fetchall()]

    assert got == [working_time_between(s, e) for s, e in pairs]
