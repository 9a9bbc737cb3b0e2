"""The dashboard's figures: a bounded number of queries, whatever the amount of data.

Each fact (facts.py) is read once for the period, from the daily rollups and the days changed since
(rollup.py), grouped by the few keys a scope is made of (service, department, park, kind of
request), over the whole zone; what is open now is counted from the open cases. The zone, a park
and a department are then sums over those small groups in Python. So the park
dashboard, the department scoreboard and the peers' ranking all come from the same rows, and the
drill-down lists (`drilldown_*`) use the same definitions as the figures they explain.

Definitions (also written in the README):
- A **filing** is what an applicant filed: a standalone request or a bundle (一件事), counted once.
  The zone and the parks count filings; a **department** counts the requests it handles (standalone
  requests and the items of bundles), so a licence issued inside a start-up bundle counts for the
  market regulation bureau.
- **Submitted**: filed in the period. **Completed**: completed in the period. **On time**: completed
  no later than its due moment (the clock runs on working time and stops during supplements).
- **Coverage**: completed filings of the period that were rated ÷ completed filings of the period.
- Rates are numbers in [0, 1], or None when the denominator is zero (shown as "—").
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from enterprises.models import CsoAssignment, Enterprise
from projects.models import STAGE_FLOW, Project, Stage
from projects.selectors import WEIGHTS as PROJECT_WEIGHTS
from projects.selectors import projects_ranking, projects_with_status
from services.models import (
    FINAL_STATUSES,
    LimitUnit,
    RequestStatus,
    ServiceItem,
    ServiceRequest,
    SlaState,
    sla_state_q,
)
from zone_portal.org.models import Department, Park
from zone_portal.ratings.models import RECTIFICATION_FINAL, Rectification, RectificationStatus, Score
from zone_portal.worktime.calendar import get_calendar

from . import facts, rollup, tickets
from .facts import Kind, kind_expression
from .periods import Period
from .rates import rate
from .scope import Scope
from .workclock import histogram_median

SCORES = [s.value for s in sorted(Score, key=lambda s: -s.value)]  # 5 … 1
GOOD_SCORE_MIN = Score.BASICALLY_SATISFIED  # 非常满意, 满意, 基本满意 count as satisfied

# The department scoreboard (四比四看): each part is a rate in [0, 1]; a part without a denominator
# in the period is left out and the other weights are scaled up, so a department is never punished
# for cases it did not have.
DEPARTMENT_WEIGHTS = {
    "whistle_report_on_time": 20,
    "whistle_answer_on_time": 20,
    "service_on_time": 25,
    "satisfaction": 20,
    "rectification_on_time": 15,
}


# --------------------------------------------------------------------------------------------------
# Service requests


def service_cases(scope: Scope):
    """The requests a scope counts: filings for the zone and a park, handled requests for a department."""
    qs = ServiceRequest.objects.all()
    if scope.department is not None:
        return qs.filter(is_bundle=False, department=scope.department)
    qs = qs.filter(parent=None)
    if scope.park is not None:
        qs = qs.filter(enterprise__park=scope.park)
    return qs


def _cell_in_scope(cell: dict, scope: Scope) -> bool:
    """The Python twin of `service_cases` over one group of the cells query."""
    if scope.department is not None:
        return cell["kind"] != Kind.BUNDLE and cell["department_id"] == scope.department.pk
    if cell["kind"] == Kind.ITEM:
        return False
    return scope.park is None or cell["park_id"] == scope.park.pk


def service_conditions(period: Period, now) -> dict[str, Q]:
    """The counted conditions on a request over a period (facts.py's, bounded by the period's
    filing or closing days) and at `now`."""
    filed = Q(submitted_at__gte=period.start, submitted_at__lt=period.end)
    closed = Q(closed_at__gte=period.start, closed_at__lt=period.end)
    conditions = {
        name: filed if state is None else filed & state for name, state in facts.request_filed_state().items()
    }
    conditions.update({name: closed & state for name, state in facts.request_closed_state().items()})
    conditions["overdue_now"] = sla_state_q(SlaState.OVERDUE, now)
    conditions["open_now"] = Q(status__in=OPEN_REQUEST_STATUSES)
    return conditions


OPEN_REQUEST_STATUSES = tuple(status for status in RequestStatus if status not in FINAL_STATUSES)

SERVICE_COUNTS = (
    "submitted",
    "agency",
    "completed",
    "on_time",
    "late",
    "rated",
    "rejected",
    "overdue_now",
    "open_now",
)


def _service_cells(period: Period, now, dirty) -> list[dict]:
    """Requests by (service, department, park, kind) over the zone: filed and closed in the period
    (rollups), and open now (one query)."""
    open_now = (
        ServiceRequest.objects.filter(status__in=OPEN_REQUEST_STATUSES)
        .annotate(kind=kind_expression(), park_id=F("enterprise__park_id"))
        .values(*facts.REQUEST_KEYS)
        .annotate(
            overdue_now=Count("id", filter=sla_state_q(SlaState.OVERDUE, now)),
            open_now=Count("id"),
        )
        .order_by()
    )
    return facts.merge_cells(
        [
            rollup.read(facts.REQUEST_SUBMITTED, period, dirty, now),
            rollup.read(facts.REQUEST_CLOSED, period, dirty, now),
            list(open_now),
        ],
        facts.REQUEST_KEYS,
        SERVICE_COUNTS,
    )


def _request_where(scope: Scope) -> dict:
    """`service_cases` as a filter on the rollups' keys."""
    if scope.department is not None:
        return {"kind": {Kind.SINGLE, Kind.ITEM}, "department_id": {scope.department.pk}}
    where = {"kind": {Kind.SINGLE, Kind.BUNDLE}}
    if scope.park is not None:
        where["park_id"] = {scope.park.pk}
    return where


def _sum(cells, names=SERVICE_COUNTS) -> dict:
    totals = dict.fromkeys(names, 0)
    for cell in cells:
        for name in names:
            totals[name] += cell[name]
    return totals


def _with_rates(totals: dict) -> dict:
    totals["on_time_rate"] = rate(totals["on_time"], totals["completed"])
    return totals


def _limit_seconds(item: ServiceItem) -> float | None:
    if item.limit_unit == LimitUnit.WORKING_HOURS:
        return float(item.limit_amount) * 3600
    if item.limit_unit == LimitUnit.WORKING_DAYS:
        return float(item.limit_amount) * get_calendar().day_length.total_seconds()
    return None  # same working day: the limit depends on the hour the clock starts


def _service_weeks(scope: Scope, period: Period, now, dirty) -> list[dict]:
    """Submitted and completed per week (Monday) of the period, for the trend chart."""
    weeks = {
        monday: {"week": monday.isoformat(), "submitted": 0, "completed": 0} for monday in period.weeks()
    }
    where = _request_where(scope)
    for fact, name in ((facts.REQUEST_SUBMITTED, "submitted"), (facts.REQUEST_CLOSED, "completed")):
        for row in rollup.read(fact, period, dirty, now, by=("day",), where=where):
            weeks[row["day"] - timedelta(days=row["day"].weekday())][name] += row[name]
    return list(weeks.values())


def _handling_medians(scope: Scope, period: Period, now, dirty) -> dict[tuple, float]:
    """Median handling time in working seconds per (service, department) of the scope's
    completed requests, from the per-minute counts."""
    histograms: dict[tuple, dict[int, int]] = defaultdict(dict)
    rows = rollup.read(
        facts.HANDLING,
        period,
        dirty,
        now,
        by=("service_id", "department_id", "minutes"),
        where=_request_where(scope),
    )
    for row in rows:
        histograms[(row["service_id"], row["department_id"])][row["minutes"]] = row["n"]
    return {key: histogram_median(counts) * 60 for key, counts in histograms.items()}


def service_figures(scope: Scope, period: Period, cells: list[dict], *, now, dirty) -> dict:
    """The one-stop service part of a summary (cells from `_service_cells`)."""
    mine = [cell for cell in cells if _cell_in_scope(cell, scope)]
    totals = _with_rates(_sum(mine))
    rateable = [cell for cell in mine if cell["kind"] != Kind.ITEM]
    rated, rateable_completed = (
        _sum(rateable, ("rated",))["rated"],
        _sum(rateable, ("completed",))["completed"],
    )
    totals["coverage"] = {
        "rated": rated,
        "completed": rateable_completed,
        "rate": rate(rated, rateable_completed),
    }
    if scope.department is None:
        bundles = _sum([cell for cell in mine if cell["kind"] == Kind.BUNDLE], ("completed", "on_time"))
        totals["bundles"] = {
            "completed": bundles["completed"],
            "within_limit": bundles["on_time"],
            "rate": rate(bundles["on_time"], bundles["completed"]),
        }
    else:
        totals["bundles"] = None

    groups: dict[tuple, list] = defaultdict(list)
    for cell in mine:
        groups[(cell["service_id"], cell["department_id"])].append(cell)
    medians = _handling_medians(scope, period, now, dirty)
    items = ServiceItem.objects.in_bulk({key[0] for key in groups})
    departments = Department.objects.in_bulk({key[1] for key in groups})
    by_service = []
    for (service_id, department_id), group in groups.items():
        row = _with_rates(_sum(group))
        if not any(row[name] for name in ("submitted", "completed", "open_now")):
            continue
        item, department = items[service_id], departments[department_id]
        median = medians.get((service_id, department_id))
        limit = _limit_seconds(item)
        row.update(
            service={"id": item.pk, "code": item.code, "name": item.name, "limit": item.limit_label},
            department={"id": department.pk, "code": department.code, "name": department.name},
            median_hours=round(median / 3600, 2) if median is not None else None,
            limit_hours=round(limit / 3600, 2) if limit is not None else None,
            median_within_limit=(median <= limit) if median is not None and limit is not None else None,
        )
        by_service.append(row)
    by_service.sort(key=lambda r: (-r["submitted"], -r["completed"], r["service"]["code"]))
    totals["by_service"] = by_service
    totals["by_week"] = _service_weeks(scope, period, now, dirty)
    return totals


# --------------------------------------------------------------------------------------------------
# Ratings and rectifications


def _rating_in_scope(cell: dict, scope: Scope) -> bool:
    if scope.department is not None:
        return cell["handler_department_id"] == scope.department.pk
    return scope.park is None or cell["park_id"] == scope.park.pk


def _rating_totals(cells) -> dict:
    """Levels of the shared ratings (好差评) in the cells: every rated kind of case."""
    counts = {str(s): sum(cell[f"score_{s}"] for cell in cells) for s in SCORES}
    total = sum(counts.values())
    bad = sum(counts[str(s)] for s in SCORES if s < GOOD_SCORE_MIN)
    return {
        "counts": counts,
        "total": total,
        "bad": bad,
        "satisfied": total - bad,
        "satisfaction_rate": rate(total - bad, total),
    }


def rectification_conditions(period: Period, now) -> dict[str, Q]:
    # Due in the period (and already due) unless voided on appeal; replied by the deadline.
    due = Q(fix_due_at__gte=period.start, fix_due_at__lt=min(period.end, now)) & ~Q(
        status=RectificationStatus.VOIDED
    )
    replied_on_time = due & Q(replied_at__lte=F("fix_due_at"))
    overdue = Q(status=RectificationStatus.OPEN, verify_due_at__lte=now) | Q(
        status__in=[RectificationStatus.OPEN, RectificationStatus.FIXING, RectificationStatus.APPEALED],
        fix_due_at__lte=now,
    )
    return {
        "opened": Q(opened_at__gte=period.start, opened_at__lt=period.end),
        "open": ~Q(status__in=RECTIFICATION_FINAL),
        "overdue": overdue,
        "closed": Q(closed_at__gte=period.start, closed_at__lt=period.end),
        "due": due,
        "replied_on_time": replied_on_time,
        "late": due & ~Q(replied_at__lte=F("fix_due_at")),
    }


def _rectification_cells(period: Period, now) -> list[dict]:
    conditions = rectification_conditions(period, now)
    counted = (
        conditions["opened"]
        | conditions["closed"]
        | conditions["open"]
        | Q(fix_due_at__gte=period.start, fix_due_at__lt=period.end)
    )
    return list(
        Rectification.objects.filter(counted)
        .values("department_id", park_id=F("rating__enterprise__park_id"))
        .annotate(**{name: Count("id", filter=conditions[name]) for name in RECTIFICATION_COUNTS})
        .order_by()
    )


RECTIFICATION_COUNTS = ("opened", "open", "overdue", "closed", "due", "replied_on_time")


def _rectification_in_scope(cell: dict, scope: Scope) -> bool:
    if scope.department is not None:
        return cell["department_id"] == scope.department.pk
    return scope.park is None or cell["park_id"] == scope.park.pk


def _rectification_totals(cells) -> dict:
    totals = _sum(cells, RECTIFICATION_COUNTS)
    totals["on_time_rate"] = rate(totals["replied_on_time"], totals["due"])
    return totals


def rating_figures(scope: Scope, rating_cells, rectification_cells, coverage: dict) -> dict:
    figures = _rating_totals([c for c in rating_cells if _rating_in_scope(c, scope)])
    figures["coverage"] = coverage["rate"]
    figures["coverage_detail"] = coverage
    figures["rectifications"] = _rectification_totals(
        [c for c in rectification_cells if _rectification_in_scope(c, scope)]
    )
    return figures


# --------------------------------------------------------------------------------------------------
# Enterprises and key projects (current state, not period-bound)


def enterprise_figures(scope: Scope, *, today: date) -> dict | None:
    """The register of the zone or a park: qualifications, patents, officers (two queries)."""
    if scope.department is not None:
        return None
    active = Enterprise.objects.filter(status=Enterprise.Status.ACTIVE)
    if scope.park is not None:
        active = active.filter(park=scope.park)
    has_officer = Exists(CsoAssignment.objects.filter(enterprise=OuterRef("pk"), ended_at=None))
    figures = active.aggregate(
        total=Count("id"),
        high_tech=Count("id", filter=Enterprise.qualification_q("high_tech", today=today)),
        reserve=Count("id", filter=Enterprise.qualification_q("reserve", today=today)),
        tech_sme=Count("id", filter=Enterprise.qualification_q("tech_sme", today=today)),
        above_scale=Count("id", filter=Enterprise.qualification_q("above_scale", today=today)),
        with_patents=Count("id", filter=Q(patents__gt=0)),
        patents=Coalesce(Sum("patents"), 0),
        without_officer=Count("id", filter=~Q(has_officer)),
    )
    assignments = CsoAssignment.objects.filter(ended_at=None, enterprise__in=active)
    figures["officers"] = [
        {
            "id": row["officer_id"],
            "name": row["officer__display_name"] or row["officer__username"],
            "enterprises": row["n"],
        }
        for row in assignments.values("officer_id", "officer__display_name", "officer__username")
        .annotate(n=Count("id"))
        .order_by("-n", "officer__username")[:10]
    ]
    return figures


def previous_quarter(today: date) -> str:
    quarter = (today.month - 1) // 3 + 1
    return f"{today.year - 1}Q4" if quarter == 1 else f"{today.year}Q{quarter - 1}"


def project_figures(scope: Scope, user, *, today: date) -> dict | None:
    """Key projects by stage, delayed and at risk now, and the latest quarterly ranking of parks."""
    if scope.department is not None:
        return None
    qs = Project.objects.all()
    if scope.park is not None:
        qs = qs.filter(park=scope.park)
    stages = [*STAGE_FLOW, Stage.SUSPENDED]
    figures = projects_with_status(qs, today=today).aggregate(
        total=Count("id"),
        delayed=Count("id", filter=Q(is_delayed=True)),
        at_risk=Count("id", filter=Q(is_delayed=False) & (Q(is_at_risk=True) | Q(missed_last_week=True))),
        **{f"stage_{stage}": Count("id", filter=Q(stage=stage)) for stage in stages},
    )
    figures["by_stage"] = [
        {"stage": stage, "label": str(Stage(stage).label), "count": figures.pop(f"stage_{stage}")}
        for stage in stages
    ]
    ranking = projects_ranking(user, quarter=previous_quarter(today), today=today)
    parks = [
        {
            "park": {"id": row["park"].pk, "name": row["name"]},
            "rank": row["rank"],
            "score": float(row["score"]),
            "projects": row["projects"],
        }
        for row in ranking["parks"]
    ]
    figures["ranking"] = {
        "quarter": ranking["quarter"],
        "parks": parks,
        "own": next((p for p in parks if scope.park and p["park"]["id"] == scope.park.pk), None),
        "weights": {k: float(v) for k, v in PROJECT_WEIGHTS.items()},
    }
    return figures


# --------------------------------------------------------------------------------------------------
# Comparisons: by park, by department, and the department scoreboard


def _by_park(sources: "Sources", parks) -> list[dict]:
    rows = []
    for park in [*parks, None]:
        park_id = park.pk if park else None
        scope_cells = [c for c in sources.services if c["kind"] != Kind.ITEM and c["park_id"] == park_id]
        services = _with_rates(_sum(scope_cells))
        ratings = _rating_totals([c for c in sources.ratings if c["park_id"] == park_id])
        rect = _rectification_totals([c for c in sources.rectifications if c["park_id"] == park_id])
        problems = tickets.by_park_rows(sources.tickets, park_id)
        if park is None and not (
            services["submitted"]
            or services["completed"]
            or ratings["total"]
            or problems["received"]
            or problems["open_now"]
        ):
            continue
        rows.append(
            {
                "park": {"id": park.pk, "name": park.name} if park else None,
                "tickets_received": problems["received"],
                "tickets_resolved": problems["resolved"],
                "resolution_rate": problems["resolution_rate"],
                "tickets_on_time_rate": problems["on_time_rate"],
                "tickets_overdue": problems["overdue_now"],
                "submitted": services["submitted"],
                "completed": services["completed"],
                "on_time_rate": services["on_time_rate"],
                "overdue_now": services["overdue_now"],
                "agency": services["agency"],
                "coverage": rate(services["rated"], services["completed"]),
                "ratings": ratings["total"],
                "bad": ratings["bad"],
                "satisfaction_rate": ratings["satisfaction_rate"],
                "rectifications_open": rect["open"],
                "rectifications_overdue": rect["overdue"],
            }
        )
    return rows


def _department_parts(department_id, sources: "Sources") -> dict:
    scope_cells = [
        c for c in sources.services if c["kind"] != Kind.BUNDLE and c["department_id"] == department_id
    ]
    return {
        "services": _with_rates(_sum(scope_cells)),
        "ratings": _rating_totals(
            [c for c in sources.ratings if c["handler_department_id"] == department_id]
        ),
        "rectifications": _rectification_totals(
            [c for c in sources.rectifications if c["department_id"] == department_id]
        ),
        "tickets": tickets.department_totals(sources.department_tickets.get(department_id)),
    }


def department_score(parts: dict) -> float | None:
    rates = {
        "whistle_report_on_time": parts["tickets"]["report_on_time_rate"],
        "whistle_answer_on_time": parts["tickets"]["answer_on_time_rate"],
        "service_on_time": parts["services"]["on_time_rate"],
        "satisfaction": parts["ratings"]["satisfaction_rate"],
        "rectification_on_time": parts["rectifications"]["on_time_rate"],
    }
    weighed = {k: v for k, v in rates.items() if v is not None}
    if not weighed:
        return None
    total_weight = sum(DEPARTMENT_WEIGHTS[k] for k in weighed)
    return round(sum(DEPARTMENT_WEIGHTS[k] * v for k, v in weighed.items()) * 100 / total_weight, 2)


def competition_ranks(rows: list[dict]) -> list[dict]:
    """Rank by score (1, 2, 2, 4: equal scores share a rank); rows without a score come last, unranked."""
    scored = sorted((r for r in rows if r["score"] is not None), key=lambda r: (-r["score"], r["name"]))
    for i, row in enumerate(scored):
        row["rank"] = scored[i - 1]["rank"] if i and row["score"] == scored[i - 1]["score"] else i + 1
    unscored = sorted((r for r in rows if r["score"] is None), key=lambda r: r["name"])
    for row in unscored:
        row["rank"] = None
    return scored + unscored


def _by_department(sources: "Sources", departments) -> list[dict]:
    rows = []
    for department in departments:
        parts = _department_parts(department.pk, sources)
        services, ratings, rect, problems = (
            parts["services"],
            parts["ratings"],
            parts["rectifications"],
            parts["tickets"],
        )
        if not (
            services["submitted"]
            or services["completed"]
            or services["open_now"]
            or ratings["total"]
            or rect["opened"]
            or rect["open"]
            or problems["received"]
            or problems["whistled"]
            or problems["pending_overdue"]
        ):
            continue
        rows.append(
            {
                "department": {"id": department.pk, "code": department.code, "name": department.name},
                "name": department.name,
                "tickets_received": problems["received"],
                "tickets_resolved": problems["resolved"],
                "resolution_rate": problems["resolution_rate"],
                "whistled": problems["whistled"],
                "report_on_time_rate": problems["report_on_time_rate"],
                "answer_on_time_rate": problems["answer_on_time_rate"],
                "whistles_overdue": problems["pending_overdue"],
                "noticed": problems["noticed"],
                "submitted": services["submitted"],
                "completed": services["completed"],
                "on_time_rate": services["on_time_rate"],
                "overdue_now": services["overdue_now"],
                "ratings": ratings["total"],
                "bad": ratings["bad"],
                "satisfaction_rate": ratings["satisfaction_rate"],
                "rectifications_due": rect["due"],
                "rectification_on_time_rate": rect["on_time_rate"],
                "rectifications_open": rect["open"],
                "rectifications_overdue": rect["overdue"],
                "score": department_score(parts),
            }
        )
    return competition_ranks(rows)


# --------------------------------------------------------------------------------------------------
# The summary


@dataclass(frozen=True)
class Sources:
    """The grouped rows every figure of a summary is summed from, and the days read live."""

    services: list
    ratings: list
    rectifications: list
    tickets: list
    department_tickets: dict
    dirty: rollup.Dirty


def dashboard_sources(period: Period, *, now, departments: bool = True) -> Sources:
    """The grouped rows of the whole zone, from the daily rollups (rollup.py) and what is open
    now; with the departments' whistles and meeting actions when `departments` (the zone's
    comparison and the department scoreboard need them)."""
    dirty = rollup.dirty_days(now)
    return Sources(
        services=_service_cells(period, now, dirty),
        ratings=rollup.read(facts.RATING, period, dirty, now),
        rectifications=_rectification_cells(period, now),
        tickets=tickets.ticket_cells(period, now, dirty),
        department_tickets=tickets.department_ticket_cells(period, now, dirty) if departments else {},
        dirty=dirty,
    )


def dashboard_summary(scope: Scope, period: Period, *, user, now=None) -> dict:
    """Every figure of a dashboard, for `scope` over `period` (see the module's docstring).

    A bounded number of queries: the same for the zone, a park and a department, and for ten or
    a million cases.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    compare_departments = scope.kind != "park"
    sources = dashboard_sources(period, now=now, departments=compare_departments)
    services = service_figures(scope, period, sources.services, now=now, dirty=sources.dirty)
    problems = tickets.ticket_figures(scope, period, sources.tickets, sources.department_tickets)
    problems["by_week"] = tickets.ticket_weeks(scope, period, now, sources.dirty)
    by_department = _by_department(sources, Department.objects.all()) if compare_departments else None
    projects = project_figures(scope, user, today=today)
    if projects is not None:
        projects["difficulties"] = tickets.project_difficulties(
            sources.tickets, scope.park.pk if scope.park else None
        )
    summary = {
        "period": {"from": period.first.isoformat(), "to": period.last.isoformat()},
        "scope": scope.as_dict(),
        "tickets": problems,
        "service_requests": services,
        "ratings": rating_figures(scope, sources.ratings, sources.rectifications, services["coverage"]),
        "enterprises": enterprise_figures(scope, today=today),
        "projects": projects,
        "by_park": _by_park(sources, Park.objects.all()) if scope.kind == "zone" else None,
        "by_department": by_department,
    }
    if scope.department is not None:
        own = next((r for r in by_department if r["department"]["id"] == scope.department.pk), None)
        summary["department_rank"] = {
            "rank": own["rank"] if own else None,
            "score": own["score"] if own else None,
            "of": sum(1 for r in by_department if r["rank"] is not None),
            "weights": DEPARTMENT_WEIGHTS,
        }
    return summary


def headline_figures(scope: Scope, period: Period, *, now=None) -> dict:
    """The few numbers of a home panel, for the scope: rollup reads and two counts of open cases."""
    now = now or timezone.now()
    dirty = rollup.dirty_days(now)

    def total(fact, names, where) -> dict:
        cells = rollup.read(fact, period, dirty, now, by=(), where=where)
        return {name: sum(cell[name] for cell in cells) for name in names}

    where = _request_where(scope)
    figures = {
        **total(facts.REQUEST_SUBMITTED, ("submitted",), where),
        **total(facts.REQUEST_CLOSED, ("completed", "on_time"), where),
        "overdue_now": service_cases(scope).filter(sla_state_q(SlaState.OVERDUE, now)).count(),
    }
    if scope.department is not None:
        cohort = total(facts.DEPT_TICKET, ("received", "resolved"), {"department_id": {scope.department.pk}})
    else:
        cohort = total(
            facts.TICKET, ("received", "resolved"), {"park_id": {scope.park.pk}} if scope.park else {}
        )
    overdue = tickets.open_conditions(now)["overdue_now"]
    problems = {**cohort, "overdue_now": tickets.tickets_in_scope(scope).filter(overdue).count()}
    problems["resolution_rate"] = rate(problems["resolved"], problems["received"])
    return {"requests": _with_rates(figures), "tickets": problems}


def public_figures(period: Period, *, now=None) -> dict:
    """The zone's figures anyone may read: aggregates only, picked field by field so that no
    enterprise, person or case number can reach the public page."""
    now = now or timezone.now()
    scope = Scope()
    sources = dashboard_sources(period, now=now, departments=False)
    services = service_figures(scope, period, sources.services, now=now, dirty=sources.dirty)
    problems = tickets.ticket_figures(scope, period, sources.tickets, {})
    ratings = _rating_totals(sources.ratings)
    return {
        "period": {"from": period.first.isoformat(), "to": period.last.isoformat()},
        "tickets": {
            "received": problems["received"],
            "resolved": problems["resolved"],
            "resolution_rate": problems["resolution_rate"],
            "on_time_rate": problems["on_time_rate"],
            "response_rate": problems["response_rate"],
            "satisfaction_rate": problems["satisfaction_rate"],
        },
        "service_requests": {
            "submitted": services["submitted"],
            "completed": services["completed"],
            "on_time_rate": services["on_time_rate"],
            "coverage": services["coverage"]["rate"],
            "bundles_rate": services["bundles"]["rate"],
            "by_service": [
                {
                    "service": row["service"]["name"],
                    "limit": row["service"]["limit"],
                    "completed": row["completed"],
                    "on_time_rate": row["on_time_rate"],
                    "median_hours": row["median_hours"],
                }
                for row in services["by_service"]
                if row["completed"]
            ],
        },
        "ratings": {
            "counts": ratings["counts"],
            "total": ratings["total"],
            "satisfaction_rate": ratings["satisfaction_rate"],
        },
    }
