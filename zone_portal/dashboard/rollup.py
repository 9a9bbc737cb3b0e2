"""Daily rollups of the dashboard's facts: kept by the beat, read together with what changed since.

A summary over a year of a million cases cannot read every case (≈1 s per million rows here). So
each fact (facts.py) is kept as counts per local day and key in `DailyCount`, and a period is the
sum of its days. The figures stay exact, not "as of the last refresh":

- `refresh()` (Celery beat, every 15 seconds) recounts the cases that changed since the previous
  run and records from when on changes are not in the rollups (`RollupState.refreshed_at`, the
  watermark: see `watermark()`). Each case's own counts are kept too (`CaseCount`): the refresh
  recounts only the changed cases, and adds the difference between their new counts and their
  kept ones to the days' rows, so its work follows the change, not the size of the days.
- A reader asks which days changed since then (`dirty_days`): the cases whose `updated_at` is
  later (zone_portal/touch.py keeps it on every write), days marked in `DirtyDay` (deleted cases,
  an enterprise that moved park, the day a reopened ticket was resolved or a re-whistled
  department was first whistled), days past their `stale_after` (a whistle deadline passed), and
  every day of the handling times if the working calendar (or the official holiday data)
  changed. Those days are counted live from the cases with the same code that fills the rollup;
  the others are summed from it. So a reader pays for the days changed in the last seconds only.
- Before the first refresh every day is counted live (what the dashboard did before rollups).
- The nightly full refresh recounts every case: the safety net for a write that bypassed
  `updated_at` (raw SQL that forgot it) or a transaction open longer than `MAX_LAG`.

Two refreshes at once queue on the state row's lock, so a case's kept counts and the days' rows
always change together.
"""

import hashlib
import time
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import metadata

from django.db import connection, transaction
from django.db.models import Min, Q, Sum
from django.db.models.signals import pre_save
from django.utils import timezone

from zone_portal.worktime.calendar import ZONE, get_calendar

from . import facts
from .models import COUNT_COLUMNS, KEY_COLUMNS, CaseCount, DailyCount, DirtyDay, RollupState

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
    """The days each fact must count live (or recompute); `everything`: no day may be trusted."""

    everything: bool = False
    days: dict[str, set[date]] = field(default_factory=dict)
    whole: set[str] = field(default_factory=set)  # facts with no day to trust (calendar changed)
    cases: dict[str, set[int]] = field(default_factory=dict)  # to recount (refresh)
    uncased: dict[str, set[date]] = field(default_factory=dict)  # days whose every case to recount
    # The live counts already read for this summary: {(fact, days): cells}.
    counted: dict[tuple, list] = field(default_factory=dict, repr=False, compare=False)

    def cells(self, fact, days: list[date], now) -> list[dict]:
        """`fact.cells(days, now)`, read once per summary (the totals and the weekly trend share it)."""
        key = (fact.name, tuple(days), now)
        if key not in self.counted:
            self.counted[key] = fact.cells(days, now)
        return self.counted[key]

    def of(self, name: str) -> set[date] | None:
        """The days of `name` to count live; None: all of them."""
        if self.everything or name in self.whole:
            return None
        return self.days.get(name, set())


def dirty_days(now=None, state: RollupState | None = None) -> Dirty:
    """What changed since the last refresh (see the module's docstring): ten small queries."""
    now = now or timezone.now()
    if state is None:
        state = RollupState.objects.filter(pk=1).first()
    if state is None or state.refreshed_at is None:
        return Dirty(everything=True)
    touched = facts.touched_days(state.refreshed_at)
    days, cases, uncased = touched.days, touched.cases, touched.uncased
    for name, day, case in DirtyDay.objects.values_list("fact", "day", "case"):
        if day is not None:
            days[name].add(day)
        if case is not None:
            cases[name].add(case)
        elif day is not None:
            uncased[name].add(day)
    for name, day in DailyCount.objects.filter(stale_after__lt=now).values_list("fact", "day").distinct():
        days[name].add(day)
    whole = {"handling"} if state.calendar != calendar_fingerprint() else set()
    return Dirty(days=dict(days), whole=whole, cases=dict(cases), uncased=dict(uncased))


def read(fact, period, dirty: Dirty, now, *, by: Iterable[str] | None = None, where=None) -> list[dict]:
    """The counts of `fact` over `period`, grouped by `by` (key names, or "day"; default: every
    key), for the rows whose keys are in `where` ({key: allowed values}): the rollup for the days
    it can be trusted with, the cases themselves for the others. One or two queries."""
    by = tuple(fact.keys if by is None else by)
    where = where or {}
    column = columns(fact)
    live = dirty.of(fact.name)
    parts = []
    if live is not None:
        live = sorted(day for day in live if period.first <= day <= period.last)
        rows = DailyCount.objects.filter(fact=fact.name, day__gte=period.first, day__lte=period.last)
        if live:
            rows = rows.exclude(day__in=live)
        for name, allowed in where.items():
            rows = rows.filter(**{f"{column[name]}__in": list(allowed)})
        sums = {f"sum_{name}": Sum(column[name]) for name in fact.counts}
        if by:
            grouped = rows.values(*(column.get(name, name) for name in by)).annotate(**sums).order_by()
        else:  # one total
            grouped = (
                [total] if (total := rows.aggregate(**sums))[f"sum_{fact.counts[0]}"] is not None else []
            )
        parts.append(
            [
                {
                    **{name: row[column.get(name, name)] for name in by},
                    **{name: row[f"sum_{name}"] for name in fact.counts},
                }
                for row in grouped
            ]
        )
    if live is None or live:
        days = live if live is not None else _days(period.first, period.last)
        cells = dirty.cells(fact, days, now)
        parts.append([c for c in cells if all(c[name] in allowed for name, allowed in where.items())])
    return facts.merge_cells(parts, by, fact.counts)


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


def _fill(fact, now, *, days=None) -> int:
    """Write the per-case counts of `fact` (of `days`; None: every day) into `CaseCount`, whose
    rows for them are gone: one INSERT … SELECT where the fact can say its count in SQL
    (PostgreSQL), so no row passes through Python; its cells written from Python otherwise.
    Answers the rows written (cases counting nothing are not kept)."""
    statement = fact.case_sql(now, days=days)
    if not statement:
        rows = [_case_row(fact, cell) for cell in fact.case_cells(now, days=days) if _counts(fact, cell)]
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
            f"WHERE {' OR '.join(f'{c} <> 0' for c in counts)}",
            [fact.name, *params],
        )
        return cursor.rowcount


def _counts(fact, cell: dict) -> bool:
    return any(cell[name] for name in fact.counts)


def _sum_days(fact) -> int:
    """Every `DailyCount` row of `fact` (gone) summed from its `CaseCount` rows: one INSERT …
    SELECT on either database. Answers the rows written."""
    keys = ", ".join(KEY_COLUMNS)
    sums = ", ".join(f"COALESCE(SUM({c}), 0)" for c in COUNT_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {DailyCount._meta.db_table} (fact, day, {keys}, {', '.join(COUNT_COLUMNS)}, "
            f"stale_after) SELECT fact, day, {keys}, {sums}, MIN(stale_after) "
            f"FROM {CaseCount._meta.db_table} WHERE fact = %s GROUP BY fact, day, {keys}",
            [fact.name],
        )
        return cursor.rowcount


def _replace(fact, now) -> dict:
    """Every case of `fact` counted anew, and its days summed from them (their rows are gone)."""
    cases = _fill(fact, now)
    return {"days": "all", "cases": cases, "rows": _sum_days(fact)}


# A refresh reads and writes the changed cases' rows this many at a time.
CASES_AT_ONCE = 500


def _recount(fact, cases: set[int], now) -> dict:
    """Recount `cases` of `fact`: their `CaseCount` rows replaced, and the difference between the
    new rows and the old added to the `DailyCount` rows of their days and keys. A few queries per
    `CASES_AT_ONCE` cases, whatever the size of the days they fall on."""
    shape = ("day", *KEY_COLUMNS)
    delta: dict[tuple, list[int]] = defaultdict(lambda: [0] * len(COUNT_COLUMNS))
    restale: set[tuple] = set()  # groups whose earliest `stale_after` may have moved
    ordered = sorted(cases)
    for start in range(0, len(ordered), CASES_AT_ONCE):
        chunk = ordered[start : start + CASES_AT_ONCE]
        kept = CaseCount.objects.filter(fact=fact.name, case__in=chunk)
        for row in kept.values(*shape, *COUNT_COLUMNS, "stale_after"):
            group = tuple(row[name] for name in shape)
            counts = delta[group]
            for n, name in enumerate(COUNT_COLUMNS):
                counts[n] -= row[name] or 0
            if row["stale_after"] is not None:
                restale.add(group)
        kept.delete()
        rows = [_case_row(fact, cell) for cell in fact.case_cells(now, cases=chunk) if _counts(fact, cell)]
        CaseCount.objects.bulk_create(rows)
        for row in rows:
            group = tuple(getattr(row, name) for name in shape)
            counts = delta[group]
            for n, name in enumerate(COUNT_COLUMNS):
                counts[n] += getattr(row, name) or 0
            if row.stale_after is not None:
                restale.add(group)
    groups = [group for group, counts in delta.items() if any(counts)] + [
        group for group in restale if not any(delta[group])
    ]
    _apply(fact, groups, delta, restale)
    return {"cases": len(cases), "rows": len(groups)}


def _group_q(groups: Iterable[tuple]) -> Q:
    """The rows of these (day, k1 … k5) groups (an empty key matches an empty column)."""
    condition = Q(pk__in=[])
    for group in groups:
        lookups = {}
        for name, value in zip(("day", *KEY_COLUMNS), group, strict=True):
            lookups[name if value is not None else f"{name}__isnull"] = value if value is not None else True
        condition |= Q(**lookups)
    return condition


def _apply(fact, groups: list[tuple], delta: dict, restale: set) -> None:
    """Add `delta` to the `DailyCount` rows of `groups` (a row counting nothing goes; one not yet
    kept is made), and set the earliest `stale_after` of those in `restale` from their cases."""
    shape = ("day", *KEY_COLUMNS)
    created, updated, emptied = [], [], []
    for start in range(0, len(groups), 200):
        chunk = groups[start : start + 200]
        kept = {
            tuple(getattr(row, name) for name in shape): row
            for row in DailyCount.objects.filter(_group_q(chunk), fact=fact.name)
        }
        stale = {}
        if restale.intersection(chunk):
            stale = {
                tuple(row[name] for name in shape): row["earliest"]
                for row in CaseCount.objects.filter(_group_q(restale.intersection(chunk)), fact=fact.name)
                .values(*shape)
                .annotate(earliest=Min("stale_after"))
                .order_by()
            }
        for group in chunk:
            row = kept.get(group)
            if row is None:
                row = DailyCount(fact=fact.name, **dict(zip(shape, group, strict=True)))
            for n, name in enumerate(COUNT_COLUMNS):
                setattr(row, name, getattr(row, name) + delta[group][n])
            if group in restale:
                row.stale_after = stale.get(group)
            if not any(getattr(row, name) for name in COUNT_COLUMNS):
                if row.pk is not None:
                    emptied.append(row.pk)
            elif row.pk is None:
                created.append(row)
            else:
                updated.append(row)
    DailyCount.objects.filter(pk__in=emptied).delete()
    DailyCount.objects.bulk_update(updated, [*COUNT_COLUMNS, "stale_after"], batch_size=500)
    DailyCount.objects.bulk_create(created)


def _cases_of_days(fact, days: set[date], now) -> set[int]:
    """Every case of `fact` on `days`: those counted there now, and those kept there."""
    counted = {cell[facts.CASE] for cell in fact.case_cells(now, days=sorted(days))}
    kept = CaseCount.objects.filter(fact=fact.name, day__in=days).values_list("case", flat=True)
    return counted | set(kept)


# The nightly rebuild on PostgreSQL: the facts counted by this many connections at once, each with
# this much memory for its sorts and hashes (a year of a million cases is grouped in memory).
PARALLEL_FACTS = 2
WORK_MEM = "256MB"


def _rebuild(fact, now, *, own_connection: bool) -> dict:
    """Replace every row of `fact` (on its own connection and transaction when `own_connection`),
    its kept cases gone already: the rows written and the seconds it took."""
    started = time.perf_counter()
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('work_mem', %s, true)", [WORK_MEM])
            DailyCount.objects.filter(fact=fact.name).delete()
            report = _replace(fact, now)
        return {**report, "seconds": round(time.perf_counter() - started, 2)}
    finally:
        if own_connection:
            connection.close()


def _forget_cases(*, own_connection: bool) -> None:
    """Empty `CaseCount` before a rebuild: TRUNCATE, committed on a connection of its own, when
    the facts are rebuilt on theirs (no refresh reads it meanwhile: the state row is locked)."""
    if not own_connection:
        CaseCount.objects.all().delete()
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {CaseCount._meta.db_table}")
    finally:
        connection.close()


def _rebuild_all(now, *, parallel: bool) -> dict:
    """Every fact recounted from its cases: each replaced in a transaction of its own, several at
    once on their own connections when `parallel` (a reader meanwhile sees each fact either as it
    was or as it is now, both right for the days it does not read live)."""
    DailyCount.objects.exclude(fact__in=list(facts.FACTS)).delete()
    chosen = list(facts.FACTS.values())
    if not parallel:
        _forget_cases(own_connection=False)
        return {fact.name: _rebuild(fact, now, own_connection=False) for fact in chosen}
    with ThreadPoolExecutor(max_workers=PARALLEL_FACTS) as pool:
        pool.submit(_forget_cases, own_connection=True).result()
        futures = {fact.name: pool.submit(_rebuild, fact, now, own_connection=True) for fact in chosen}
        return {name: future.result() for name, future in futures.items()}


def refresh(*, full: bool = False, now=None) -> dict:
    """Bring the rollups up to date: the changed cases, or every case (`full`, or the first time).
    Answers how many cases it recounted and day rows it wrote per fact."""
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
        started = watermark()
        fingerprint = calendar_fingerprint()
        marks = list(DirtyDay.objects.values_list("pk", flat=True))
        if state.refreshed_at is None:  # another refresh emptied it meanwhile: everything
            _forget_cases(own_connection=False)
            for fact in facts.FACTS.values():
                DailyCount.objects.filter(fact=fact.name).delete()
                report[fact.name] = _replace(fact, now)
            state.full_refresh_at = started
        else:
            dirty = dirty_days(now, state)
            for name in dirty.whole:
                fact = facts.FACTS[name]
                CaseCount.objects.filter(fact=name).delete()
                DailyCount.objects.filter(fact=name).delete()
                report[name] = _replace(fact, now)
            cases = defaultdict(set, dirty.cases)
            for name, case in CaseCount.objects.filter(stale_after__lt=now).values_list("fact", "case"):
                cases[name].add(case)
            for name, days in dirty.uncased.items():
                if name in facts.FACTS and name not in dirty.whole:
                    cases[name] |= _cases_of_days(facts.FACTS[name], days, now)
            for name, chosen in cases.items():
                if name in facts.FACTS and name not in dirty.whole and chosen:
                    report[name] = _recount(facts.FACTS[name], chosen, now)
        DirtyDay.objects.filter(pk__in=marks).delete()
        state.refreshed_at = started
        state.calendar = fingerprint
        state.save()
    return report


def _refresh_all(now) -> dict:
    """The full refresh (nightly, or the first): the state row stays locked throughout, so no
    refresh of changed cases runs meanwhile; the facts themselves are written by `_rebuild_all`,
    on connections of their own when no transaction is open around this one (PostgreSQL): a
    transaction of the caller's would not be visible to them. Should it fail after the kept
    cases were emptied, the rollups are given up (`refreshed_at` emptied: every day read live),
    and the next refresh rebuilds them."""
    parallel = connection.vendor == "postgresql" and not connection.in_atomic_block and PARALLEL_FACTS > 1
    try:
        with transaction.atomic():
            state, _ = RollupState.objects.select_for_update().get_or_create(pk=1)
            started = watermark()
            fingerprint = calendar_fingerprint()
            marks = list(DirtyDay.objects.values_list("pk", flat=True))
            rows = _rebuild_all(now, parallel=parallel)
            DirtyDay.objects.filter(pk__in=marks).delete()
            state.refreshed_at = started
            state.full_refresh_at = started
            state.calendar = fingerprint
            state.save()
    except BaseException:
        if parallel:  # the emptied cases were committed on their own connection
            RollupState.objects.filter(pk=1).update(refreshed_at=None)
        raise
    if parallel:
        # Every row was replaced: without a vacuum the refreshes of the next hours wade through
        # the dead ones (a day's DELETE 300 ms instead of 50 ms at a city's scale) until
        # autovacuum comes by. Outside any transaction, as VACUUM must be.
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {DailyCount._meta.db_table}")
            cursor.execute(f"ANALYZE {CaseCount._meta.db_table}")
    return rows


# --------------------------------------------------------------------------------------------------
# What no `updated_at` tells: deleted cases, anchors moved to another day, an enterprise moving to
# another park. Each app connects its own receivers (in its `dashboard.py`) and calls `mark`.


def mark(names: Iterable[str], *moments, case: int | None = None) -> None:
    """Have the next refresh recount the case `case` of the facts `names` (without a case: every
    case of the days of `moments`); those days are read live until then."""
    days = [timezone.localtime(moment, ZONE).date() for moment in moments if moment is not None]
    if case is not None and not days:
        days = [None]
    DirtyDay.objects.bulk_create(DirtyDay(fact=name, day=day, case=case) for day in days for name in names)


def anchors_register(model, anchors: dict[str, tuple[str, ...]]) -> None:
    """`model`'s date-times that a save can move to another day (the rest are set once), with the
    facts anchored on each: the day a moment held before the save is recounted. Read from the
    database, inside the saving transaction (the instance in hand may be older than the row)."""
    _movable[model] = anchors
    pre_save.connect(_anchors_saving, sender=model, dispatch_uid=f"rollup_anchors_{model._meta.label}")


_movable: dict = {}


def _anchors_saving(sender, instance, update_fields=None, **kwargs):
    anchors = _movable[sender]
    if update_fields is not None:
        anchors = {name: names for name, names in anchors.items() if name in update_fields}
    if instance.pk is None or not anchors:
        return
    before = sender.objects.filter(pk=instance.pk).values(*anchors).first() or {}
    for name, names in anchors.items():
        if before.get(name) is not None and before[name] != getattr(instance, name):
            mark(names, before[name], case=instance.pk)
