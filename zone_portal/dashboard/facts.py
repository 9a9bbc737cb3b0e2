"""What the dashboard counts, fact by fact, as grouped counts per local day: the machinery, and the
registry the apps fill from their `dashboard.py`.

A **fact** is one grouped count over one kind of case, anchored on one of its date-times: tickets by
the day they were received, requests by the day they were filed, and again by the day they were
closed, and so on. `Fact.cells(days, now)` answers, for each day and each key (park, tier, service…),
how many cases of that day meet each of the fact's conditions. Those conditions depend only on the
case as it stands, never on the period asked for, so a day's counts can be summed into any period.

Each fact also answers its counts **per case** (`case_cells`, `case_sql`): the same count with the
case (`Fact.unit`, the row's id unless said otherwise) as one more key. rollup.py keeps both, per
case in `CaseCount` and per day in `DailyCount`, and follows a changed case by the difference
between its counts now and its kept ones.

What depends on the clock instead ("overdue now", "open now") is not a fact: the apps' parts count
it live over the open cases, which the partial indexes keep small. A fact whose counts change by
themselves when a deadline passes gives, per case, the next such moment (`stale`, kept as the
case's `stale_after`): from then on the case counts as changed.

Each app defines its facts next to its models (`<app>/dashboard.py`) and registers them with
`fact_register`, with a function naming the cases that changed since a moment (`changes_register`):
the fact names are the `DailyCount.fact` values, so a fact keeps its name.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import TruncDate

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
    `unit` names the case a row belongs to (what the change readers name): the row itself, or a
    column of it (a count of distinct `counted` values counts per that value; the departments'
    whistles count per ticket, whose change recounts them).
    """

    name: str
    anchor: str
    keys: tuple[str, ...]
    source: Callable[[], QuerySet]
    conditions: Callable[[datetime], dict]
    counted: str = "pk"
    distinct: bool = False
    stale: Callable[[datetime], dict] | None = None
    unit: str = "pk"

    @cached_property
    def counts(self) -> tuple[str, ...]:
        # Their names never depend on the moment; asked once per row read, and building the
        # conditions is not free (a rating condition builds a query): 1 s of a year's summary.
        return tuple(self.conditions(datetime.min).keys())

    def cells(self, days: Iterable[date] | None, now: datetime) -> list[dict]:
        """The counts per day and key of the cases of `days` (None: every day)."""
        return self._rows(self._grouped(days, now), now)

    def case_cells(self, now: datetime, *, cases: Iterable[int] | None = None) -> list[dict]:
        """The counts per case (`CASE`), day and key, of `cases` (None: every case)."""
        return self._rows(self._grouped(None, now, cases=cases, by_case=True), now)

    def _rows(self, grouped: QuerySet, now) -> list[dict]:
        rows = list(grouped.order_by())
        stale = self.stale(now) if self.stale else {}
        for row in rows:
            moments = [row.pop(name) for name in stale]
            row["stale_after"] = min((m for m in moments if m is not None), default=None)
        return rows

    def _grouped(self, days, now, *, cases=None, by_case=False) -> QuerySet:
        qs = self.source().annotate(day=TruncDate(self.anchor, tzinfo=ZONE))
        qs = day_filter(qs, self.anchor, days)
        names = ("day", *self.keys)
        if by_case:
            qs = qs.annotate(**{CASE: F(self.unit)})
            names = ("day", CASE, *self.keys)
        if cases is not None:
            qs = qs.filter(**{f"{self.unit}__in": list(cases)})
        stale = self.stale(now) if self.stale else {}
        if by_case and self.unit == self.counted == "pk" and not self.distinct:
            # A row is its own case: its counts are its conditions, read without grouping (a
            # grouping by row of every case took most of the nightly rebuild).
            own = {name: _one_if(condition) for name, condition in self.conditions(now).items()}
            own.update({name: _own_value(aggregate) for name, aggregate in stale.items()})
            return qs.annotate(**own).values(*names, *own)
        aggregates = {
            name: Count(self.counted, filter=condition, distinct=self.distinct)
            for name, condition in self.conditions(now).items()
        }
        return qs.values(*names).annotate(**aggregates, **stale)

    def case_sql(self, now) -> tuple[str, list] | None:
        """`case_cells` as one SQL statement (PostgreSQL) whose columns are the day, the case, the
        keys, the counts and `stale_after`, in that order: the rollup writes it with INSERT …
        SELECT, no row passing through Python."""
        if connection.vendor != "postgresql":
            return None
        inner, params = self._grouped(None, now, by_case=True).order_by().query.sql_with_params()
        stale = tuple(self.stale(now)) if self.stale else ()
        names = ("day", CASE, *self.keys, *self.counts, *stale)
        aliases = ", ".join(f"g{n}" for n in range(len(names)))
        picked = [f"g{n}" for n in range(len(names) - len(stale))]
        moments = [f"g{n}" for n in range(len(names) - len(stale), len(names))]
        stale_sql = f"LEAST({', '.join(moments)})" if moments else "NULL::timestamptz"
        return f"SELECT {', '.join(picked)}, {stale_sql} FROM ({inner}) AS g({aliases})", list(params)


def _one_if(condition) -> Case:
    """What `Count(pk, filter=condition)` is over one row: 1 when it meets the condition, else 0."""
    if condition is None:
        return Value(1, output_field=IntegerField())
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _own_value(aggregate):
    """What a filtered Min or Max is over one row: its value where the row meets the filter."""
    value = aggregate.get_source_expressions()[0]
    return value if aggregate.filter is None else Case(When(aggregate.filter, then=value), default=None)


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

    def case_cells(self, now, *, cases=None) -> list[dict]:
        """Every part's rows per case: a case of one part never adds to another's (a case id
        named to every part is recounted in each, which changes nothing where it is not one)."""
        return [row for part in self.parts for row in part.case_cells(now, cases=cases)]

    def case_sql(self, now) -> tuple[str, list] | None:
        """`case_cells` as one statement: the parts' rows one after the other (see `Fact.case_sql`)."""
        parts = [part.case_sql(now) for part in self.parts]
        if not parts or any(part is None for part in parts):
            return None
        return " UNION ALL ".join(f"({sql})" for sql, _ in parts), [p for _, params in parts for p in params]


# The case's id among a fact's per-case rows (`case_cells`): a name no model's field has.
CASE = "rollup_case"


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


def counts_sum(cells: Iterable[dict], names: Iterable[str]) -> dict[str, int]:
    """The counts `names` summed over `cells`, whatever their keys (a count a cell lacks adds nought)."""
    totals = dict.fromkeys(names, 0)
    for cell in cells:
        for name in totals:
            totals[name] += cell.get(name) or 0
    return totals


@dataclass
class ChangedCases:
    """The cases of each fact that changed (the fact's units: see `Fact.unit`)."""

    cases: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))

    def add(self, names: Iterable[str], *cases: int) -> None:
        for name in names:
            self.cases[name].update(cases)


def everything(name: str) -> Callable[[datetime], dict]:
    """Conditions of a fact that counts every row of its day under `name`."""
    return lambda now: {name: None}


# --------------------------------------------------------------------------------------------------
# The registry, filled by each app's `dashboard.py` (imported by the dashboard's AppConfig.ready())

FACTS: dict[str, object] = {}
_change_readers: list[Callable[[datetime, ChangedCases], None]] = []


def fact_register(*facts) -> None:
    """Count these facts in the rollups (a Fact, a FactUnion, or anything with name, keys, counts,
    cells(days, now), case_cells(now, cases=) and case_sql(now))."""
    for fact in facts:
        FACTS[fact.name] = fact


def changes_register(reader: Callable[[datetime, ChangedCases], None]) -> None:
    """`reader(since, touched)` adds to `touched` each fact's cases that changed after `since`
    (their `updated_at`, or a row they are counted with: a rating, a whistle): a few queries,
    never one per case."""
    if reader not in _change_readers:
        _change_readers.append(reader)


def touched_cases(since: datetime) -> ChangedCases:
    """The cases each fact must recount because they changed after `since` (each app's reader)."""
    touched = ChangedCases()
    for reader in _change_readers:
        reader(since, touched)
    return touched
