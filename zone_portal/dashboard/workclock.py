"""Median handling time of completed requests, in working time, computed by the database.

Handling time is the working time from acceptance to completion minus the working time paused for
supplements (`paused_total`, already working time): the same clock the promised limit runs on.
Working time depends on the calendar (office periods, official holidays, overrides), which lives
in Python (`zone_portal.worktime.calendar`). To keep the median one query over any number of rows,
the calendar's counted intervals for the years concerned are passed to PostgreSQL as three arrays
(starts, ends, working seconds before each start): the working-time position of a moment t is
`cum[k] + clamp(t - start[k], 0, end[k] - start[k])` with `k = width_bucket(t, starts)` (a binary
search), and handling time is the difference of two positions. SQLite (the local default) gets the
same numbers from the Python calendar, row by row.
"""

import statistics
from datetime import date, datetime, timedelta

from django.db import connection

from zone_portal.worktime.calendar import ZONE, get_calendar

# Acceptances this long before the period still count from their real start (a request open for
# more than a year is measured from one year before the period).
LOOKBACK_DAYS = 366


def calendar_arrays(first: date, last: date) -> tuple[list[datetime], list[datetime], list[float]]:
    """The counted intervals from `first` to `last` (inclusive) and the working seconds before each."""
    calendar = get_calendar()
    starts, ends, before = [], [], []
    total = 0.0
    day = first
    while day <= last:
        for start, end in calendar.intervals(day):
            starts.append(start)
            ends.append(end)
            before.append(total)
            total += (end - start).total_seconds()
        day += timedelta(days=1)
    return starts, ends, before


_POSITION = """COALESCE(cal.c[{k}] + LEAST(GREATEST(EXTRACT(EPOCH FROM r.{col} - cal.s[{k}]), 0),
    EXTRACT(EPOCH FROM cal.e[{k}] - cal.s[{k}])), 0)"""

_MEDIAN_SQL = f"""
WITH cal AS (SELECT %s::timestamptz[] AS s, %s::timestamptz[] AS e, %s::float8[] AS c)
SELECT r.{{keys}}, percentile_cont(0.5) WITHIN GROUP (ORDER BY w.seconds)
FROM ({{inner}}) r
CROSS JOIN cal
CROSS JOIN LATERAL (SELECT width_bucket(r.accepted_at, cal.s) AS ka, width_bucket(r.closed_at, cal.s) AS kc) k
CROSS JOIN LATERAL (
    SELECT GREATEST({_POSITION.format(k="k.kc", col="closed_at")}
        - {_POSITION.format(k="k.ka", col="accepted_at")}
        - EXTRACT(EPOCH FROM r.paused_total), 0) AS seconds
) w
GROUP BY {{group}}
"""


def handling_medians(rows_qs, *, keys: tuple[str, ...], first: date, last: date) -> dict[tuple, float]:
    """Median handling time in working seconds per `keys` over `rows_qs` (completed requests).

    `rows_qs` must select, with `.values()`, the `keys` plus `accepted_at`, `closed_at` and
    `paused_total`. One query, whatever the number of rows.
    """
    rows_qs = rows_qs.filter(accepted_at__isnull=False, closed_at__isnull=False).values(
        *keys, "accepted_at", "closed_at", "paused_total"
    )
    since = first - timedelta(days=LOOKBACK_DAYS)
    if connection.vendor == "postgresql":
        inner, params = rows_qs.query.sql_with_params()
        sql = _MEDIAN_SQL.format(keys=", r.".join(keys), inner=inner, group=", ".join(f"r.{k}" for k in keys))
        starts, ends, before = calendar_arrays(since, last)
        with connection.cursor() as cursor:
            cursor.execute(sql, [starts, ends, before, *params])
            return {tuple(row[:-1]): float(row[-1]) for row in cursor.fetchall()}
    calendar = get_calendar()
    floor = datetime.combine(since, datetime.min.time(), tzinfo=ZONE)
    samples: dict[tuple, list[float]] = {}
    for row in rows_qs:
        accepted = max(row["accepted_at"], floor)
        seconds = (calendar.elapsed(accepted, row["closed_at"]) - row["paused_total"]).total_seconds()
        samples.setdefault(tuple(row[k] for k in keys), []).append(max(seconds, 0.0))
    return {key: float(statistics.median(values)) for key, values in samples.items()}
