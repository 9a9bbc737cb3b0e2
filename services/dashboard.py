"""What the one-stop services count on the dashboards: their facts, their section (requests), their
drill-downs. Imported by the dashboard's AppConfig. (The good/bad ratings and rectifications are
the ratings piece's section: `zone_portal/ratings/dashboard.py`.)

Definitions (also written in the README):
- A **filing** is what an applicant filed: a standalone request or a bundle (一件事), counted once.
  The zone and the parks count filings; a **department** counts the requests it handles (standalone
  requests and the items of bundles), so a licence issued inside a start-up bundle counts for the
  market regulation bureau.
- **Submitted**: filed in the period. **Completed**: completed in the period. **On time**: completed
  no later than its due moment (the clock runs on working time and stops during supplements).
- **Coverage**: completed filings of the period that were rated ÷ completed filings of the period.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.db.models.signals import pre_delete, pre_save
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from zone_portal.cases.lateness import Lateness
from zone_portal.dashboard import rollup
from zone_portal.dashboard.drilldown import Metric, Source, drilldown_register
from zone_portal.dashboard.exports import NO_RATE, rate_cell
from zone_portal.dashboard.facts import (
    CASE,
    Fact,
    changes_register,
    counts_sum,
    day_filter,
    fact_register,
    merge_cells,
)
from zone_portal.dashboard.parts import Part, Weight, part_register
from zone_portal.dashboard.rates import rate
from zone_portal.dashboard.scope import Scope
from zone_portal.dashboard.weeks import WeeklyTrend
from zone_portal.dashboard.workclock import handling_cells, handling_sql, histogram_median
from zone_portal.org.models import Department
from zone_portal.ratings.dashboard import rating_deletions_mark, ratings_changed
from zone_portal.ratings.selectors import rated
from zone_portal.worktime.calendar import get_calendar

from .models import (
    FINAL_STATUSES,
    LimitUnit,
    RequestStatus,
    ServiceItem,
    ServiceRequest,
    sla_state_q,
)

# --------------------------------------------------------------------------------------------------
# Facts


class Kind:
    """How a request row counts: a standalone filing, a bundle filing, or an item of a bundle."""

    SINGLE = 0
    BUNDLE = 1
    ITEM = 2


def kind_expression():
    return Case(
        When(parent__isnull=False, then=Value(Kind.ITEM)),
        When(is_bundle=True, then=Value(Kind.BUNDLE)),
        default=Value(Kind.SINGLE),
        output_field=IntegerField(),
    )


def _requests():
    return ServiceRequest.objects.annotate(kind=kind_expression(), park_id=F("enterprise__park_id"))


def _completed_requests():
    return _requests().filter(
        status=RequestStatus.COMPLETED, accepted_at__isnull=False, closed_at__isnull=False
    )


def request_filed_state() -> dict:
    """What counts of a request on the day it was filed (None: every request)."""
    return {
        "submitted": None,
        "agency": Q(agent__isnull=False),
        # asked for a supplement more than once (二次补正): the one-time notice was not complete
        "second_supplement": Q(supplement_rounds__gte=2),
    }


def request_closed_state() -> dict:
    """What counts of a request on the day it was closed, as it stands now."""
    completed = Q(status=RequestStatus.COMPLETED)
    return {
        "completed": completed,
        "on_time": completed & Q(closed_at__lte=F("due_at")),
        "late": completed & Q(closed_at__gt=F("due_at")),
        "rated": completed & Q(rated(ServiceRequest)),
        "rejected": Q(status=RequestStatus.REJECTED),
    }


@dataclass(frozen=True)
class HandlingFact:
    """Completed requests by closing day and key, and by their handling time in whole working
    minutes (`minutes` is the last key): the medians are read from these histograms."""

    name: str
    keys: tuple[str, ...] = ("service_id", "department_id", "park_id", "kind", "minutes")
    counts: tuple[str, ...] = ("n",)
    anchor: str = "closed_at"

    def cells(self, days, now) -> list[dict]:
        days = sorted(set(days)) if days is not None else None
        rows = day_filter(_completed_requests(), "closed_at", days)
        return handling_cells(rows, keys=self.keys[:-1], days=days)

    def case_cells(self, now, *, cases=None) -> list[dict]:
        """Per request (the case is its id: one row of one request each)."""
        rows = _completed_requests()
        if cases is not None:
            rows = rows.filter(pk__in=list(cases))
        cells = handling_cells(rows, keys=("id", *self.keys[:-1]))
        return [{CASE: cell.pop("id"), **cell} for cell in cells]

    def case_sql(self, now) -> tuple[str, list] | None:
        """`case_cells` as one statement for the rollup's INSERT … SELECT (see facts.Fact.case_sql)."""
        if connection.vendor != "postgresql":
            return None
        statement = handling_sql(_completed_requests(), keys=("id", *self.keys[:-1]), grouped=False)
        if statement is None:
            return "SELECT NULL::date, 0, 0, 0, 0, 0, 0, 0, NULL::timestamptz WHERE false", []
        return f"SELECT *, NULL::timestamptz FROM ({statement[0]}) AS h", statement[1]


REQUEST_KEYS = ("service_id", "department_id", "park_id", "kind")
REQUEST_SUBMITTED = Fact(
    name="request_submitted",
    anchor="submitted_at",
    keys=REQUEST_KEYS,
    source=_requests,
    conditions=lambda now: request_filed_state(),
)
REQUEST_CLOSED = Fact(
    name="request_closed",
    anchor="closed_at",
    keys=REQUEST_KEYS,
    source=lambda: _requests().filter(status__in=(RequestStatus.COMPLETED, RequestStatus.REJECTED)),
    conditions=lambda now: request_closed_state(),
)
HANDLING = HandlingFact(name="handling")
REQUEST_FACTS = ("request_submitted", "request_closed", "handling")


def _touched(since, touched) -> None:
    """Requests changed (or rated) since. Two queries."""
    touched.add(
        REQUEST_FACTS, *ServiceRequest.objects.filter(updated_at__gt=since).values_list("pk", flat=True)
    )
    touched.add(REQUEST_FACTS, *ratings_changed(ServiceRequest, since).values_list("object_id", flat=True))


# What no `updated_at` tells: a request deleted, its rating deleted, its enterprise moving park.


def _request_deleting(sender, instance, **kwargs):
    rollup.mark(REQUEST_FACTS, instance.pk)


def _enterprise_saving(sender, instance, **kwargs):
    """Requests are counted under their enterprise's park: a move recounts them."""
    if rollup.park_moved(sender, instance, kwargs.get("update_fields")):
        cases = ServiceRequest.objects.filter(enterprise=instance).values_list("pk", flat=True)
        rollup.mark(REQUEST_FACTS, *cases)


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


def service_conditions(period, now) -> dict[str, Q]:
    """The counted conditions on a request over a period (the facts', bounded by the period's
    filing or closing days) and at `now`."""
    filed = period.at_times("submitted_at")
    closed = period.at_times("closed_at")
    conditions = {
        name: filed if state is None else filed & state for name, state in request_filed_state().items()
    }
    conditions.update({name: closed & state for name, state in request_closed_state().items()})
    conditions["overdue_now"] = sla_state_q(Lateness.OVERDUE, now)
    conditions["open_now"] = Q(status__in=OPEN_REQUEST_STATUSES)
    return conditions


OPEN_REQUEST_STATUSES = tuple(status for status in RequestStatus if status not in FINAL_STATUSES)

SERVICE_COUNTS = (
    "submitted",
    "agency",
    "second_supplement",
    "completed",
    "on_time",
    "late",
    "rated",
    "rejected",
    "overdue_now",
    "open_now",
)


def _service_cells(period, now, dirty, *, departments=True) -> list[dict]:
    """Requests by (service, department, park, kind) over the zone: filed and closed in the period
    (rollups), and open now (one query)."""
    open_now = (
        ServiceRequest.objects.filter(status__in=OPEN_REQUEST_STATUSES)
        .annotate(kind=kind_expression(), park_id=F("enterprise__park_id"))
        .values(*REQUEST_KEYS)
        .annotate(
            overdue_now=Count("id", filter=sla_state_q(Lateness.OVERDUE, now)),
            open_now=Count("id"),
        )
        .order_by()
    )
    return merge_cells(
        [
            rollup.read(REQUEST_SUBMITTED, period, dirty, now),
            rollup.read(REQUEST_CLOSED, period, dirty, now),
            list(open_now),
        ],
        REQUEST_KEYS,
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
    return counts_sum(cells, names)


def _with_rates(totals: dict) -> dict:
    totals["on_time_rate"] = rate(totals["on_time"], totals["completed"])
    return totals


def _limit_seconds(item: ServiceItem) -> float | None:
    if item.limit_unit == LimitUnit.WORKING_HOURS:
        return float(item.limit_amount) * 3600
    if item.limit_unit == LimitUnit.WORKING_DAYS:
        return float(item.limit_amount) * get_calendar().day_length.total_seconds()
    return None  # same working day: the limit depends on the hour the clock starts


def _service_weeks(scope: Scope, period, now, dirty) -> list[dict]:
    """Submitted and completed per week (Monday) of the period, for the trend chart."""
    counted = ((REQUEST_SUBMITTED, "submitted"), (REQUEST_CLOSED, "completed"))
    return rollup.weekly(counted, period, dirty, now, where=_request_where(scope))


def _handling_medians(scope: Scope, period, now, dirty) -> dict[tuple, float]:
    """Median handling time in working seconds per (service, department) of the scope's
    completed requests, from the per-minute counts."""
    histograms: dict[tuple, dict[int, int]] = defaultdict(dict)
    rows = rollup.read(
        HANDLING,
        period,
        dirty,
        now,
        by=("service_id", "department_id", "minutes"),
        where=_request_where(scope),
    )
    for row in rows:
        histograms[(row["service_id"], row["department_id"])][row["minutes"]] = row["n"]
    return {key: histogram_median(counts) * 60 for key, counts in histograms.items()}


def service_figures(scope: Scope, reading) -> dict:
    """The one-stop service part of a summary."""
    period, now, dirty = reading.period, reading.now, reading.dirty
    mine = [cell for cell in reading.rows["service_requests"] if _cell_in_scope(cell, scope)]
    totals = _with_rates(_sum(mine))
    rateable = [cell for cell in mine if cell["kind"] != Kind.ITEM]
    rated_, rateable_completed = (
        _sum(rateable, ("rated",))["rated"],
        _sum(rateable, ("completed",))["completed"],
    )
    totals["coverage"] = {
        "rated": rated_,
        "completed": rateable_completed,
        "rate": rate(rated_, rateable_completed),
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


def _service_columns(services: dict) -> dict:
    """The request columns a park's and a department's row both show."""
    return {
        "submitted": services["submitted"],
        "completed": services["completed"],
        "on_time_rate": services["on_time_rate"],
        "overdue_now": services["overdue_now"],
    }


def _service_park_columns(park_id, reading) -> tuple[dict, bool]:
    cells = [
        c for c in reading.rows["service_requests"] if c["kind"] != Kind.ITEM and c["park_id"] == park_id
    ]
    services = _with_rates(_sum(cells))
    columns = _service_columns(services) | {
        "agency": services["agency"],
        "coverage": rate(services["rated"], services["completed"]),
    }
    return columns, bool(services["submitted"] or services["completed"])


def _service_department_columns(department_id, reading) -> tuple[dict, dict, bool]:
    cells = [
        c
        for c in reading.rows["service_requests"]
        if c["kind"] != Kind.BUNDLE and c["department_id"] == department_id
    ]
    services = _with_rates(_sum(cells))
    columns = _service_columns(services)
    has_cases = bool(services["submitted"] or services["completed"] or services["open_now"])
    return columns, {"service_on_time": services["on_time_rate"]}, has_cases


def _service_public(reading) -> dict:
    services = service_figures(Scope(), reading)
    return {
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
    }


def _service_headline(scope: Scope, period, now, dirty) -> dict:
    where = _request_where(scope)
    figures = {
        **rollup.totals(REQUEST_SUBMITTED, ("submitted",), period, dirty, now, where=where),
        **rollup.totals(REQUEST_CLOSED, ("completed", "on_time"), period, dirty, now, where=where),
        "overdue_now": service_cases(scope).filter(sla_state_q(Lateness.OVERDUE, now)).count(),
    }
    return {"requests": _with_rates(figures)}


# --------------------------------------------------------------------------------------------------
# Drill-downs


def _request_rows(metric, scope, period, *, now, service=None, without_park=False, **filters):
    conditions = service_conditions(period, now)
    conditions["unrated"] = conditions["completed"] & ~conditions["rated"]
    qs = service_cases(scope).filter(conditions[metric.condition])
    if metric.source == "bundles":
        qs = qs.filter(is_bundle=True)
    elif metric.condition == "unrated" and scope.department is not None:
        qs = qs.filter(parent=None)  # bundle items are rated with their bundle
    if service is not None:
        qs = qs.filter(service_id=service)
    if without_park and scope.kind == "zone":
        qs = qs.filter(enterprise__isnull=True)
    return qs.select_related("service", "department", "enterprise").order_by("-submitted_at", "-id")


METRICS = {
    "requests-submitted": Metric(_("Requests submitted"), "requests", "submitted"),
    "requests-completed": Metric(_("Requests completed"), "requests", "completed"),
    "requests-on-time": Metric(_("Requests completed on time"), "requests", "on_time"),
    "requests-late": Metric(_("Requests completed late"), "requests", "late"),
    "requests-unrated": Metric(_("Completed requests not rated"), "requests", "unrated"),
    "requests-agency": Metric(_("Help and agency requests"), "requests", "agency"),
    "requests-second-supplement": Metric(
        _("Requests asked for a supplement a second time"), "requests", "second_supplement"
    ),
    "requests-rejected": Metric(_("Requests rejected"), "requests", "rejected"),
    "requests-overdue": Metric(_("Requests overdue now"), "requests", "overdue_now"),
    "requests-open": Metric(_("Requests open now"), "requests", "open_now"),
    "bundles-completed": Metric(_("Bundles completed"), "bundles", "completed"),
    "bundles-late": Metric(_("Bundles completed beyond their limit"), "bundles", "late"),
}


# --------------------------------------------------------------------------------------------------
# The page's chart and rates, the export's rows and sheets


# The page's chart of the weeks, its table and the export's sheet (`_service_weeks`' counts).
TREND = WeeklyTrend(
    part="service_requests",
    chart="trend",
    title=_("Requests submitted and completed by week"),
    sheet_title=_("Requests by week"),
    series=((_("Submitted"), "submitted"), (_("Completed"), "completed")),
)


def _rates(services) -> list[tuple]:
    """The bundles' rate right after the problems' resolution rate (10), the others after theirs."""
    rows = [
        (20, _("Requests completed on time"), services["on_time_rate"], "requests-late"),
        (20, _("Rating coverage of requests"), services["coverage"]["rate"], "requests-unrated"),
    ]
    if services["bundles"] is not None:
        rows.insert(
            0, (11, _("Start-up bundles within their limit"), services["bundles"]["rate"], "bundles-late")
        )
    return rows


def _overview(services, scope) -> list[tuple]:
    """After the problems' rows in the export's overview; the bundles' after the ratings' (30)."""
    rows = [
        (20, _("Requests submitted"), services["submitted"]),
        (20, _("Requests completed"), services["completed"]),
        (20, _("Requests completed on time"), services["on_time"]),
        (20, _("On-time rate"), rate_cell(services["on_time_rate"])),
        (20, _("Help and agency requests"), services["agency"]),
        (20, _("Requests asked for a supplement a second time"), services.get("second_supplement", 0)),
        (20, _("Requests overdue now"), services["overdue_now"]),
        (20, _("Rating coverage of requests"), rate_cell(services["coverage"]["rate"])),
    ]
    if services["bundles"] is not None:
        rows += [
            (31, _("Start-up bundles completed"), services["bundles"]["completed"]),
            (31, _("Start-up bundles within their limit"), rate_cell(services["bundles"]["rate"])),
        ]
    return rows


def _sheets(services) -> list[tuple]:
    """The requests by service first after the overview (5), the weekly counts after the problems'."""
    by_service = [
        [
            row["service"]["name"],
            row["department"]["name"],
            row["service"]["limit"],
            row["submitted"],
            row["completed"],
            row["on_time"],
            rate_cell(row["on_time_rate"]),
            row["median_hours"] if row["median_hours"] is not None else NO_RATE,
            row["agency"],
            row["overdue_now"],
        ]
        for row in services["by_service"]
    ]
    headers = [
        _("Service"),
        _("Department"),
        _("Promised time limit"),
        _("Submitted"),
        _("Completed"),
        _("Completed on time"),
        _("On-time rate"),
        _("Median handling time (working hours)"),
        _("Help and agency"),
        _("Overdue now"),
    ]
    return [(5, _("Requests by service"), headers, by_service), TREND.sheet(20, services)]


# --------------------------------------------------------------------------------------------------
# Registration

fact_register(REQUEST_SUBMITTED, REQUEST_CLOSED, HANDLING)
changes_register(_touched)
pre_delete.connect(_request_deleting, sender=ServiceRequest, dispatch_uid="rollup_request_deleting")
# A request's rating counts in its closing day's `rated`.
rating_deletions_mark(ServiceRequest, REQUEST_FACTS)
pre_save.connect(_enterprise_saving, sender=Enterprise, dispatch_uid="rollup_enterprise_saving")
part_register(
    Part(
        name="service_requests",
        order=20,
        template="services/_dashboard.html",
        read=_service_cells,
        figures=service_figures,
        park_columns=_service_park_columns,
        department_columns=_service_department_columns,
        weights={"service_on_time": Weight(25, _("requests completed on time"))},
        public=_service_public,
        headline=_service_headline,
        page=TREND.page,
        rates=_rates,
        overview=_overview,
        sheets=_sheets,
    )
)
drilldown_register(
    {
        "requests": Source(_request_rows, "services/_drill_requests.html"),
        "bundles": Source(_request_rows, "services/_drill_requests.html"),
    },
    METRICS,
)
