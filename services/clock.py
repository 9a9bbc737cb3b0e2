"""The promised-time clock of a request, on the working-time calendar.

Pure functions: they take moments and return moments; `services.actions` stores the results on the
row (`time_limit`, `risk_at`, `due_at`), so the sweep and the queue only compare with the clock.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from zone_portal.worktime.calendar import add_working_time, get_calendar, working_time_between

from .models import LimitUnit, ServiceItem


@dataclass(frozen=True)
class Clock:
    time_limit: timedelta
    risk_at: datetime
    due_at: datetime


def clock_start(item: ServiceItem, start: datetime, *, at_risk_ratio: Decimal) -> Clock:
    """The clock of `item` started at `start` (acceptance): due after its promised working time,
    at risk once `at_risk_ratio` of it has passed. A same-day limit ends at the close of the
    working day on which the clock starts (the next working day's, if it starts after hours)."""
    calendar = get_calendar()
    if item.limit_unit == LimitUnit.SAME_DAY:
        opening = calendar.next_opening(start)
        due_at = calendar.intervals(opening.date())[-1][1]
        time_limit = working_time_between(start, due_at)
    elif item.limit_unit == LimitUnit.WORKING_HOURS:
        time_limit = timedelta(hours=float(item.limit_amount))
        due_at = add_working_time(start, time_limit)
    else:
        time_limit = calendar.day_length * float(item.limit_amount)
        due_at = add_working_time(start, time_limit)
    risk_at = add_working_time(start, time_limit * float(at_risk_ratio))
    return Clock(time_limit=time_limit, risk_at=risk_at, due_at=due_at)


def clock_resume(*, risk_at: datetime, due_at: datetime, paused_at: datetime, now: datetime):
    """After a pause from `paused_at` to `now`: both moments move later by the working time the
    pause lasted (a pause outside office hours moves nothing). Returns (risk_at, due_at, paused)."""
    paused = working_time_between(paused_at, now)
    if not paused:
        return risk_at, due_at, paused
    return add_working_time(risk_at, paused), add_working_time(due_at, paused), paused
