"""Deadlines on the working calendar: one arithmetic for every kind of case.

A policy says how much working time a case has (`working_hours`, `working_days`) and at which share
of it the case is at risk (the reminder point). `deadline_after` turns a start moment into stored
moments; `deadline_resume` moves them later by the working time a pause lasted. The calendar
(`zone_portal.worktime.calendar`) is the only code that knows which minutes count; the SQL form of
working time (`WorkingTimeSql`, for counting inside PostgreSQL) is generated from its timeline.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from zone_portal.worktime.calendar import get_calendar


@dataclass(frozen=True)
class Deadline:
    """A case's clock as stored on its row: due at `due_at`, at risk (reminded) from `risk_at`,
    after `allowed` working time."""

    allowed: timedelta
    risk_at: datetime
    due_at: datetime


def working_hours(hours) -> timedelta:
    return timedelta(hours=float(hours))


def working_days(days) -> timedelta:
    """N working days: N times an ordinary working day's length in working time."""
    return get_calendar().day_length * float(days)


def deadline_after(start: datetime, allowed: timedelta, *, at_risk_ratio: Decimal | float) -> Deadline:
    """Due once `allowed` working time has passed since `start`; at risk once `at_risk_ratio` of it
    has (a start outside office hours counts from the next opening)."""
    calendar = get_calendar()
    return Deadline(
        allowed=allowed,
        risk_at=calendar.add(start, allowed * float(at_risk_ratio)),
        due_at=calendar.add(start, allowed),
    )


def deadline_until(start: datetime, due_at: datetime, *, at_risk_ratio: Decimal | float) -> Deadline:
    """A due moment someone chose (a meeting's action item, a same-day limit): at risk at
    `at_risk_ratio` of the working time between `start` and it."""
    calendar = get_calendar()
    allowed = calendar.elapsed(start, due_at)
    return Deadline(
        allowed=allowed, risk_at=calendar.add(start, allowed * float(at_risk_ratio)), due_at=due_at
    )


def risk_on(due_on: date, at_risk_days: int) -> date:
    """The at-risk point of a clock kept in calendar dates: `at_risk_days` before the day it is due
    (a project's milestone, `ProjectSettings.at_risk_days`)."""
    return due_on - timedelta(days=at_risk_days)


def close_of_working_day(start: datetime) -> datetime:
    """The close of the working day on which a clock started at `start` runs (the next working
    day's, if it starts after hours)."""
    calendar = get_calendar()
    return calendar.intervals(calendar.next_opening(start).date())[-1][1]


def working_time_between(start: datetime, end: datetime) -> timedelta:
    return get_calendar().elapsed(start, end)


def deadline_resume(*moments: datetime | None, paused_at: datetime, now: datetime):
    """After a pause from `paused_at` to `now`, each of `moments` moves later by the working time the
    pause lasted (a pause outside office hours moves nothing; None stays None).
    Returns (the moved moments as a tuple, the working time paused)."""
    paused = working_time_between(paused_at, now)
    if not paused:
        return moments, paused
    calendar = get_calendar()
    return tuple(None if m is None else calendar.add(m, paused) for m in moments), paused


def add_working_time(start: datetime, amount: timedelta) -> datetime:
    return get_calendar().add(start, amount)


# --------------------------------------------------------------------------------------------------
# Working time in SQL (PostgreSQL)


@dataclass(frozen=True)
class WorkingTimeSql:
    """Working time between moments inside PostgreSQL, from the calendar's own timeline.

    The counted intervals from `first` to `last` go in as three array parameters (starts, ends,
    working seconds before each start: `WorkCalendar.timeline`), named by a CTE `alias`. A moment's
    working position is `before[k] + clamp(t - start[k], 0, end[k] - start[k])` with
    `k = width_bucket(t, starts)` (a binary search); working time is the difference of two
    positions, so one statement counts any number of rows. Moments outside the span count as its
    edges: give a span that covers them.
    """

    first: date
    last: date
    alias: str = "cal"

    def cte(self) -> str:
        """`<alias> AS (…)`, to put in a WITH clause; its parameters are `params()`."""
        return f"{self.alias} AS (SELECT %s::timestamptz[] AS s, %s::timestamptz[] AS e, %s::float8[] AS c)"

    def params(self) -> list:
        return list(get_calendar().timeline(self.first, self.last))

    def position(self, moment: str) -> str:
        """SQL: the working seconds from the span's start to `moment` (an SQL expression)."""
        cal = self.alias
        k = f"width_bucket({moment}, {cal}.s)"
        return (
            f"COALESCE({cal}.c[{k}] + LEAST(GREATEST(EXTRACT(EPOCH FROM {moment} - {cal}.s[{k}]), 0), "
            f"EXTRACT(EPOCH FROM {cal}.e[{k}] - {cal}.s[{k}])), 0)"
        )

    def seconds_between(self, start: str, end: str) -> str:
        """SQL: the working seconds from `start` to `end` (zero when end is not after start), the
        twin of `working_time_between`."""
        return f"GREATEST({self.position(end)} - {self.position(start)}, 0)"


def working_time_left(due_at: datetime, now: datetime) -> timedelta:
    """Working time from `now` until `due_at`; negative once due (how long overdue, in working time).
    What a queue shows as "剩余 2 工时" / "超期 3 工时"."""
    calendar = get_calendar()
    if due_at > now:
        return calendar.elapsed(now, due_at)
    return -calendar.elapsed(due_at, now)


def working_time_since(start: datetime, now: datetime) -> timedelta:
    """Working time a case has waited since `start` (zero before it)."""
    return get_calendar().elapsed(start, now)
