"""The safety section of the dashboards: inspections recorded in the period, hazards found and
closed in it, and what is open now by severity, overdue and awaiting re-inspection; zone, park and
the bureau's department scope, with the same figures by park. Two grouped queries (inspections by
park, hazards by park) whatever the number of cases; the zone's figures are the parks' sums.
Counted live (no rollup): open hazards are few and the partial indexes keep the reads small."""

from django.db.models import Count, Q

from zone_portal.dashboard.facts import counts_sum
from zone_portal.dashboard.parts import Part, part_register
from zone_portal.dashboard.scope import Scope
from zone_portal.org.models import Park

from .models import Hazard, HazardStatus, Inspection, InspectionStatus, Severity
from .selectors import bureau_department

FIELDS = (
    "inspections",
    "unannounced",
    "found",
    "closed",
    "open_general",
    "open_major",
    "overdue",
    "awaiting_reinspection",
)


def _read(reading) -> dict:
    """{park id: {field: count}} for the period (and now), from two grouped queries."""
    if "safety" in reading.rows:
        return reading.rows["safety"]
    period, now = reading.period, reading.now
    in_period = period.at_times("inspected_at") & Q(status=InspectionStatus.RECORDED)
    by_park: dict = {}
    for row in (
        Inspection.objects.filter(in_period)
        .values("enterprise__park_id")
        .annotate(inspections=Count("id"), unannounced=Count("id", filter=Q(unannounced=True)))
        .order_by()
    ):
        by_park.setdefault(row.pop("enterprise__park_id"), {}).update(row)
    open_ = Q(status__in=(HazardStatus.OPEN, HazardStatus.REPORTED))
    found, closed = period.at_times("found_at"), period.at_times("closed_at")
    for row in (
        Hazard.objects.filter(open_ | found | closed)
        .values("enterprise__park_id")
        .annotate(
            found=Count("id", filter=found),
            closed=Count("id", filter=closed & Q(status=HazardStatus.CLOSED)),
            open_general=Count("id", filter=open_ & Q(severity=Severity.GENERAL)),
            open_major=Count("id", filter=open_ & Q(severity=Severity.MAJOR)),
            overdue=Count("id", filter=Q(status=HazardStatus.OPEN, due_at__lte=now)),
            awaiting_reinspection=Count("id", filter=Q(status=HazardStatus.REPORTED)),
        )
        .order_by()
    ):
        by_park.setdefault(row.pop("enterprise__park_id"), {}).update(row)
    reading.rows["safety"] = by_park
    return by_park


def _sum(rows) -> dict:
    return counts_sum(rows, FIELDS)


def safety_figures(scope: Scope, reading) -> dict | None:
    if scope.department is not None:
        bureau = bureau_department()
        if bureau is None or scope.department.pk != bureau.pk:
            return None
    by_park = _read(reading)
    if scope.park is not None:
        return {**_sum([by_park.get(scope.park.pk, {})]), "by_park": None}
    parks = [
        {"park": {"id": park_id, "name": name}, **_sum([by_park.get(park_id, {})])}
        for park_id, name in Park.objects.order_by("order", "pk").values_list("id", "name")
    ]
    figures = _sum(by_park.values())
    figures["by_park"] = parks
    return figures


part_register(Part(name="safety", order=60, figures=safety_figures, template="safety/_dashboard.html"))
