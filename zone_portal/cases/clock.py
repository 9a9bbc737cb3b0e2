"""Deadlines on the working calendar: one arithmetic for every kind of case.

A policy says how much working time a case has (`working_hours`, `working_days`) and at which share
of it the case is at risk (the reminder point). `deadline_after` turns a start moment into stored
moments; `deadline_resume` moves them later by the working time a pause lasted. The calendar
(`zone_portal.worktime.calendar`) is the only code that knows which minutes count.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
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
