"""Daily rollups of the dashboard's facts: kept by the beat, read together with what changed since.

A summary over a year of a million cases cannot read every case (≈1 s per million rows here). So
each fact (facts.py) is kept as counts per local day and key in `DailyCount`, and a period is the
sum of its days; each case's own counts are kept as well (`CaseCount`: its day, keys and counts),
and a day's row is the sum of its cases' rows. The figures stay exact, not "as of the last
refresh", and what a refresh or a reader does follows what changed, not the size of the days:

- `refresh()` (Celery beat, every 15 seconds) recounts the cases that changed since the previous
  run, replaces their kept counts and adds the difference to their days' rows; then it records
  from when on changes are not in the rollups (`RollupState.refreshed_at`, the watermark: see
  `watermark()`).
- A reader asks which cases changed since then (`dirty_cases`): those whose `updated_at` is later
  (zone_portal/touch.py keeps it on every write), or whose rating, whistle or action item is; the
  cases marked in `DirtyCase` (deleted, or their enterprise moved park); those past their
  `stale_after` (a whistle deadline passed). It adds the same difference (their counts now, less
  their kept ones) to the kept days. If the working calendar (or the official holiday data)
  changed, the handling times are read whole from the cases.
- Before the first refresh every day is counted from the cases (what the dashboard did before
  rollups).
- The nightly full refresh recounts every case: the safety net for a write that bypassed
  `updated_at` (raw SQL that forgot it) or a transaction open longer than `MAX_LAG`.

Two refreshes at once queue on the state row's lock, so the kept cases and the days always change
together, and a reader reads both in one statement.
"""

import hashlib
import time
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import metadata

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from zone_portal.worktime.calendar import get_calendar

from . import facts
from .models import COUNT_COLUMNS, KEY_COLUMNS, CaseCount, DailyCount, DirtyCase, RollupState

# A transaction writes `updated_at` before it commits, so a refresh cannot trust that it saw every
# change stamped before it started: the watermark goes back to the start of the oldest transaction
# still open (PostgreSQL tells; SQLite has one writer at a time and gets a fixed lag), less a
# little clock skew between the application and the database, and never more than MAX_LAG.
CLOCK_SKEW = timedelta(seconds=2)
SQLITE_LAG = timedelta(seconds=30)
MAX_LAG = timedelta(minutes=10)


def watermark(now=None):
    """The moment after which a change may not be visible to this refresh."""
    now = now or timezone.now()
    oldest = now - SQLITE_LAG
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT min(xact_start) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
            )
            started = cursor.fetchone()[0]
        oldest = min(now, started) if started else now
    return max(oldest, now - MAX_LAG) - CLOCK_SKEW


def columns(fact) -> dict[str, str]:
    """Where each key and count of `fact` is kept in `DailyCount`."""
    if len(fact.keys) > len(KEY_COLUMNS) or len(fact.counts) > len(COUNT_COLUMNS):
        raise ValueError(f"{fact.name}: more keys or counts than DailyCount has columns")
    mapping = dict(zip(fact.keys, KEY_COLUMNS, strict=False))
    mapping.update(zip(fact.counts, COUNT_COLUMNS, strict=False))
    return mapping


def calendar_fingerprint() -> str:
    """A digest of the working calendar, official holiday data included: handling times depend on it."""
    calendar = get_calendar()
    shape = (
        metadata.version("chinesecalendar"),
        calendar.periods,
        sorted(calendar.extra_holidays),
        sorted(calendar.extra_workdays),
        sorted(calendar.service_periods.items()),
    )
    return hashlib.sha1(repr(shape).encode()).hexdigest()  # noqa: S324 - a fingerprint, not security


@dataclass
class Dirty:
    """The cases each fact must recount (and read as changes); `everything`: no rollup to read."""

    everything: bool = False
    whole: set[str] = field(default_factory=set)  # facts to read whole (the calendar changed)
    cases: dict[str, set[int]] = field(default_factory=dict)
    # What was already read for this summary: {(fact, days or "changes", now): cells}.
    counted: dict[tuple, list] = field(default_factory=dict, repr=False, compare=False)

    def _once(self, key, count):
        if key not in self.counted:
            self.counted[key] = count()
        return self.counted[key]

    def cells(self, fact, days: list[date], now) -> list[dict]:
        """`fact.cells(days, now)`, read once per summary (the totals and the weekly trend share it)."""
        return self._once((fact.name, tuple(days), now), lambda: fact.cells(days, now))

    def changes(self, fact, now) -> list[dict]:
        """The counts now of this fact's changed cases (`changes`), read once per summary."""
        cases = self.cases.get(fact.name, set())
        return self._once((fact.name, "changes", now), lambda: changes(fact, cases, now))

    def read_whole(self, name: str) -> bool:
        return self.everything or name in self.whole


def dirty_cases(now=None, state: RollupState | None = None) -> Dirty:
    """What changed since the last refresh (see the module's docstring): a dozen small queries."""
    now = now or timezone.now()
    if state is None:
        state = RollupState.objects.filter(pk=1).first()
    if state is None or state.refreshed_at is None:
        return Dirty(everything=True)
    cases = facts.touched_cases(state.refreshed_at).cases
    for name, case in DirtyCase.objects.values_list("fact", "case"):
        cases[name].add(case)
    for name, case in CaseCount.objects.filter(stale_after__lt=now).values_list("fact", "case"):
        cases[name].add(case)
    whole = {"handling"} if state.calendar != calendar_fingerprint() else set()
    return Dirty(whole=whole, cases={name: ids for name, ids in cases.items() if ids})


def read(fact, period, dirty: Dirty, now, *, by: Iterable[str] | None = None, where=None) -> list[dict]:
    """The counts of `fact` over `period`, grouped by `by` (key names, or "day"; default: every
    key), for the rows whose keys are in `where` ({key: allowed values}): the kept days, plus the
    difference the changed cases make (their counts now, less their kept ones). One query, and
    one per `CASES_AT_ONCE` changed cases; the cases themselves when the fact must be read whole
    (the calendar changed, or more than `CASES_READ_AT_MOST` of its cases changed since the last
    refresh: a mass change, until the next refresh takes it in).

    The kept days and the changed cases' kept counts are read in one statement, so they always
    agree (a refresh, or the nightly rebuild of a fact, commits both at once)."""
    by = tuple(fact.keys if by is None else by)
    where = where or {}

    def wanted(cell) -> bool:
        return period.first <= cell["day"] <= period.last and all(
            cell[name] in allowed for name, allowed in where.items()
        )

    if any(not allowed for allowed in where.values()):
        return []
    if dirty.read_whole(fact.name) or len(dirty.cases.get(fact.name, ())) > CASES_READ_AT_MOST:
        cells = dirty.cells(fact, _days(period.first, period.last), now)
        return facts.merge_cells([[c for c in cells if wanted(c)]], by, fact.counts)
    column = columns(fact)
    picked = [column.get(name, name) for name in by]
    counts = [column[name] for name in fact.counts]
    names = [f"r{n}" for n in range(len(picked) + len(counts))]
    aliased = {alias: F(name) for alias, name in zip(names, (*picked, *counts), strict=True)}
    sources = [(DailyCount.objects.all(), "")]
    if fact.name in dirty.cases:  # their kept counts, taken back
        sources.append((CaseCount.objects.filter(case__in=list(dirty.cases[fact.name])), "-"))
    selects = []
    for rows, sign in sources:
        rows = rows.filter(fact=fact.name, day__gte=period.first, day__lte=period.last)
        for name, allowed in where.items():
            rows = rows.filter(**{f"{column[name]}__in": list(allowed)})
        sql, params = rows.values(**aliased).order_by().query.sql_with_params()
        selects.append((sql, list(params), sign))
    union = " UNION ALL ".join(
        f"SELECT {', '.join([*names[: len(picked)], *(f'{sign}COALESCE({n}, 0) AS {n}' for n in names[len(picked) :])])}"
        f" FROM ({sql}) AS q{i}"
        for i, (sql, _, sign) in enumerate(selects)
    )
    group = f" GROUP BY {', '.join(names[: len(picked)])}" if picked else ""
    sums = ", ".join(f"SUM({n})" for n in names[len(picked) :])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join([*names[: len(picked)], sums])} FROM ({union}) AS u{group}",
            [p for _, params, _ in selects for p in params],
        )
        fetched = cursor.fetchall()
    kept = [
        dict(
            zip((*by, *fact.counts), (*_typed(by, row), *(int(c or 0) for c in row[len(by) :])), strict=True)
        )
        for row in fetched
        if row[len(by)] is not None  # no kept row at all: SUM of nothing
    ]
    changed = [cell for cell in dirty.changes(fact, now) if wanted(cell)]
    merged = facts.merge_cells([kept, changed], by, fact.counts)
    # A group the changes emptied is gone, as it would be had its day been counted anew.
    return [row for row in merged if any(row[name] for name in fact.counts)]


def totals(fact, names: Iterable[str], period, dirty: Dirty, now, *, where=None) -> dict[str, int]:
    """The counts `names` of `fact` over the whole period, for the rows within `where` (see `read`):
    one figure each, for a panel that shows no breakdown."""
    return facts.counts_sum(read(fact, period, dirty, now, by=(), where=where), names)


def weekly(counted: Iterable[tuple[object, str]], period, dirty: Dirty, now, *, where=None) -> list[dict]:
    """Per week (its Monday, "week": ISO date) of the period, the count `name` of each (fact, name)
    in `counted`, each counted in the week of its fact's day: a trend chart's points, one rollup
    read per fact."""
    weeks = {monday: {"week": monday.isoformat()} for monday in period.weeks()}
    for fact, name in counted:
        for week in weeks.values():
            week[name] = 0
        for row in read(fact, period, dirty, now, by=("day",), where=where):
            weeks[row["day"] - timedelta(days=row["day"].weekday())][name] += row[name]
    return list(weeks.values())


def _typed(by, row) -> list:
    """The keys of a row read by raw SQL: SQLite answers a date as text."""
    keys = zip(by, row[: len(by)], strict=True)
    return [date.fromisoformat(v) if name == "day" and isinstance(v, str) else v for name, v in keys]


def changes(fact, cases: set[int], now) -> list[dict]:
    """The counts now of `cases` of `fact`, as cells (day, keys, counts): what `read` adds to the
    kept days, from which it takes their kept counts. One query per `CASES_AT_ONCE` cases."""
    return [
        {name: cell[name] for name in ("day", *fact.keys, *fact.counts)}
        for chunk in _chunks(cases)
        for cell in fact.case_cells(now, cases=chunk)
    ]


# A day's row of a fact is the sum of its cases' rows that share these.
GROUP = ("day", *KEY_COLUMNS)

# A refresh or a reader reads and writes the changed cases' rows this many at a time; a reader
# reads a fact whole from its cases when more of them changed than this (SQLite takes at most
# 32,766 values in one statement, and at that many a reading of the cases costs less anyway).
CASES_AT_ONCE = 500
CASES_READ_AT_MOST = 5000


def _chunks(items: Iterable, size: int = CASES_AT_ONCE) -> list[list]:
    items = list(items)
    return [items[n : n + size] for n in range(0, len(items), size)]


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(n) for n in range((last - first).days + 1)]


def _case_row(fact, cell: dict) -> CaseCount:
    column = columns(fact)
    return CaseCount(
        fact=fact.name,
        case=cell[facts.CASE],
        day=cell["day"],
        stale_after=cell.get("stale_after"),
        **{column[name]: cell[name] for name in fact.keys},
        **{column[name]: cell[name] for name in fact.counts if cell[name]},
    )


def _counts(fact, cell: dict) -> bool:
    """Whether a case's row is kept: it counts something, or will when a deadline passes."""
    return any(cell[name] for name in fact.counts) or cell.get("stale_after") is not None


def _case_rows(fact, now, *, cases=None) -> list[CaseCount]:
    """The rows to keep for `cases` of `fact` (None: every case), counted from the cases."""
    return [_case_row(fact, cell) for cell in fact.case_cells(now, cases=cases) if _counts(fact, cell)]


def _fill(fact, now) -> int:
    """Write the counts of every case of `fact` into `CaseCount`, whose rows of it are gone: one
    INSERT … SELECT where the fact can say its count in SQL (PostgreSQL), so no row passes
    through Python; its cells written from Python otherwise. Answers the rows written (a case
    counting nothing is not kept)."""
    statement = fact.case_sql(now)
    if not statement:
        rows = _case_rows(fact, now)
        CaseCount.objects.bulk_create(rows, batch_size=2000)
        return len(rows)
    sql, params = statement
    column = columns(fact)
    width = 2 + len(fact.keys) + len(fact.counts) + 1
    aliases = [f"s{n}" for n in range(width)]
    counts = aliases[2 + len(fact.keys) : -1]
    targets = ["fact", "day", "case", *(column[k] for k in fact.keys), *(column[c] for c in fact.counts)]
    values = [*aliases[: 2 + len(fact.keys)], *(f"NULLIF({c}, 0)" for c in counts), aliases[-1]]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {CaseCount._meta.db_table} "
            f"({', '.join(connection.ops.quote_name(t) for t in targets)}, stale_after) "
            f"SELECT %s, {', '.join(values)} FROM ({sql}) AS s({', '.join(aliases)}) "
            f"WHERE {' OR '.join(f'{c} <> 0' for c in counts)} OR {aliases[-1]} IS NOT NULL",
            [fact.name, *params],
        )
        return cursor.rowcount


def _sum_days(fact) -> int:
    """Every `DailyCount` row of `fact` (gone) summed from its `CaseCount` rows: one INSERT …
    SELECT on either database. Answers the rows written."""
    keys = ", ".join(KEY_COLUMNS)
    sums = [f"COALESCE(SUM({c}), 0)" for c in COUNT_COLUMNS]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {DailyCount._meta.db_table} (fact, day, {keys}, {', '.join(COUNT_COLUMNS)}) "
            f"SELECT fact, day, {keys}, {', '.join(sums)} FROM {CaseCount._meta.db_table} "
            f"WHERE fact = %s GROUP BY fact, day, {keys} HAVING {' OR '.join(f'{c} <> 0' for c in sums)}",
            [fact.name],
        )
        return cursor.rowcount


def _replace(fact, now) -> dict:
    """Every case of `fact` counted anew, and its days summed from them."""
    DailyCount.objects.filter(fact=fact.name).delete()
    CaseCount.objects.filter(fact=fact.name).delete()
    cases = _fill(fact, now)
    return {"cases": cases, "rows": _sum_days(fact)}


def _recount(fact, cases: set[int], now) -> dict:
    """Recount `cases` of `fact`: their `CaseCount` rows replaced, and the difference between the
    new rows and the old added to the `DailyCount` rows of their days and keys. A few queries per
    `CASES_AT_ONCE` cases, whatever the size of the days they fall on."""
    delta: dict[tuple, list[int]] = defaultdict(lambda: [0] * len(COUNT_COLUMNS))
    for chunk in _chunks(cases):
        kept = CaseCount.objects.filter(fact=fact.name, case__in=chunk)
        _tally(delta, kept.values(*GROUP, *COUNT_COLUMNS), -1)
        kept.delete()
        rows = _case_rows(fact, now, cases=chunk)
        CaseCount.objects.bulk_create(rows)
        _tally(delta, (vars(row) for row in rows), +1)
    changed = {group: counts for group, counts in delta.items() if any(counts)}
    _apply(fact, changed)
    return {"cases": len(cases), "rows": len(changed)}


def _tally(delta: dict, rows: Iterable[dict], sign: int) -> None:
    """Add (`sign` +1) or take back (-1) the counts of case rows into `delta`, by day and key."""
    for row in rows:
        counts = delta[tuple(row[name] for name in GROUP)]
        for n, name in enumerate(COUNT_COLUMNS):
            counts[n] += sign * (row[name] or 0)


def _group_q(groups: Iterable[tuple]) -> Q:
    """The rows of these (day, k1 … k5) groups (an empty key matches an empty column)."""
    condition = Q(pk__in=[])
    for group in groups:
        lookups = {}
        for name, value in zip(GROUP, group, strict=True):
            lookups[name if value is not None else f"{name}__isnull"] = value if value is not None else True
        condition |= Q(**lookups)
    return condition


def _apply(fact, delta: dict[tuple, list[int]]) -> None:
    """Add `delta` ({(day, k1 … k5): counts}) to the `DailyCount` rows of `fact`: a row left
    counting nothing goes, one not yet kept is made."""
    created, updated, emptied = [], [], []
    for chunk in _chunks(delta, 200):
        kept = {
            tuple(getattr(row, name) for name in GROUP): row
            for row in DailyCount.objects.filter(_group_q(chunk), fact=fact.name)
        }
        for group in chunk:
            row = kept.get(group) or DailyCount(fact=fact.name, **dict(zip(GROUP, group, strict=True)))
            for n, name in enumerate(COUNT_COLUMNS):
                setattr(row, name, getattr(row, name) + delta[group][n])
            if not any(getattr(row, name) for name in COUNT_COLUMNS):
                if row.pk is not None:
                    emptied.append(row.pk)
            elif row.pk is None:
                created.append(row)
            else:
                updated.append(row)
    DailyCount.objects.filter(pk__in=emptied).delete()
    DailyCount.objects.bulk_update(updated, COUNT_COLUMNS, batch_size=500)
    DailyCount.objects.bulk_create(created)


# The nightly rebuild on PostgreSQL: the facts counted by this many connections at once, each with
# this much memory for its sorts and hashes (a year of a million cases is grouped in memory).
PARALLEL_FACTS = 2
WORK_MEM = "256MB"


def _rebuild(fact, now, *, own_connection: bool) -> dict:
    """Replace every row of `fact`, its days' and its cases', in one transaction (on its own
    connection when `own_connection`): the rows written and the seconds it took."""
    started = time.perf_counter()
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('work_mem', %s, true)", [WORK_MEM])
            report = _replace(fact, now)
        return {**report, "seconds": round(time.perf_counter() - started, 2)}
    finally:
        if own_connection:
            connection.close()


def _rebuild_all(now, *, parallel: bool) -> dict:
    """Every fact recounted from its cases: each replaced in a transaction of its own, several at
    once on their own connections when `parallel` (a reader meanwhile sees each fact either as it
    was or as it is now, its days and its cases alike)."""
    for model in (DailyCount, CaseCount):
        model.objects.exclude(fact__in=list(facts.FACTS)).delete()
    chosen = list(facts.FACTS.values())
    if not parallel:
        return {fact.name: _rebuild(fact, now, own_connection=False) for fact in chosen}
    with ThreadPoolExecutor(max_workers=PARALLEL_FACTS) as pool:
        futures = {fact.name: pool.submit(_rebuild, fact, now, own_connection=True) for fact in chosen}
        return {name: future.result() for name, future in futures.items()}


def refresh(*, full: bool = False, now=None) -> dict:
    """Bring the rollups up to date: the changed cases, or every case (`full`, or the first time).
    Answers how many cases it recounted and day rows it changed per fact."""
    now = now or timezone.now()
    report: dict[str, dict] = {}
    state = RollupState.objects.filter(pk=1).first()
    if full or state is None or state.refreshed_at is None:
        return _refresh_all(now)
    with transaction.atomic():
        state, _ = RollupState.objects.select_for_update().get_or_create(pk=1)
        if connection.vendor == "postgresql":
            # A few cases are read through their ids' indexes. A merge join would walk a whole
            # table's primary key to meet a handful of rows (the meetings' action items against a
            # million tickets: 1.5 s of a 2 s refresh at a city's scale).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_mergejoin = off")
        with _moving_on(state) as started:
            if state.refreshed_at is None:  # another refresh emptied it meanwhile: everything
                for fact in facts.FACTS.values():
                    report[fact.name] = _replace(fact, now)
                state.full_refresh_at = started
            else:
                dirty = dirty_cases(now, state)
                for name in dirty.whole:
                    report[name] = _replace(facts.FACTS[name], now)
                for name, cases in dirty.cases.items():
                    if name in facts.FACTS and name not in dirty.whole:
                        report[name] = _recount(facts.FACTS[name], cases, now)
    return report


@contextmanager
def _moving_on(state: RollupState):
    """Around a refresh's work, the state row locked: the watermark it starts from (yielded), then
    the marks it has taken in deleted (by id: a mark written meanwhile stays) and the watermark,
    with the calendar counted by, saved."""
    started, fingerprint = watermark(), calendar_fingerprint()
    marks = list(DirtyCase.objects.values_list("pk", flat=True))
    yield started
    for chunk in _chunks(marks):
        DirtyCase.objects.filter(pk__in=chunk).delete()
    state.refreshed_at = started
    state.calendar = fingerprint
    state.save()


def _refresh_all(now) -> dict:
    """The full refresh (nightly, or the first): the state row stays locked throughout, so no
    refresh of changed cases runs meanwhile; the facts themselves are written by `_rebuild_all`,
    on connections of their own when no transaction is open around this one (PostgreSQL): a
    transaction of the caller's would not be visible to them. Should it fail half-way, each fact
    is as it was or rebuilt, and the next refresh recounts what changed since the last one."""
    parallel = connection.vendor == "postgresql" and not connection.in_atomic_block and PARALLEL_FACTS > 1
    with transaction.atomic():
        state, _ = RollupState.objects.select_for_update().get_or_create(pk=1)
        with _moving_on(state) as started:
            rows = _rebuild_all(now, parallel=parallel)
            state.full_refresh_at = started
    if parallel:
        # Every row was replaced. The days are vacuumed at once (0.6 s at a city's scale): without
        # it the readers of the next hours wade through their dead rows until autovacuum comes by.
        # The cases are only analyzed: a refresh reads a few of them by id, and their vacuum (7 s
        # for 9.3 million rows) is left to autovacuum, outside the rebuild's minute.
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {DailyCount._meta.db_table}")
            cursor.execute(f"ANALYZE {CaseCount._meta.db_table}")
    return rows


# --------------------------------------------------------------------------------------------------
# What no `updated_at` tells: deleted cases, an enterprise moving to another park. Each app connects
# its own receivers (in its `dashboard.py`) and calls `mark`.


def mark(names: Iterable[str], *cases: int) -> None:
    """Have the next refresh recount `cases` of the facts `names` (readers count them as changed
    until then)."""
    DirtyCase.objects.bulk_create(DirtyCase(fact=name, case=case) for case in cases for name in names)


def park_moved(sender, instance, update_fields=None) -> bool:
    """In a `pre_save` receiver of the enterprise model (`sender`): the enterprise being saved
    leaves one park for another, so the cases counted under its park are to be marked. One query,
    none for a save whose `update_fields` leave the park alone."""
    if instance.pk is None or (update_fields is not None and "park" not in update_fields):
        return False
    before = sender.objects.filter(pk=instance.pk).values_list("park_id", flat=True).first()
    return before is not None and before != instance.park_id
