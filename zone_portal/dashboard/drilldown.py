"""The cases behind each figure: every dashboard number links to one of these lists.

Each metric names its source (requests, ratings, rectifications, enterprises) and the condition it
counts, taken from the same definitions as the summary (`selectors`), so a list always has exactly
as many rows as the figure that links to it (tests check this).
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from enterprises.models import CsoAssignment, Enterprise
from feedback.models import Whistle
from zone_portal.ratings.models import Rating, Rectification

from . import tickets
from .selectors import rectification_conditions, service_cases, service_conditions


@dataclass(frozen=True)
class Metric:
    label: str
    source: str  # requests | bundles | ratings | rectifications | enterprises
    condition: str = ""  # the key of the condition in the source's conditions


METRICS: dict[str, Metric] = {
    "tickets-received": Metric(_("Problems received"), "tickets", "received"),
    "tickets-resolved": Metric(_("Problems resolved"), "tickets", "resolved"),
    "tickets-unresolved": Metric(_("Problems received and not resolved"), "tickets", "unresolved"),
    "tickets-late": Metric(_("Problems resolved after a deadline passed"), "tickets", "late"),
    "tickets-not-responded": Metric(_("Problems without a first response"), "tickets", "not_responded"),
    "tickets-unsatisfied": Metric(_("Problems rated below basically satisfied"), "tickets", "unsatisfied"),
    "tickets-reopened": Metric(_("Problems reopened"), "tickets", "reopened"),
    "tickets-overdue": Metric(_("Problems overdue now"), "tickets", "overdue_now"),
    "tickets-open": Metric(_("Problems open now"), "tickets", "open_now"),
    "whistles": Metric(_("Whistles to departments"), "whistles", "whistled"),
    "whistles-reported-late": Metric(_("Whistles reported late"), "whistles", "reported_late"),
    "whistles-answered-late": Metric(_("Whistles answered late"), "whistles", "answered_late"),
    "whistles-noticed": Metric(_("Whistles under public notice"), "whistles", "noticed"),
    "whistles-overdue": Metric(_("Whistles overdue now"), "whistles", "pending_overdue"),
    "requests-submitted": Metric(_("Requests submitted"), "requests", "submitted"),
    "requests-completed": Metric(_("Requests completed"), "requests", "completed"),
    "requests-on-time": Metric(_("Requests completed on time"), "requests", "on_time"),
    "requests-late": Metric(_("Requests completed late"), "requests", "late"),
    "requests-unrated": Metric(_("Completed requests not rated"), "requests", "unrated"),
    "requests-agency": Metric(_("Help and agency requests"), "requests", "agency"),
    "requests-rejected": Metric(_("Requests rejected"), "requests", "rejected"),
    "requests-overdue": Metric(_("Requests overdue now"), "requests", "overdue_now"),
    "requests-open": Metric(_("Requests open now"), "requests", "open_now"),
    "bundles-completed": Metric(_("Bundles completed"), "bundles", "completed"),
    "bundles-late": Metric(_("Bundles completed beyond their limit"), "bundles", "late"),
    "ratings": Metric(_("Ratings"), "ratings", "in_period"),
    "ratings-bad": Metric(_("Bad reviews"), "ratings", "bad"),
    "rectifications-opened": Metric(_("Rectifications opened"), "rectifications", "opened"),
    "rectifications-open": Metric(_("Rectifications open now"), "rectifications", "open"),
    "rectifications-overdue": Metric(_("Rectifications overdue now"), "rectifications", "overdue"),
    "rectifications-late": Metric(
        _("Rectifications not replied by their deadline"), "rectifications", "late"
    ),
    "enterprises-patents": Metric(_("Enterprises holding patents"), "enterprises", "patents"),
}


def drilldown_rows(
    metric: Metric,
    scope,
    period,
    *,
    now,
    service=None,
    score=None,
    tier=None,
    project=False,
    without_park=False,
):
    """The queryset behind `metric` for `scope` and `period` (not yet paginated)."""
    if metric.source == "tickets":
        qs = tickets.tickets_in_scope(scope).filter(tickets.ticket_conditions(period, now)[metric.condition])
        if tier is not None:
            qs = qs.filter(tier=tier)
        if project:
            qs = qs.filter(project__isnull=False)
        if without_park and scope.kind == "zone":
            qs = qs.filter(park__isnull=True)
        return qs.select_related("enterprise", "park", "owner").order_by("due_at", "-created_at", "-id")
    if metric.source == "whistles":
        qs = Whistle.objects.filter(tickets.whistle_conditions(period, now)[metric.condition])
        if scope.department is not None:
            qs = qs.filter(department=scope.department)
        elif scope.park is not None:
            qs = qs.filter(ticket__park=scope.park)
        return qs.select_related("ticket", "department").order_by("-whistled_at", "-id")
    if metric.source in ("requests", "bundles"):
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
    if metric.source == "ratings":
        qs = Rating.objects.filter(created_at__gte=period.start, created_at__lt=period.end)
        if scope.department is not None:
            qs = qs.filter(handler_department=scope.department)
        elif scope.park is not None:
            qs = qs.filter(enterprise__park=scope.park)
        if metric.condition == "bad":
            qs = qs.filter(score__lte=2)
        if score is not None:
            qs = qs.filter(score=score)
        return qs.select_related("enterprise", "handler_department").order_by("-created_at", "-id")
    if metric.source == "rectifications":
        conditions = rectification_conditions(period, now)
        qs = Rectification.objects.filter(conditions[metric.condition])
        if scope.department is not None:
            qs = qs.filter(department=scope.department)
        elif scope.park is not None:
            qs = qs.filter(rating__enterprise__park=scope.park)
        return qs.select_related("rating", "rating__enterprise", "department").order_by("fix_due_at", "id")
    if metric.source == "enterprises":
        qs = Enterprise.objects.filter(status=Enterprise.Status.ACTIVE, patents__gt=0)
        if scope.park is not None:
            qs = qs.filter(park=scope.park)
        has_officer = Exists(CsoAssignment.objects.filter(enterprise=OuterRef("pk"), ended_at=None))
        return qs.select_related("park").annotate(has_officer=has_officer).order_by("-patents", "name_pinyin")
    raise ValueError(metric.source)
