"""Every read of the enterprises app. Other apps call `enterprises_visible_to` and
`enterprise_current_cso`; the feedback app calls `visit_ticket_draft` for "raise as a problem"."""

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from zone_portal.access import get_visible_or_404
from zone_portal.accounts.models import User
from zone_portal.accounts.roles import Role

from .models import AccountRequest, CsoAssignment, Enterprise, EnterpriseImport, EnterpriseMembership, Visit

DIRECTORY_SORTS = {
    "name": ("name_pinyin", "id"),
    "-name": ("-name_pinyin", "-id"),
    "capital": ("registered_capital", "id"),
    "-capital": ("-registered_capital", "-id"),
    "founded": ("founded_on", "id"),
    "-founded": ("-founded_on", "-id"),
    "-created": ("-created_at", "-id"),
}


# Roles that keep the whole register: the clerks who keep it, administrators and the district's
# leaders. Park staff and officers serve their parks; department officers and social supervisors
# read no register (a supervisor sees the anonymised stages of services only).
REGISTER_READERS = (Role.ADMIN, Role.CLERK, Role.LEADER)


def enterprises_visible_to(user):
    """The register (profile, contacts, officers, visit notes) scoped: the whole register for its
    clerks, administrators and leaders; their parks' enterprises for park staff and chief service
    officers, plus the ones an officer serves elsewhere; enterprise staff their own; others nothing."""
    qs = Enterprise.objects.select_related("park")
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser or user.has_role(*REGISTER_READERS):
        return qs
    scope = Q(pk__in=user.enterprise_ids) if user.has_role(Role.ENTERPRISE_STAFF) else Q(pk__in=[])
    if user.has_role(Role.PARK_DIRECTOR, Role.PARK_OFFICER, Role.CSO) and user.park_ids:
        scope |= Q(park_id__in=user.park_ids)
    if user.has_role(Role.CSO):
        scope |= Q(pk__in=CsoAssignment.objects.served_by(user))
    return qs.filter(scope)


def enterprise_for(user, pk) -> Enterprise:
    """The enterprise `pk` if the user may see it; Http404 alike for missing and not theirs."""
    return get_visible_or_404(enterprises_visible_to(user), pk)


# -- the current chief service officer: one definition (CsoAssignment.objects.current()), these forms


def enterprise_current_cso(enterprise) -> User | None:
    """The enterprise's chief service officer now (a User), or None."""
    assignment = (
        CsoAssignment.objects.current().filter(enterprise=enterprise).select_related("officer").first()
    )
    return assignment.officer if assignment else None


def enterprises_served_by(officer):
    """The ids of the enterprises `officer` (a user or an id) serves now, as a subquery:
    `filter(enterprise_id__in=enterprises_served_by(user))`."""
    return CsoAssignment.objects.served_by(officer)


def officer_serves(officer, enterprise_id) -> bool:
    """Whether `officer` is the chief service officer of the enterprise now."""
    return CsoAssignment.objects.current().filter(officer=officer, enterprise_id=enterprise_id).exists()


def current_cso_id(enterprise=None):
    """The current officer's id of the enterprise at `enterprise` (an outer reference, the row's
    own pk by default) as a subquery, for annotating many rows in one query (lists, sweeps):
    `annotate(cso_id=current_cso_id(OuterRef("enterprise_id")))`."""
    ref = enterprise if enterprise is not None else OuterRef("pk")
    return Subquery(CsoAssignment.objects.current().filter(enterprise=ref).values("officer_id")[:1])


def has_current_cso(enterprise=None):
    """Whether the enterprise at `enterprise` (an outer reference, the row's own pk by default) has
    an officer now, as an Exists for counting and annotating many rows in one query."""
    return CsoAssignment.objects.held(enterprise if enterprise is not None else OuterRef("pk"))


def _active_cso_prefetch():
    return Prefetch(
        "cso_assignments",
        queryset=CsoAssignment.objects.current().select_related("officer"),
        to_attr="active_cso_assignments",
    )


def enterprises_with_cso(queryset):
    """Add `active_cso_assignments` (a list of zero or one) to each row: one extra query per page."""
    return queryset.prefetch_related(_active_cso_prefetch())


def enterprise_search(queryset, q: str):
    """Match a name fragment, a code fragment, or pinyin ("zjkj", "zhongjin") for Chinese names."""
    q = (q or "").strip()
    if not q:
        return queryset
    match = Q(name__icontains=q) | Q(uscc__icontains=q.upper())
    letters = "".join(ch for ch in q.lower() if ch.isascii() and ch.isalnum())
    if letters and letters == q.lower().replace(" ", ""):
        match |= Q(name_initials__contains=letters) | Q(name_pinyin__contains=letters)
    return queryset.filter(match)


def enterprise_cso_history(enterprise):
    """Every assignment of the enterprise, newest first (the open one, if any, first)."""
    return enterprise.cso_assignments.select_related("officer", "assigned_by").order_by("-started_at", "-id")


def enterprise_visits(enterprise):
    return enterprise.visits.select_related("officer").order_by("-visited_on", "-id")


def enterprise_members(enterprise):
    return (
        EnterpriseMembership.objects.filter(enterprise=enterprise)
        .select_related("user")
        .order_by("kind", "created_at")
    )


def officers():
    """Users holding the chief service officer role, with their active enterprise count (workload)."""
    # One count per officer from the index of open assignments (`cso_active_by_officer`), not a
    # join of every assignment of the zone (100,000 enterprises: 470 ms on the directory page).
    active = (
        CsoAssignment.objects.current()
        .filter(officer=OuterRef("pk"))
        .order_by()
        .values("officer")
        .annotate(n=Count("officer"))
        .values("n")
    )
    return (
        User.objects.filter(role_grants__role=Role.CSO, is_active=True)
        .annotate(active_enterprises=Coalesce(Subquery(active), 0))
        .order_by("-active_enterprises", "username")
    )


def officer_workload():
    """Officers by workload, plus how many active enterprises have no officer (the goal is zero)."""
    without = Enterprise.objects.filter(status=Enterprise.Status.ACTIVE).with_cso(False).count()
    return {"officers": list(officers().prefetch_related("parks")), "without_officer": without}


def officer_enterprises(officer):
    """'My enterprises': the officer's active enterprises with the date of their last visit."""
    last_visit = (
        Visit.objects.filter(enterprise=OuterRef("pk")).order_by("-visited_on").values("visited_on")[:1]
    )
    return (
        Enterprise.objects.with_officer(officer)
        .select_related("park")
        .annotate(last_visit_on=Subquery(last_visit), visit_count=Count("visits", distinct=True))
        .order_by("name_pinyin", "id")
    )


def visits_visible_to(user):
    """Visit notes follow the register: those of the enterprises `user` may read."""
    return Visit.objects.filter(enterprise__in=enterprises_visible_to(user)).select_related(
        "enterprise", "officer"
    )


def visit_for(user, pk) -> Visit:
    """The visit `pk` if the user may see its enterprise; Http404 alike for missing and not theirs."""
    return get_visible_or_404(visits_visible_to(user), pk)


def visit_ticket_draft(visit) -> dict:
    """What a feedback ticket raised from this visit starts with (the feedback app's hook)."""
    return {
        "enterprise": visit.enterprise,
        "source": "visit",
        "visit_id": visit.pk,
        "description": visit.findings,
        "reported_by": visit.officer,
    }


def account_requests_pending():
    """Requests waiting for a clerk, each with what the register says of its code side by side.

    `registered_id` / `registered_name` (None: not in the register yet), `owner_name` /
    `owner_username` (the enterprise's current owner, if any), `registered_email` (who would be
    asked to confirm without an owner), `username_taken`. One query.
    """
    registered = Enterprise.objects.filter(uscc=OuterRef("uscc"))
    owner = EnterpriseMembership.objects.filter(
        enterprise__uscc=OuterRef("uscc"), kind=EnterpriseMembership.Kind.OWNER, user__is_active=True
    ).order_by("id")
    return (
        AccountRequest.objects.filter(status=AccountRequest.Status.PENDING)
        .annotate(
            registered_id=Subquery(registered.values("id")[:1]),
            registered_name=Subquery(registered.values("name")[:1]),
            registered_email=Subquery(registered.values("contact_email")[:1]),
            owner_name=Subquery(owner.values("user__display_name")[:1]),
            owner_username=Subquery(owner.values("user__username")[:1]),
            username_taken=Exists(User.objects.filter(username__iexact=OuterRef("username"))),
        )
        .order_by("created_at", "id")
    )


def account_request_for_link(request_id: int | None):
    """The approved request a valid confirmation link names, or None."""
    if request_id is None:
        return None
    return (
        AccountRequest.objects.filter(pk=request_id, status=AccountRequest.Status.APPROVED)
        .select_related("enterprise", "user")
        .first()
    )


def account_requests_recent(limit: int = 20):
    return (
        AccountRequest.objects.exclude(status=AccountRequest.Status.PENDING)
        .select_related("reviewed_by")
        .order_by("-reviewed_at", "-id")[:limit]
    )


def enterprise_imports_visible_to(user):
    from .permissions import can_edit_register

    if not can_edit_register(user):
        return EnterpriseImport.objects.none()
    return EnterpriseImport.objects.select_related("uploaded_by")


def enterprise_import_for(user, pk) -> EnterpriseImport:
    """The import job `pk` if the user may see it; Http404 alike for missing and not theirs."""
    return get_visible_or_404(enterprise_imports_visible_to(user), pk)


def register_counts():
    """The zone's figures: enterprises by qualification (35 high-tech, 31 reserve, 75 tech SMEs…)."""
    from django.utils import timezone

    today = timezone.localdate()
    active = Enterprise.objects.filter(status=Enterprise.Status.ACTIVE)
    return active.aggregate(
        total=Count("id"),
        high_tech=Count("id", filter=Enterprise.qualification_q("high_tech", today=today)),
        reserve=Count("id", filter=Enterprise.qualification_q("reserve", today=today)),
        tech_sme=Count("id", filter=Enterprise.qualification_q("tech_sme", today=today)),
        above_scale=Count("id", filter=Enterprise.qualification_q("above_scale", today=today)),
        last_change=Max("updated_at"),
    )


def register_figures() -> dict:
    """What the home panels show of the register: `register_counts()` and `without_officer` (active
    enterprises without an officer). The same for every reader and a count over the whole register
    (100,000 enterprises in a city), so kept for every server process at once
    (zone_portal/keeping.py) `REGISTER_FIGURES_SECONDS` (30 s; 0: always counted), the previous copy
    served for up to five minutes more while one process counts again; a new day counts afresh
    (qualifications expire by date)."""
    from django.conf import settings
    from django.utils import timezone

    from zone_portal.keeping import kept

    def counted():
        without = Enterprise.objects.filter(status=Enterprise.Status.ACTIVE).with_cso(False).count()
        return {**register_counts(), "without_officer": without}

    seconds = settings.REGISTER_FIGURES_SECONDS
    if not seconds:
        return counted()
    return kept(f"enterprises:register:{timezone.localdate()}", counted, fresh=seconds, stale=300)


def memberships_visible_to(user):
    """An enterprise's accounts: administrators all; an owner their enterprises' (to manage them)."""
    qs = EnterpriseMembership.objects.select_related("user", "enterprise")
    if not user.is_authenticated:
        return qs.none()
    if user.is_zone_admin:
        return qs
    owned = EnterpriseMembership.objects.filter(user=user, kind=EnterpriseMembership.Kind.OWNER)
    return qs.filter(enterprise_id__in=owned.values("enterprise_id"))


def account_requests_visible_to(user):
    """Public account requests: the clerks who review them and administrators."""
    from .permissions import can_review_account_requests

    if not can_review_account_requests(user):
        return AccountRequest.objects.none()
    return AccountRequest.objects.select_related("reviewed_by")
