"""Every read of supervision: scoping (`*_visible_to`, `<entity>_for`), the figures the portal
measures an indicator with, the quarterly ranking and the aggregates of the public page."""

from datetime import date

from django.db.models import Count, F, Q
from django.utils import timezone

from zone_portal.access import get_visible_or_404
from zone_portal.access.scopes import acting_department_ids, acting_park_ids
from zone_portal.accounts.roles import Role
from zone_portal.filters import filter_given
from zone_portal.org.models import Department, Park

from .models import (
    CLOCK_RUNNING,
    Indicator,
    IndicatorEntry,
    IndicatorResult,
    Observation,
    ObservationPhoto,
    ObservationStatus,
    RankingWeight,
    SupervisionSettings,
    Supervisor,
)
from .scoring import owner_score

_SEE_ALL = (Role.ADMIN, Role.LEADER)


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _sees_all(user) -> bool:
    return user.is_zone_admin or user.has_role(*_SEE_ALL)


def supervision_settings() -> SupervisionSettings:
    return SupervisionSettings.current()


def ranking_weight_overrides() -> dict[str, int]:
    """The administrators' weights of the 四比四看 score (one query), by part."""
    return dict(RankingWeight.objects.values_list("part", "weight"))


# --------------------------------------------------------------------------------------------------
# Roster and observations


def supervisors_visible_to(user):
    qs = Supervisor.objects.select_related("user")
    if not _authenticated(user):
        return qs.none()
    if _sees_all(user):
        return qs
    return qs.filter(user=user)


def supervisor_for(user, pk) -> Supervisor:
    return get_visible_or_404(supervisors_visible_to(user), pk)


def observations_visible_to(user):
    """Administrators and leaders read every observation; a supervisor their own; the service
    center's clerks those without a department, a department's officers and clerks those assigned
    to it; a park's staff those made in their park."""
    qs = Observation.objects.select_related("department", "park", "enterprise", "supervisor")
    if not _authenticated(user):
        return qs.none()
    if _sees_all(user):
        return qs
    scope = Q(supervisor=user)
    if user.has_role(Role.CLERK):
        scope |= Q(department=None)
    if departments := acting_department_ids(user):
        scope |= Q(department_id__in=departments)
    if parks := acting_park_ids(user):
        scope |= Q(park_id__in=parks)
    return qs.filter(scope)


def observation_for(user, pk) -> Observation:
    return get_visible_or_404(observations_visible_to(user), pk)


def observation_list(user, *, status: str = "", mine: bool = False):
    return filter_given(
        observations_visible_to(user), status=status, supervisor=user if mine else None
    ).order_by("-created_at", "-id")


def observation_counts(period=None, *, now=None) -> dict:
    """The public aggregate of observations filed in `period` (all of them without one): filed,
    fixed at once, tracked, rectified, overdue now (one query). Nothing personal."""
    now = now or timezone.now()
    qs = Observation.objects.all()
    if period is not None:
        qs = qs.filter(period.at_times("created_at"))
    counts = qs.aggregate(
        n_filed=Count("id"),
        n_fixed_at_once=Count("id", filter=Q(fixed_at_once=True)),
        n_tracked=Count("id", filter=Q(answered_at__isnull=False, fixed_at_once=False)),
        n_rectified=Count("id", filter=Q(status=ObservationStatus.RESOLVED)),
        n_awaiting_answer=Count("id", filter=Q(status=ObservationStatus.SUBMITTED)),
        n_overdue=Count("id", filter=Q(status__in=CLOCK_RUNNING, due_at__lte=now)),
    )
    return {key[2:]: value for key, value in counts.items()}


# --------------------------------------------------------------------------------------------------
# Indicators


def _owner_scope(user, prefix: str = "") -> Q | None:
    if _sees_all(user):
        return None
    scope = Q(pk__in=[])
    if departments := acting_department_ids(user):
        scope |= Q(**{f"{prefix}department_id__in": departments})
    if parks := acting_park_ids(user):
        scope |= Q(**{f"{prefix}park_id__in": parks})
    return scope


def indicators_visible_to(user):
    qs = Indicator.objects.select_related("department", "park")
    if not _authenticated(user):
        return qs.none()
    scope = _owner_scope(user)
    return qs if scope is None else qs.filter(scope)


def indicator_for(user, pk) -> Indicator:
    return get_visible_or_404(indicators_visible_to(user), pk)


def indicator_entries_visible_to(user):
    qs = IndicatorEntry.objects.select_related(
        "indicator", "indicator__department", "indicator__park", "entered_by"
    )
    if not _authenticated(user):
        return qs.none()
    scope = _owner_scope(user, "indicator__")
    if scope is None:
        return qs
    return qs.filter(Q(pk__in=[]) | scope)


def indicator_entry_for(user, pk) -> IndicatorEntry:
    return get_visible_or_404(indicator_entries_visible_to(user), pk)


def entries_to_confirm():
    return IndicatorEntry.objects.filter(status="entered").select_related(
        "indicator", "indicator__department", "indicator__park", "entered_by"
    )


def quarter_months(quarter: int) -> list[int]:
    return [3 * (quarter - 1) + i for i in (1, 2, 3)]


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    first = date(year, 3 * (quarter - 1) + 1, 1)
    last = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, last.fromordinal(last.toordinal() - 1)


def owner_scores(year: int, quarter: int) -> dict:
    """{("department"|"park", id): score} of one quarter, from the stored results (one query)."""
    by_owner: dict = {}
    for department_id, park_id, weight, points_, attained in IndicatorResult.objects.filter(
        indicator__year=year, quarter=quarter
    ).values_list(
        "indicator__department_id", "indicator__park_id", "indicator__weight", "points", "attainment"
    ):
        key = ("department", department_id) if department_id else ("park", park_id)
        by_owner.setdefault(key, []).append((weight, points_, attained))
    return {key: owner_score(rows) for key, rows in by_owner.items()}


def ranking(year: int, quarter: int) -> dict:
    """The quarter's indicator scores: every department and park with indicators, each with its
    score and rank (equal scores share a rank), from the stored results (three queries)."""
    from zone_portal.dashboard.selectors import competition_ranks

    scores = owner_scores(year, quarter)
    departments = Department.objects.filter(pk__in=[k[1] for k in scores if k[0] == "department"])
    parks = Park.objects.filter(pk__in=[k[1] for k in scores if k[0] == "park"])
    return {
        "year": year,
        "quarter": quarter,
        "departments": competition_ranks(
            [{"id": d.pk, "name": d.name, "score": scores[("department", d.pk)]} for d in departments]
        ),
        "parks": competition_ranks(
            [{"id": p.pk, "name": p.name, "score": scores[("park", p.pk)]} for p in parks]
        ),
    }


def scored_quarters() -> list[tuple[int, int]]:
    """(year, quarter) with results, latest first."""
    return list(
        IndicatorResult.objects.values_list("indicator__year", "quarter")
        .distinct()
        .order_by("-indicator__year", "-quarter")
    )


def _shares(rows) -> dict[int, float]:
    return {r["key"]: round(r["good"] * 100 / r["total"], 2) for r in rows if r["total"]}


def action_items_done_on_time(start, end) -> dict[int, float]:
    """Per department: the share (%) of the joint meetings' action items due in [start, end) that
    were done by their due date (one query on the feedback app's rows)."""
    from feedback.models import ActionItem

    rows = (
        ActionItem.objects.filter(due_at__gte=start, due_at__lt=end)
        .values(key=F("department_id"))
        .annotate(
            total=Count("id"), good=Count("id", filter=Q(done_at__isnull=False, done_at__lte=F("due_at")))
        )
    )
    return _shares(rows)


def observations_rectified_on_time(start, end) -> dict[int, float]:
    """Per department: the share (%) of the observations tracked with a deadline in [start, end)
    that were rectified by it."""
    rows = (
        Observation.objects.filter(
            department__isnull=False, fixed_at_once=False, rectify_by__gte=start, rectify_by__lt=end
        )
        .values(key=F("department_id"))
        .annotate(
            total=Count("id"),
            good=Count("id", filter=Q(resolved_at__isnull=False, resolved_at__lte=F("rectify_by"))),
        )
    )
    return _shares(rows)


def observation_photos_visible_to(user):
    """Photos follow their observation."""
    return ObservationPhoto.objects.filter(observation__in=observations_visible_to(user).values("pk"))


def indicator_table(user, year: int) -> list[dict]:
    """The year's indicators the user may read, by owner (department or park) then group, each with
    its months' entries and its quarters' results (three queries)."""
    from django.db.models import Prefetch

    indicators = (
        indicators_visible_to(user)
        .filter(year=year)
        .prefetch_related(
            Prefetch("entries", queryset=IndicatorEntry.objects.select_related("entered_by")),
            "results",
        )
        .order_by("department__name", "park__order", "group", "order", "id")
    )
    owners: dict = {}
    for indicator in indicators:
        key = (
            ("department", indicator.department_id)
            if indicator.department_id
            else ("park", indicator.park_id)
        )
        owner = owners.setdefault(
            key, {"kind": key[0], "id": key[1], "name": indicator.owner.name, "indicators": [], "own": False}
        )
        owner["indicators"].append(
            {
                "obj": indicator,
                "months": {e.month: e for e in indicator.entries.all()},
                "results": [
                    next((r for r in indicator.results.all() if r.quarter == q), None) for q in (1, 2, 3, 4)
                ],
            }
        )
    own_departments, own_parks = set(acting_department_ids(user)), set(acting_park_ids(user))
    for (kind, owner_id), owner in owners.items():
        owner["own"] = owner_id in (own_departments if kind == "department" else own_parks)
    return list(owners.values())


def combined_ranking(user, year: int, quarter: int) -> dict:
    """The quarter's indicator ranking (departments, parks) and the 四比四看 ranking of departments
    (operational rates + indicators, weighed by the administrators' weights), the user's own rows
    marked."""
    from zone_portal.dashboard.periods import Period
    from zone_portal.dashboard.scope import Scope
    from zone_portal.dashboard.selectors import dashboard_summary

    result = ranking(year, quarter)
    first, last = quarter_bounds(year, quarter)
    today = timezone.localdate()
    overall = []
    weights = {}
    if first <= today:
        summary = dashboard_summary(Scope(), Period(first, min(last, today)), user=user)
        weights = summary["department_weights"] or {}
        overall = [
            {
                "id": row["department"]["id"],
                "name": row["name"],
                "rank": row["rank"],
                "score": row["score"],
                "indicator_score": row.get("indicator_score"),
            }
            for row in summary["by_department"] or []
        ]
    own_departments, own_parks = set(acting_department_ids(user)), set(acting_park_ids(user))
    for row in result["departments"] + overall:
        row["own"] = row["id"] in own_departments
    for row in result["parks"]:
        row["own"] = row["id"] in own_parks
    from zone_portal.dashboard.views import department_formula

    formula = department_formula(weights) if weights else ""
    return {**result, "overall": overall, "weights": weights, "overall_formula": formula}
