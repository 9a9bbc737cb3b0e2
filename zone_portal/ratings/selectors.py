"""Every read of the good/bad ratings and their rectifications: scoping (`*_visible_to`), the
queue, the rating of one case and the coverage of every rated kind of case."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, Subquery

from zone_portal.access import get_visible_or_404
from zone_portal.access.scopes import acting_department_ids, acting_park_ids
from zone_portal.accounts.roles import Role

from .models import BAD_SCORES, RECTIFICATION_FINAL, Rating, Rectification, RectificationStatus
from .registry import rateable_kinds

# Who reads every rating and rectification. Social supervisors are not among them: they read the
# appeals they decide, never the enterprises' comments at large.
_SEE_ALL = (Role.ADMIN, Role.LEADER)


def _sees_all(user) -> bool:
    return user.is_zone_admin or user.has_role(*_SEE_ALL)


def ratings_visible_to(user):
    """Administrators and leaders see every rating; the handler and the handler's department (its
    department officers or clerks, not every officer filed under the same department) theirs; park
    staff the ratings of their park's enterprises (read only); enterprise staff the ones their
    enterprise gave. Social supervisors see none."""
    qs = Rating.objects.select_related("rater", "enterprise", "handler", "handler_department")
    if not user.is_authenticated:
        return qs.none()
    if _sees_all(user):
        return qs
    scope = Q(rater=user) | Q(handler=user)
    if user.enterprise_ids:
        scope |= Q(enterprise_id__in=user.enterprise_ids)
    if departments := acting_department_ids(user):
        scope |= Q(handler_department_id__in=departments)
    if parks := acting_park_ids(user):
        scope |= Q(enterprise__park_id__in=parks)
    return qs.filter(scope)


def rating_for(case) -> Rating | None:
    """The one rating of `case` (with its rectification), or None."""
    ct = ContentType.objects.get_for_model(case)
    return Rating.objects.filter(content_type=ct, object_id=case.pk).select_related("rectification").first()


def ratings_of(model, case_ref="pk"):
    """The ratings of `model`'s cases, correlated with an outer query's `case_ref` (a case's pk, or
    `ticket_id` read through a relation): one index probe per row (`one_rating_per_case`)."""
    return Rating.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=OuterRef(case_ref)
    )


def rated(model, case_ref="pk", **lookups) -> Exists:
    """The case has a rating (meeting `lookups`, e.g. `score__gte=3`), as a condition on a query of
    `model`'s cases."""
    return Exists(ratings_of(model, case_ref).filter(**lookups))


def with_rating(queryset):
    """The cases with their rating's `rating_score` and `rating_comment` (None when not rated),
    read in the same query."""
    ratings = ratings_of(queryset.model)
    return queryset.annotate(
        rating_score=Subquery(ratings.values("score")[:1]),
        rating_comment=Subquery(ratings.values("comment")[:1]),
    )


def rating_coverage() -> dict:
    """The one coverage figure: ratings ÷ rateable cases, over every kind of case declared rateable
    (`registry.rateable_register`: completed requests, confirmed tickets, …). Two queries per kind."""
    finished = rated_count = bad = 0
    for kind in rateable_kinds():
        cases = kind.finished()
        finished += cases.count()
        stats = Rating.objects.filter(
            content_type=ContentType.objects.get_for_model(kind.model), object_id__in=cases.values("pk")
        ).aggregate(rated=Count("id"), bad=Count("id", filter=Q(score__in=BAD_SCORES)))
        rated_count += stats["rated"]
        bad += stats["bad"]
    rate = round(rated_count * 100 / finished, 1) if finished else None
    return {"finished": finished, "rated": rated_count, "bad": bad, "coverage_percent": rate}


def rectifications_visible_to(user):
    """The handler's department and the handler, administrators, leaders and supervisors; the
    enterprise that gave the rating."""
    qs = Rectification.objects.select_related(
        "rating", "rating__rater", "rating__enterprise", "department", "handler"
    )
    if not user.is_authenticated:
        return qs.none()
    if _sees_all(user):
        return qs
    scope = Q(handler=user) | Q(rating__rater=user)
    if departments := acting_department_ids(user):
        scope |= Q(department_id__in=departments)
    if user.enterprise_ids:
        scope |= Q(rating__enterprise_id__in=user.enterprise_ids)
    if parks := acting_park_ids(user):
        scope |= Q(rating__enterprise__park_id__in=parks)
    if user.has_role(Role.SUPERVISOR):
        scope |= Q(status=RectificationStatus.APPEALED) | Q(appeal_decided_by=user)
    return qs.filter(scope)


def rectification_for(user, pk) -> Rectification:
    """The rectification `pk` if the user may see it; Http404 alike for missing and not theirs."""
    return get_visible_or_404(rectifications_visible_to(user), pk)


def rectification_queue(user, *, status: str = "", open_only: bool = True):
    """The rectifications the user works: their departments' and their own (all of them for
    administrators and leaders, the appeals for a social supervisor)."""
    qs = rectifications_visible_to(user)
    if not _sees_all(user):
        work = Q(department_id__in=acting_department_ids(user)) | Q(handler=user)
        if user.has_role(Role.SUPERVISOR):
            work |= Q(status=RectificationStatus.APPEALED) | Q(appeal_decided_by=user)
        qs = qs.filter(work)
    if status:
        qs = qs.filter(status=status)
    elif open_only:
        qs = qs.exclude(status__in=RECTIFICATION_FINAL)
    return qs.order_by("fix_due_at", "id")
