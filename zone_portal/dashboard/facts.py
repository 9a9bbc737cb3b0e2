"""What the dashboard counts, fact by fact, as grouped counts per local day: the machinery, and the
registry the apps fill from their `dashboard.py`.

A **fact** is one grouped count over one kind of case, anchored on one of its date-times: tickets by
the day they were received, requests by the day they were filed, and again by the day they were
closed, and so on. `Fact.cells(days, now)` answers, for each day and each key (park, tier, service…),
how many cases of that day meet each of the fact's conditions. Those conditions depend only on the
case as it stands, never on the period asked for, so a day's counts can be summed into any period:
rollup.py keeps them per day in `DailyCount` and reads days whose cases changed since live, with the
very same `cells`.

What depends on the clock instead ("overdue now", "open now") is not a fact: the apps' parts count
it live over the open cases, which the partial indexes keep small. A fact whose counts change by
themselves when a deadline passes records, in `stale_after`, the next such moment, and its day is
read live once that moment passes.

Each app defines its facts next to its models (`<app>/dashboard.py`) and registers them with
`fact_register`, with a function telling which days changed since a moment (`changes_register`):
the fact names are the `DailyCount.fact` values, so a fact keeps its name.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from zone_portal.worktime.calendar import ZONE


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZONE)


def day_runs(days: Iterable[date]) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) runs: [1, 2, 3, 7] → [(1, 3), (7, 7)]."""
    runs: list[list[date]] = []
    for day in sorted(set(days)):
        if runs and (day - runs[-1][1]).days == 1:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return [(first, last) for first, last in runs]


def days_q(anchor: str, days: Iterable[date]) -> Q:
    """The rows whose anchor falls on one of `days` (local dates): one index range per run of days."""
    condition = Q(pk__in=[])  # no day: no row
    for first, last in day_runs(days):
        condition |= Q(
            **{f"{anchor}__gte": day_start(first), f"{anchor}__lt": day_start(last + timedelta(1))}
        )
    return condition


def day_filter(qs: QuerySet, anchor: str, days: Iterable[date] | None) -> QuerySet:
    """The rows whose anchor falls on one of `days`; None: every row."""
    return qs if days is None else qs.filter(days_q(anchor, days))


@dataclass(frozen=True)
class Fact:
    """One grouped count (see the module's docstring).

    `source()` gives the rows with every key available under its name; `conditions(now)` maps each
    count to the condition a row must meet (None: every row of the day); `stale(now)` optionally
    gives aggregates whose smallest value is the moment the counts would change by themselves.
    """

    name: str
    anchor: str
    keys: tuple[str, ...]
    source: Callable[[], QuerySet]
    conditions: Callable[[datetime], dict]
    counted: str = "pk"
    distinct: bool = False
    stale: Callable[[datetime], dict] | None = None

    @cached_property
    def counts(self) -> tuple[str, ...]:
        # Their names never depend on the moment; asked once per row read, and building the
        # conditions is not free (a rating condition builds a query): 1 s of a year's summary.
        return tuple(self.conditions(datetime.min).keys())

    def cells(self, days: Iterable[date] | None, now: datetime) -> list[dict]:
        rows = list(self._grouped(days, now).order_by())
        stale = self.stale(now) if self.stale else {}
        for row in rows:
            moments = [row.pop(name) for name in stale]
            row["stale_after"] = min((m for m in moments if m is not None), default=None)
        return rows

    def _grouped(self, days, now) -> QuerySet:
        qs = self.source().annotate(day=TruncDate(self.anchor, tzinfo=ZONE))
        qs = day_filter(qs, self.anchor, days)
        aggregates = {
            name: Count(self.counted, filter=condition, distinct=self.distinct)
            for name, condition in self.conditions(now).items()
        }
        stale = self.stale(now) if self.stale else {}
        return qs.values("day", *self.keys).annotate(**aggregates, **stale)

    def sql(self, days, now) -> tuple[str, list] | None:
        """`cells` as one SQL statement (PostgreSQL) whose columns are the day, the keys, the counts
        and `stale_after`, in that order: the rollup writes it with INSERT … SELECT, no row
        passing through Python."""
        if connection.vendor != "postgresql":
            return None
        inner, params = self._grouped(days, now).order_by().query.sql_with_params()
        stale = tuple(self.stale(now)) if self.stale else ()
        names = ("day", *self.keys, *self.counts, *stale)
        aliases = ", ".join(f"g{n}" for n in range(len(names)))
        picked = [f"g{n}" for n in range(len(names) - len(stale))]
        moments = [f"g{n}" for n in range(len(names) - len(stale), len(names))]
        stale_sql = f"LEAST({', '.join(moments)})" if moments else "NULL::timestamptz"
        return f"SELECT {', '.join(picked)}, {stale_sql} FROM ({inner}) AS g({aliases})", list(params)


@dataclass(frozen=True)
class FactUnion:
    """One fact counted from several sources whose rows never overlap (summed per day and key)."""

    name: str
    keys: tuple[str, ...]
    parts: tuple[Fact, ...]

    @property
    def counts(self) -> tuple[str, ...]:
        return self.parts[0].counts

    def cells(self, days, now) -> list[dict]:
        return merge_cells((part.cells(days, now) for part in self.parts), ("day", *self.keys), self.counts)

    def sql(self, days, now) -> tuple[str, list] | None:
        """`cells` as one statement: the parts' rows summed per day and key (see `Fact.sql`)."""
        parts = [part.sql(days, now) for part in self.parts]
        if any(part is None for part in parts):
            return None
        width = 1 + len(self.keys) + len(self.counts) + 1
        aliases = ", ".join(f"u{n}" for n in range(width))
        keys = ", ".join(f"u{n}" for n in range(1 + len(self.keys)))
        sums = ", ".join(f"SUM(u{n})" for n in range(1 + len(self.keys), width - 1))
        union = " UNION ALL ".join(f"({sql})" for sql, _ in parts)
        sql = f"SELECT {keys}, {sums}, MIN(u{width - 1}) FROM ({union}) AS u({aliases}) GROUP BY {keys}"
        return sql, [p for _, params in parts for p in params]


def merge_cells(sources: Iterable[list[dict]], keys: tuple[str, ...], counts: tuple[str, ...]) -> list[dict]:
    """Sum the counts of cells that share `keys` (stale_after: the earliest)."""
    merged: dict[tuple, dict] = {}
    for cells in sources:
        for cell in cells:
            key = tuple(cell[k] for k in keys)
            into = merged.get(key)
            if into is None:
                merged[key] = {**{k: cell[k] for k in keys}, **{c: cell.get(c) or 0 for c in counts}}
                merged[key]["stale_after"] = cell.get("stale_after")
                continue
            for c in counts:
                into[c] += cell.get(c) or 0
            stale = [m for m in (into.get("stale_after"), cell.get("stale_after")) if m is not None]
            into["stale_after"] = min(stale, default=None)
    return list(merged.values())


@dataclass
class ChangedDays:
    """Days to recompute, per fact, gathered from the cases that changed."""

    days: dict[str, set[date]] = field(default_factory=lambda: defaultdict(set))

    def add(self, names: Iterable[str], *moments) -> None:
        for moment in moments:
            if moment is not None:
                day = timezone.localtime(moment, ZONE).date()
                for name in names:
                    self.days[name].add(day)


def everything(name: str) -> Callable[[datetime], dict]:
    """Conditions of a fact that counts every row of its day under `name`."""
    return lambda now: {name: None}


# --------------------------------------------------------------------------------------------------
# The registry, filled by each app's `dashboard.py` (imported by the dashboard's AppConfig.ready())

FACTS: dict[str, object] = {}
_change_readers: list[Callable[[datetime, ChangedDays], None]] = []


def fact_register(*facts) -> None:
    """Count these facts in the rollups (a Fact, a FactUnion, or anything with name, keys, counts,
    anchor and cells(days, now))."""
    for fact in facts:
        FACTS[fact.name] = fact


def changes_register(reader: Callable[[datetime, ChangedDays], None]) -> None:
    """`reader(since, touched)` adds to `touched` the days of each fact whose cases changed after
    `since` (their `updated_at`): a few queries, never one per case."""
    if reader not in _change_readers:
        _change_readers.append(reader)


def touched_days(since: datetime) -> ChangedDays:
    """The days each fact must recompute because a case changed after `since` (each app's reader)."""
    touched = ChangedDays()
    for reader in _change_readers:
        reader(since, touched)
    return touched
