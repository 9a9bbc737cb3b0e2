"""Every read of the services app: scoping (`*_visible_to`), the queue and counts."""

from django.db.models import Count, Q
from django.utils import timezone

from enterprises.selectors import enterprises_served_by
from zone_portal.access import get_visible_or_404
from zone_portal.accounts.models import User
from zone_portal.accounts.roles import Role
from zone_portal.cases.lateness import Lateness

from .models import (
    CLOCK_RUNNING,
    FINAL_STATUSES,
    Appointment,
    AppointmentSlot,
    Material,
    RequestStatus,
    ServiceItem,
    ServiceRequest,
    ServiceSettings,
    sla_state_q,
    unclaimed_q,
)

# Roles that read every request of the zone. A social supervisor reads the stages of services
# only, anonymised (`service_stages`), never the requests themselves.
_SEE_ALL_REQUESTS = (Role.ADMIN, Role.CLERK, Role.LEADER)
# Roles that read every rating and rectification of the zone.


def service_settings() -> ServiceSettings:
    """The administrator's numbers (one row, created with the defaults on first use)."""
    return ServiceSettings.current()


def rectification_deadlines() -> tuple[float, float]:
    """Working days a bad review's rectification has to be verified, and fixed and replied."""
    config = service_settings()
    return float(config.rectification_verify_days), float(config.rectification_fix_days)


def center_heads() -> list[int]:
    """Who is told about requests at risk and overdue: the configured head, else every admin."""
    head_id = ServiceSettings.objects.filter(pk=1).values_list("center_head_id", flat=True).first()
    if head_id:
        return [head_id]
    return list(
        User.objects.filter(Q(role_grants__role=Role.ADMIN) | Q(is_superuser=True), is_active=True)
        .values_list("id", flat=True)
        .distinct()
    )


# -- catalog ---------------------------------------------------------------------------------------


def catalog_items(*, active_only: bool = True):
    items = ServiceItem.objects.select_related("department").prefetch_related("components")
    return items.filter(active=True) if active_only else items


# -- requests --------------------------------------------------------------------------------------


def service_requests_visible_to(user):
    """Zone staff who work or watch the hall see every request; a department officer sees its
    department's; a CSO or park officer those of the enterprises they serve and those they filed;
    enterprise staff their enterprises' and their own."""
    qs = ServiceRequest.objects.select_related(
        "service", "department", "enterprise", "assignee", "submitted_by", "agent", "parent"
    )
    if not user.is_authenticated:
        return qs.none()
    if user.is_zone_admin or user.has_role(*_SEE_ALL_REQUESTS):
        return qs
    scope = Q(submitted_by=user) | Q(agent=user)
    if user.enterprise_ids:
        scope |= Q(enterprise_id__in=user.enterprise_ids)
    if user.has_role(Role.DEPARTMENT_OFFICER) and user.department_ids:
        scope |= Q(department_id__in=user.department_ids)
    if user.has_role(Role.PARK_OFFICER, Role.PARK_DIRECTOR) and user.park_ids:
        scope |= Q(enterprise__park_id__in=user.park_ids)
    if user.has_role(Role.CSO):
        scope |= Q(enterprise_id__in=enterprises_served_by(user))
    return qs.filter(scope)


# Who reads the stages of every service (status, dates, service, time limit kept), anonymised.
STAGE_READERS = (Role.ADMIN, Role.LEADER, Role.SUPERVISOR)


def service_stages_visible_to(user):
    """The stages of the zone's services for a social supervisor (and administrators, leaders):
    requests (bundle items too) with only what a stage is — number, service, department, status
    and dates — never the applicant, the description, the handler or the materials."""
    qs = ServiceRequest.objects.select_related("service", "department")
    if not getattr(user, "is_authenticated", False) or not (
        user.is_zone_admin or user.has_role(*STAGE_READERS)
    ):
        return qs.none()
    return qs.only(
        "number",
        "service__name",
        "department__code",
        "status",
        "enterprise_id",
        "submitted_at",
        "accepted_at",
        "due_at",
        "closed_at",
        "paused_at",
        "risk_at",
    ).order_by("-submitted_at", "-id")


def service_stage_counts(user, *, now=None) -> list[dict]:
    """The stages per service and department, for those who read the stages (empty otherwise):
    booked (appointments), submitted, accepted, completed, rejected, completed on time and late,
    open and overdue now. Counts only, nothing of an applicant (two queries). Consultations are
    not recorded by the portal, so they are not counted."""
    from django.db.models import F

    if not getattr(user, "is_authenticated", False) or not (
        user.is_zone_admin or user.has_role(*STAGE_READERS)
    ):
        return []
    now = now or timezone.now()
    closed_in_time = Q(status=RequestStatus.COMPLETED, closed_at__lte=F("due_at"))
    rows = (
        ServiceRequest.objects.filter(is_bundle=False)
        .values("service_id", "service__name", "department__name")
        .annotate(
            submitted=Count("id"),
            accepted=Count("id", filter=Q(accepted_at__isnull=False)),
            completed=Count("id", filter=Q(status=RequestStatus.COMPLETED)),
            rejected=Count("id", filter=Q(status=RequestStatus.REJECTED)),
            on_time=Count("id", filter=closed_in_time),
            late=Count("id", filter=Q(status=RequestStatus.COMPLETED, closed_at__gt=F("due_at"))),
            overdue_now=Count("id", filter=Q(status__in=CLOCK_RUNNING, due_at__lte=now)),
        )
        .order_by("department__name", "service__name")
    )
    booked = dict(
        Appointment.objects.filter(status=Appointment.Status.BOOKED, service__isnull=False)
        .values_list("service_id")
        .annotate(n=Count("id"))
        .values_list("service_id", "n")
    )
    return [
        {
            "service": row["service__name"],
            "department": row["department__name"],
            "booked": booked.get(row["service_id"], 0),
            **{
                k: row[k]
                for k in ("submitted", "accepted", "completed", "rejected", "on_time", "late", "overdue_now")
            },
        }
        for row in rows
    ]


def service_request_for(user, pk) -> ServiceRequest:
    """The request `pk` if the user may see it; Http404 alike for missing and not theirs."""
    return get_visible_or_404(service_requests_visible_to(user), pk)


def materials_visible_to(user):
    """Uploaded materials follow their request: those of the requests `user` may read."""
    return Material.objects.filter(request__in=service_requests_visible_to(user).values("pk"))


# What a row of a list of requests shows (the API's list, the queue, my requests): the columns of
# the request and the names of its service, department, enterprise, assignee, agent and bundle,
# never a description, a result or anyone's password hash; joins only for the names shown.
REQUEST_ROW_FIELDS = (
    "number",
    "status",
    "is_bundle",
    "applicant_name",
    "submitted_at",
    "accepted_at",
    "risk_at",
    "due_at",
    "closed_at",
    "paused_at",
    "service_id",
    "department_id",
    "enterprise_id",
    "assignee_id",
    "agent_id",
    "parent_id",
    "submitted_by_id",
    "service__code",
    "service__name",
    "department__code",
    "department__name",
    "enterprise__name",
    "assignee__username",
    "assignee__display_name",
    "agent__username",
    "agent__display_name",
    "parent__number",
)


def request_rows(qs):
    """`qs` narrowed to what a list row shows (`REQUEST_ROW_FIELDS`)."""
    return (
        qs.select_related(None)
        .select_related("service", "department", "enterprise", "assignee", "agent", "parent")
        .only(*REQUEST_ROW_FIELDS)
    )


def by_due_time(qs):
    """Running clocks first, soonest due first; then new submissions in the order they came."""
    from django.db.models import F

    return qs.order_by(F("due_at").asc(nulls_last=True), "submitted_at", "id")


def request_queue(user):
    """What a handler works on: every request except bundle containers (their items are queued)."""
    return service_requests_visible_to(user).filter(is_bundle=False)


def request_counts(qs, *, now=None) -> dict:
    """Counts per status and per SLA state over `qs`, in one query."""
    now = now or timezone.now()
    aggregates = {f"status_{s}": Count("id", filter=Q(status=s)) for s in RequestStatus.values}
    aggregates |= {f"sla_{s}": Count("id", filter=sla_state_q(s, now)) for s in Lateness.values}
    aggregates["unclaimed"] = Count("id", filter=unclaimed_q())
    aggregates["agency"] = Count("id", filter=~Q(agent=None))
    return qs.order_by().aggregate(**aggregates)


def request_open_counts(qs, *, now=None) -> dict:
    """`request_counts` over the open requests of `qs` only: what the queue's tiles and the home
    panel show (unclaimed, open statuses, at risk, overdue). The finished ones, nine in ten of a
    zone's history, are not counted on every view (their status counts here are 0)."""
    return request_counts(qs.exclude(status__in=FINAL_STATUSES), now=now)


def agency_count(*, year: int | None = None) -> int:
    """Help and agency cases (帮办代办) filed this year (or in `year`)."""
    year = year or timezone.localdate().year
    return ServiceRequest.objects.filter(parent=None, submitted_at__year=year).exclude(agent=None).count()


# -- appointments ----------------------------------------------------------------------------------


def appointment_slots_open(*, now=None):
    now = now or timezone.now()
    today = timezone.localdate(now)
    return AppointmentSlot.objects.filter(date__gte=today).select_related("department")


def appointments_visible_to(user):
    qs = Appointment.objects.select_related("slot", "enterprise", "service", "booked_by")
    if user.is_zone_admin or user.has_role(Role.CLERK):
        return qs
    scope = Q(booked_by=user)
    if user.enterprise_ids:
        scope |= Q(enterprise_id__in=user.enterprise_ids)
    return qs.filter(scope)


def appointment_for(user, pk) -> Appointment:
    """The appointment `pk` if the user may see it; Http404 alike for missing and not theirs."""
    return get_visible_or_404(appointments_visible_to(user), pk)


def material_for(user, pk) -> Material:
    """A material of a request the user may see; Http404 alike for missing and not theirs."""
    return get_visible_or_404(materials_visible_to(user).select_related("request"), pk)
