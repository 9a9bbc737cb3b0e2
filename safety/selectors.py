"""Reads of the safety app: every list and page goes through `*_visible_to(user)`, and an object
opened by id through `<entity>_for(user, pk)` (the same 404 for missing and not yours)."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from enterprises.models import Enterprise
from enterprises.selectors import enterprises_served_by
from zone_portal.access import get_visible_or_404
from zone_portal.access.scopes import acting_park_ids
from zone_portal.accounts.models import User
from zone_portal.accounts.roles import Role
from zone_portal.org.models import Department

from .models import (
    BUREAU_CODE,
    Campaign,
    Hazard,
    HazardStatus,
    Inspection,
    InspectionStatus,
    SafetyFile,
    SafetySettings,
)

# Roles that read every campaign (a campaign shows counts, not an enterprise's records).
CAMPAIGN_READERS = (
    Role.ADMIN,
    Role.LEADER,
    Role.DEPARTMENT_OFFICER,
    Role.PARK_DIRECTOR,
    Role.PARK_OFFICER,
)


def safety_settings() -> SafetySettings:
    """The one settings row, created with the defaults on first use."""
    return SafetySettings.current("bureau")


def bureau_department(settings_row: SafetySettings | None = None) -> Department | None:
    """The emergency management bureau (应急管理局): the configured one, else code `emergency`."""
    settings_row = settings_row or safety_settings()
    if settings_row.bureau_id:
        return settings_row.bureau
    return Department.objects.filter(code=BUREAU_CODE).first()


def bureau_leaders(settings_row: SafetySettings | None = None) -> list[int]:
    """Who hears of an overdue hazard for the bureau: its leader as configured, else the bureau's
    users who hold the leader role, else every administrator."""
    settings_row = settings_row or safety_settings()
    if settings_row.bureau_leader_id:
        return [settings_row.bureau_leader_id]
    bureau = bureau_department(settings_row)
    active = User.objects.filter(is_active=True)
    if bureau is not None:
        ids = list(
            active.filter(departments=bureau, role_grants__role=Role.LEADER).values_list("id", flat=True)
        )
        if ids:
            return ids
    return list(
        active.filter(Q(is_superuser=True) | Q(role_grants__role=Role.ADMIN)).values_list("id", flat=True)
    )


def bureau_officers(department_id) -> list[int]:
    """The active officers of the inspecting department (told of reported fixes)."""
    if department_id is None:
        return []
    return list(
        User.objects.filter(
            is_active=True, departments=department_id, role_grants__role=Role.DEPARTMENT_OFFICER
        ).values_list("id", flat=True)
    )


def park_staff(park_ids) -> dict[int, list[int]]:
    """Park id → its active directors and officers (told of an overdue hazard)."""
    by_park: dict[int, list[int]] = {}
    rows = (
        User.objects.filter(
            is_active=True,
            parks__in=set(park_ids) - {None},
            role_grants__role__in=(Role.PARK_DIRECTOR, Role.PARK_OFFICER),
        )
        .values_list("id", "parks")
        .distinct()
    )
    for user_id, park_id in rows:
        by_park.setdefault(park_id, []).append(user_id)
    return by_park


def enterprise_staff(enterprise_ids) -> dict[int, list[int]]:
    """Enterprise id → its active staff accounts."""
    by_enterprise: dict[int, list[int]] = {}
    rows = User.objects.filter(
        is_active=True, enterprise_memberships__enterprise_id__in=set(enterprise_ids) - {None}
    ).values_list("id", "enterprise_memberships__enterprise_id")
    for user_id, enterprise_id in rows:
        by_enterprise.setdefault(enterprise_id, []).append(user_id)
    return by_enterprise


def enterprises_inspectable() -> QuerySet:
    """The enterprises an inspection may visit: every active one of the zone (an inspector sees
    their names here, not the register's contacts or visit notes)."""
    return Enterprise.objects.filter(status=Enterprise.Status.ACTIVE).select_related("park").order_by("name")


def inspections_visible_to(user) -> QuerySet:
    """Administrators and leaders: all; department officers: their department's and their own;
    park staff: their parks' enterprises'; a chief service officer: the enterprises served;
    enterprise staff: their enterprise's, an unannounced one (暗访) only once recorded."""
    qs = Inspection.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.is_zone_admin or user.has_role(Role.LEADER):
        return qs
    q = Q(inspector=user)
    if user.has_role(Role.DEPARTMENT_OFFICER) and user.department_ids:
        q |= Q(department_id__in=user.department_ids)
    if acting_park_ids(user):
        q |= Q(enterprise__park_id__in=acting_park_ids(user))
    if user.has_role(Role.CSO):
        q |= Q(enterprise_id__in=enterprises_served_by(user))
    if user.has_role(Role.ENTERPRISE_STAFF) and user.enterprise_ids:
        q |= Q(enterprise_id__in=user.enterprise_ids) & (
            Q(status=InspectionStatus.RECORDED) | Q(unannounced=False)
        )
    return qs.filter(q)


def hazards_visible_to(user) -> QuerySet:
    """A hazard follows its inspection."""
    return Hazard.objects.filter(inspection_id__in=inspections_visible_to(user).values("id"))


def files_visible_to(user) -> QuerySet:
    """A file follows its inspection."""
    return SafetyFile.objects.filter(inspection_id__in=inspections_visible_to(user).values("id"))


def campaigns_visible_to(user) -> QuerySet:
    if not user.is_authenticated or not (user.is_zone_admin or user.has_role(*CAMPAIGN_READERS)):
        return Campaign.objects.none()
    return Campaign.objects.all()


def inspection_for(user, pk) -> Inspection:
    return get_visible_or_404(
        inspections_visible_to(user).select_related(
            "enterprise__park", "inspector", "department", "campaign"
        ),
        pk,
    )


def hazard_for(user, pk) -> Hazard:
    return get_visible_or_404(
        hazards_visible_to(user).select_related("enterprise__park", "inspection__inspector"), pk
    )


def file_for(user, pk) -> SafetyFile:
    return get_visible_or_404(files_visible_to(user), pk)


def campaign_for(user, pk) -> Campaign:
    return get_visible_or_404(campaign_progress(campaigns_visible_to(user)), pk)


def campaign_progress(qs) -> QuerySet:
    """Campaigns with `done` (recorded inspections), `planned` and `hazards_found` counted in the
    same query."""
    return qs.annotate(
        done=Count("inspections", filter=Q(inspections__status=InspectionStatus.RECORDED), distinct=True),
        planned=Count("inspections", filter=Q(inspections__status=InspectionStatus.PLANNED), distinct=True),
        hazards_found=Count("inspections__hazards", distinct=True),
    )


def inspection_rows(qs) -> QuerySet:
    """Inspections for a list: what a row shows, in one query."""
    open_hazards = Hazard.objects.filter(inspection=OuterRef("pk")).exclude(status=HazardStatus.CLOSED)
    return qs.select_related("enterprise__park", "inspector", "campaign").annotate(
        hazard_count=Count("hazards", distinct=True), has_open_hazards=Exists(open_hazards)
    )


def hazard_rows(qs) -> QuerySet:
    return qs.select_related("enterprise__park", "inspection")


def enterprise_safety(user, enterprise) -> dict:
    """The enterprise page's panel: its inspections and open hazards that `user` may see."""
    inspections = list(
        inspection_rows(inspections_visible_to(user).filter(enterprise=enterprise)).order_by(
            "-planned_on", "-id"
        )[:10]
    )
    hazards = list(
        hazard_rows(
            hazards_visible_to(user).filter(enterprise=enterprise).exclude(status=HazardStatus.CLOSED)
        )
    )
    return {"safety_inspections": inspections, "safety_hazards": hazards}
