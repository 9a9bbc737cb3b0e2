"""Handling time of completed requests, in working time, counted by the database.

Handling time is the working time from acceptance to completion minus the working time paused for
supplements (`paused_total`, already working time): the same clock the promised limit runs on.
Working time depends on the calendar (office periods, official holidays, overrides), which lives
in Python (`zone_portal.worktime.calendar`); its SQL form is `zone_portal.cases.clock.WorkingTimeSql`
(the calendar's own timeline as array parameters), so the count stays one query over any number of
rows and counts the minutes the deadlines count. The medians are read from the counts per whole
minute (`histogram_median`), kept per day by the dashboard's rollups. SQLite (the local default)
gets the same numbers from the Python calendar, row by row.
"""

from collections import Counter
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Max, Min

from zone_portal.cases.clock import WorkingTimeSql
from zone_portal.worktime.calendar import ZONE, get_calendar

LOOKBACK_DAYS = 366


def calendar_arrays(first: date, last: date) -> tuple[list[datetime], list[datetime], list[float]]:
    """The counted intervals from `first` to `last` (inclusive) and the working seconds before each."""
    return get_calendar().timeline(first, last)


# Requests accepted longer ago than this before their completion count only this much of the wait.
LOOKBACK = timedelta(days=LOOKBACK_DAYS)

_HISTOGRAM_SQL = """
WITH {cte}
SELECT (r.closed_at AT TIME ZONE %s)::date AS day, {keys}, FLOOR(w.seconds / 60)::integer AS minutes,
       {count} AS n
FROM ({inner}) r
CROSS JOIN {cal}
CROSS JOIN LATERAL (SELECT GREATEST(r.accepted_at, r.closed_at - %s) AS accepted) a
CROSS JOIN LATERAL (
    SELECT GREATEST({working} - EXTRACT(EPOCH FROM r.paused_total), 0) AS seconds
) w
{group_by}
"""


def handling_cells(rows_qs, *, keys: tuple[str, ...], days: list[date] | None = None) -> list[dict]:
    """Completed requests counted by local closing day, `keys` and handling time in whole working
    minutes (`minutes`, `n`): the histograms the medians are read from, for the rows closed on
    `days` (None: any day). One query, whatever the number of rows (and one more on PostgreSQL
    to find the calendar's span when `days` is None).

    Handling time runs from acceptance (at most `LOOKBACK_DAYS` before completion) to completion
    on the working calendar, minus the working time paused for supplements.
    """
    if connection.vendor == "postgresql":
        statement = handling_sql(rows_qs, keys=keys, days=days)
        if statement is None:
            return []
        with connection.cursor() as cursor:
            cursor.execute(*statement)
            names = ["day", *keys, "minutes", "n"]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    rows_qs = _handled(rows_qs, keys)
    calendar = get_calendar()
    counts: Counter = Counter()
    for row in rows_qs:
        accepted = max(row["accepted_at"], row["closed_at"] - LOOKBACK)
        seconds = (calendar.elapsed(accepted, row["closed_at"]) - row["paused_total"]).total_seconds()
        day = row["closed_at"].astimezone(ZONE).date()
        counts[(day, *(row[k] for k in keys), int(max(seconds, 0.0) // 60))] += 1
    names = ["day", *keys, "minutes"]
    return [{**dict(zip(names, key, strict=True)), "n": n} for key, n in counts.items()]


def _handled(rows_qs, keys):
    return rows_qs.filter(accepted_at__isnull=False, closed_at__isnull=False).values(
        *keys, "accepted_at", "closed_at", "paused_total"
    )


def handling_sql(
    rows_qs, *, keys: tuple[str, ...], days: list[date] | None = None, grouped: bool = True
) -> tuple[str, list] | None:
    """`handling_cells` as one PostgreSQL statement (columns: day, the keys, minutes, n), or None
    when no request was ever completed (`days` None: the calendar's span is asked first). Not
    `grouped`: a row per request (n = 1), for keys that name the request itself."""
    rows_qs = _handled(rows_qs, keys)
    if days:  # the closing days asked for: the calendar's span is known
        first, last = min(days), max(days)
    else:
        span = rows_qs.aggregate(first=Min("closed_at"), last=Max("closed_at"))
        if span["first"] is None:
            return None
        first, last = span["first"].astimezone(ZONE).date(), span["last"].astimezone(ZONE).date()
    first -= timedelta(days=LOOKBACK_DAYS + 1)
    inner, params = rows_qs.query.sql_with_params()
    columns = ", ".join(f"r.{k}" for k in keys)
    positions = ", ".join(str(n) for n in range(1, len(keys) + 3))  # day, the keys, minutes
    working = WorkingTimeSql(first, last)
    sql = _HISTOGRAM_SQL.format(
        cte=working.cte(),
        cal=working.alias,
        keys=columns,
        inner=inner,
        count="COUNT(*)" if grouped else "1",
        group_by=f"GROUP BY {positions}" if grouped else "",
        working=working.seconds_between("a.accepted", "r.closed_at"),
    )
    return sql, [*working.params(), ZONE.key, *params, LOOKBACK]


def histogram_median(counts: dict[int, int]) -> float | None:
    """The median of values given as {value: how many}."""
    total = sum(counts.values())
    if not total:
        return None
    low, high = (total + 1) // 2, total // 2 + 1  # 1-based positions of the middle value(s)
    seen, found = 0, []
    for value in sorted(counts):
        seen += counts[value]
        while len(found) < 2 and seen >= (low, high)[len(found)]:
            found.append(value)
        if len(found) == 2:
            break
    return (found[0] + found[1]) / 2
