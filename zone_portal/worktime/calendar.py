"""Working time: the one module that knows which minutes count.

A minute counts when it falls in an office period of a working day, or in an extra service period.
Working days follow the official calendar (the `chinese_calendar` library, with make-up working
days) and the administrator's overrides; for a year the library does not cover, Monday–Friday.
"N working days" means N times the length of an ordinary working day in working time (7 h by
default), so that day and hour limits share one clock and can be compared as fractions.
"""

import threading
import time as _time
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

ZONE = ZoneInfo("Asia/Shanghai")
DEFAULT_PERIODS = ((time(8, 30), time(12, 0)), (time(14, 30), time(18, 0)))
_MAX_DAYS = 366 * 5  # a limit can't reach further than this; guards against an empty calendar


class CalendarError(ValueError):
    pass


def official_is_workday(day: date) -> bool | None:
    """The official answer, or None when the library has no data for that year."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


def year_is_covered(year: int) -> bool:
    return official_is_workday(date(year, 6, 1)) is not None


@dataclass(frozen=True)
class WorkCalendar:
    periods: tuple[tuple[time, time], ...] = DEFAULT_PERIODS
    extra_holidays: frozenset[date] = frozenset()
    extra_workdays: frozenset[date] = frozenset()
    service_periods: dict[date, tuple[tuple[time, time], ...]] = field(default_factory=dict)

    @property
    def day_length(self) -> timedelta:
        return sum(
            (datetime.combine(date.min, e) - datetime.combine(date.min, s) for s, e in self.periods),
            timedelta(),
        )

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_holidays:
            return False
        if day in self.extra_workdays:
            return True
        official = official_is_workday(day)
        return day.weekday() < 5 if official is None else official

    def intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        """The day's counted intervals as aware datetimes, sorted and merged."""
        spans = list(self.periods) if self.is_working_day(day) else []
        spans += self.service_periods.get(day, ())
        spans.sort()
        merged: list[list[time]] = []
        for start, end in spans:
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        return [
            (datetime.combine(day, s, tzinfo=ZONE), datetime.combine(day, e, tzinfo=ZONE)) for s, e in merged
        ]

    def add(self, start: datetime, amount: timedelta) -> datetime:
        """The moment when `amount` of working time has passed since `start`."""
        if start.tzinfo is None:
            raise CalendarError("start must be timezone-aware")
        if amount < timedelta(0):
            raise CalendarError("amount must not be negative")
        cursor = start.astimezone(ZONE)
        remaining = amount
        day = cursor.date()
        if amount == timedelta(0) and any(b <= cursor <= e for b, e in self.intervals(day)):
            return cursor  # already inside (or at the close of) office hours
        for _ in range(_MAX_DAYS):
            for begin, end in self.intervals(day):
                if end <= cursor:
                    continue
                begin = max(begin, cursor)
                available = end - begin
                if remaining <= available:
                    # A start outside hours counts from the next opening.
                    return begin + remaining
                remaining -= available
            day += timedelta(days=1)
        raise CalendarError("no working time within five years: check office hours and overrides")

    def add_hours(self, start: datetime, hours: float) -> datetime:
        return self.add(start, timedelta(hours=hours))

    def add_days(self, start: datetime, days: float) -> datetime:
        return self.add(start, self.day_length * days)

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Working time between two moments (zero when end is not after start)."""
        if start.tzinfo is None or end.tzinfo is None:
            raise CalendarError("start and end must be timezone-aware")
        start, end = start.astimezone(ZONE), end.astimezone(ZONE)
        total = timedelta(0)
        day = start.date()
        while day <= end.date():
            for begin, stop in self.intervals(day):
                overlap = min(stop, end) - max(begin, start)
                if overlap > timedelta(0):
                    total += overlap
            day += timedelta(days=1)
        return total

    def next_opening(self, moment: datetime) -> datetime:
        return self.add(moment, timedelta(0))

    def timeline(self, first: date, last: date) -> tuple[list[datetime], list[datetime], list[float]]:
        """The counted intervals from `first` to `last` (inclusive) laid end to end: their starts,
        their ends and the working seconds before each start. The working time between two
        moments of the span is the difference of their positions on it (`cases.clock` writes the
        same in SQL), so `elapsed` and the database count the same minutes."""
        starts, ends, before = [], [], []
        total = 0.0
        day = first
        while day <= last:
            for start, end in self.intervals(day):
                starts.append(start)
                ends.append(end)
                before.append(total)
                total += (end - start).total_seconds()
            day += timedelta(days=1)
        return starts, ends, before


# The calendar is read from the database at most once a minute per process, and at once after an
# administrator changes it here (other processes catch up within the minute).
_CACHE_SECONDS = 60
_lock = threading.Lock()
_cached: tuple[float, WorkCalendar] | None = None


def _load() -> WorkCalendar:
    from .models import CalendarOverride, OfficePeriod

    periods = tuple((p.start, p.end) for p in OfficePeriod.objects.order_by("start")) or DEFAULT_PERIODS
    holidays, workdays, service = set(), set(), {}
    for row in CalendarOverride.objects.all():
        if row.kind == CalendarOverride.Kind.HOLIDAY:
            holidays.add(row.date)
        elif row.kind == CalendarOverride.Kind.WORKDAY:
            workdays.add(row.date)
        else:
            service.setdefault(row.date, []).append((row.start, row.end))
    return WorkCalendar(
        periods=periods,
        extra_holidays=frozenset(holidays),
        extra_workdays=frozenset(workdays),
        service_periods={d: tuple(v) for d, v in service.items()},
    )


def get_calendar() -> WorkCalendar:
    global _cached
    with _lock:
        now = _time.monotonic()
        if _cached is None or now - _cached[0] > _CACHE_SECONDS:
            _cached = (now, _load())
        return _cached[1]


def calendar_changed() -> None:
    """Forget the cached calendar (call after office hours or overrides change)."""
    global _cached
    with _lock:
        _cached = None


def add_working_hours(start: datetime, hours: float) -> datetime:
    return get_calendar().add_hours(start, hours)


def add_working_days(start: datetime, days: float) -> datetime:
    return get_calendar().add_days(start, days)


def add_working_time(start: datetime, amount: timedelta) -> datetime:
    return get_calendar().add(start, amount)


def working_time_between(start: datetime, end: datetime) -> timedelta:
    return get_calendar().elapsed(start, end)
