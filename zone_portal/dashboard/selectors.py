"""The dashboard's figures: a bounded number of queries, whatever the amount of data.

The sections come from the apps that own the cases (parts.py; each app's `dashboard.py`): each
part reads its facts (facts.py) once for the period, from the daily rollups and the days changed
since (rollup.py), grouped by the few keys a scope is made of (service, department, park, kind of
request), over the whole zone; what is open now is counted from the open cases. The zone, a park
and a department are then sums over those small groups in Python. So the park dashboard, the
department scoreboard and the peers' ranking all come from the same rows, and the drill-down lists
(drilldown.py) use the same definitions as the figures they explain.

Rates are numbers in [0, 1], or None when the denominator is zero (shown as "—"); the definitions
of each figure are written in the README and next to the code of the app that counts it.
"""

from django.utils import timezone

from zone_portal.keeping import kept
from zone_portal.org.models import Department, Park

from . import rollup
from .parts import Reading, department_weights, parts
from .periods import Period
from .rates import rate  # noqa: F401 - the one definition of a rate (tests import it from here)
from .scope import Scope


def _reading(period: Period, *, now, user=None, departments: bool) -> Reading:
    """Every part's grouped rows of the whole zone for the period (the department comparison's
    rows only when `departments`)."""
    reading = Reading(
        period=period, now=now, today=timezone.localdate(now), dirty=rollup.dirty_cases(now), user=user
    )
    for part in parts():
        if part.read:
            reading.rows[part.name] = part.read(period, now, reading.dirty, departments=departments)
    return reading


# --------------------------------------------------------------------------------------------------
# Comparisons: by park, by department, and the department scoreboard


def _by_park(reading: Reading, parks) -> list[dict]:
    rows = []
    for park in [*parks, None]:
        row = {"park": {"id": park.pk, "name": park.name} if park else None}
        has_cases = False
        for part in parts():
            if part.park_columns:
                columns, part_has_cases = part.park_columns(park.pk if park else None, reading)
                row.update(columns)
                has_cases = has_cases or part_has_cases
        if park is None and not has_cases:
            continue
        rows.append(row)
    return rows


def department_score(rates: dict[str, float | None], weights: dict[str, int] | None = None) -> float | None:
    """The department scoreboard (四比四看): each part is a rate in [0, 1]; a part without a
    denominator in the period (None) is left out and the other weights are scaled up, so a
    department is never punished for cases it did not have. `weights`: `department_weights()`,
    read once by a caller that scores many departments."""
    weights = department_weights() if weights is None else weights
    weighed = {k: v for k, v in rates.items() if v is not None}
    if not weighed:
        return None
    total_weight = sum(weights[k] for k in weighed)
    if not total_weight:
        return None
    return round(sum(weights[k] * v for k, v in weighed.items()) * 100 / total_weight, 2)


def competition_ranks(rows: list[dict]) -> list[dict]:
    """Rank by score (1, 2, 2, 4: equal scores share a rank); rows without a score come last, unranked."""
    scored = sorted((r for r in rows if r["score"] is not None), key=lambda r: (-r["score"], r["name"]))
    for i, row in enumerate(scored):
        row["rank"] = scored[i - 1]["rank"] if i and row["score"] == scored[i - 1]["score"] else i + 1
    unscored = sorted((r for r in rows if r["score"] is None), key=lambda r: r["name"])
    for row in unscored:
        row["rank"] = None
    return scored + unscored


def _by_department(reading: Reading, departments, weights: dict[str, int]) -> list[dict]:
    rows = []
    for department in departments:
        row = {
            "department": {"id": department.pk, "code": department.code, "name": department.name},
            "name": department.name,
        }
        rates, has_cases = {}, False
        for part in parts():
            if part.department_columns:
                columns, part_rates, part_has_cases = part.department_columns(department.pk, reading)
                row.update(columns)
                rates.update(part_rates)
                has_cases = has_cases or part_has_cases
        if not has_cases:
            continue
        row["score"] = department_score(rates, weights)
        rows.append(row)
    return competition_ranks(rows)


# --------------------------------------------------------------------------------------------------
# The summary


def dashboard_summary(scope: Scope, period: Period, *, user, now=None) -> dict:
    """Every figure of a dashboard, for `scope` over `period` (see the module's docstring).

    A bounded number of queries: the same for the zone, a park and a department, and for ten or
    a million cases.
    """
    now = now or timezone.now()
    compare_departments = scope.kind != "park"
    reading = _reading(period, now=now, user=user, departments=compare_departments)
    summary = {
        "period": {"from": period.first.isoformat(), "to": period.last.isoformat()},
        "scope": scope.as_dict(),
    }
    for part in parts():
        if part.figures:
            summary[part.name] = reading.figures[part.name] = part.figures(scope, reading)
    summary["by_park"] = _by_park(reading, Park.objects.all()) if scope.kind == "zone" else None
    weights = department_weights() if compare_departments else {}
    by_department = (
        _by_department(reading, Department.objects.all(), weights) if compare_departments else None
    )
    summary["by_department"] = by_department
    summary["department_weights"] = weights or None
    for part in parts():
        if part.complete:
            part.complete(scope, reading, summary)
    if scope.department is not None:
        own = next((r for r in by_department if r["department"]["id"] == scope.department.pk), None)
        summary["department_rank"] = {
            "rank": own["rank"] if own else None,
            "score": own["score"] if own else None,
            "of": sum(1 for r in by_department if r["rank"] is not None),
            "weights": weights,
        }
    return summary


def headline_figures(scope: Scope, period: Period, *, now=None) -> dict:
    """The few numbers of a home panel, for the scope: rollup reads and a count of open cases per part."""
    now = now or timezone.now()
    dirty = rollup.dirty_cases(now)
    figures = {}
    for part in parts():
        if part.headline:
            figures.update(part.headline(scope, period, now, dirty))
    return figures


def public_figures(period: Period, *, now=None) -> dict:
    """The zone's figures anyone may read: aggregates only, each part picking its figures field
    by field so that no enterprise, person or case number can reach the public page."""
    now = now or timezone.now()
    reading = _reading(period, now=now, departments=False)
    figures = {"period": {"from": period.first.isoformat(), "to": period.last.isoformat()}}
    for part in parts():
        if part.public:
            figures[part.name] = reading.figures[part.name] = part.public(reading)
    return figures


def dashboard_summary_kept(scope: Scope, period: Period, *, user) -> dict:
    """`dashboard_summary` as the API and the dashboard page serve it: kept for
    `DASHBOARD_CACHE_SECONDS` (10 s; 0 turns it off) per user, scope, period and language, for every
    server process at once (zone_portal/keeping.py: Redis when configured), computed once per period by one
    process while the others serve the previous copy for up to `DASHBOARD_STALE_SECONDS` more.
    A summary of a year at a million cases costs ~0.5 s of the database and of Python; a dashboard
    is opened and refreshed by many at once, so without it 50 requests a second would need 25
    cores. The price: figures up to that many seconds old (the rollups are refreshed every 15 s
    anyway). Per user, so no one ever sees what another's scope shows (the battle map's part
    depends on the user, not only on the scope)."""
    from django.conf import settings
    from django.utils import translation

    seconds = getattr(settings, "DASHBOARD_CACHE_SECONDS", 0)
    if not seconds:
        return dashboard_summary(scope, period, user=user)
    key = ":".join(
        str(part)
        for part in (
            "dashboard:summary",
            user.pk,
            translation.get_language(),
            scope.kind,
            scope.park.pk if scope.park is not None else "",
            scope.department.pk if scope.department is not None else "",
            period.first,
            period.last,
        )
    )
    return kept(
        key,
        lambda: dashboard_summary(scope, period, user=user),
        fresh=seconds,
        stale=getattr(settings, "DASHBOARD_STALE_SECONDS", 0),
    )
