"""Who may do what in the safety app. Reads are scoped by `selectors.*_visible_to` (404 for
missing and not yours); these checks decide, for an object the user can see, whether the user may
act on it (403 otherwise). Actions call them, so the API and the pages give one answer.

Inspectors are the officers of the emergency management bureau (`selectors.bureau_department`),
leaders and administrators; the enterprise's own staff rectify its hazards.
"""

from zone_portal.access.policy import PARK_STAFF, ZONE_WIDE, ObjectKind, Scope, access_register, grant
from zone_portal.accounts.roles import Role

from .selectors import bureau_department

INSPECTOR_ROLES = (Role.ADMIN, Role.LEADER, Role.DEPARTMENT_OFFICER)
READER_ROLES = (
    Role.ADMIN,
    Role.LEADER,
    Role.DEPARTMENT_OFFICER,
    Role.PARK_DIRECTOR,
    Role.PARK_OFFICER,
    Role.CSO,
    Role.ENTERPRISE_STAFF,
)
# The internal list of exposed hazards (问题隐患曝光): zone staff only, never enterprises.
EXPOSURE_READERS = tuple(role for role in READER_ROLES if role != Role.ENTERPRISE_STAFF)


def is_bureau_officer(user) -> bool:
    if not user.is_authenticated or not user.has_role(Role.DEPARTMENT_OFFICER):
        return False
    bureau = bureau_department()
    return bureau is not None and bureau.pk in user.department_ids


def can_inspect(user) -> bool:
    """Plan and record inspections, run campaigns, expose hazards."""
    return user.is_authenticated and (
        user.is_zone_admin or user.has_role(Role.LEADER) or is_bureau_officer(user)
    )


def can_work_inspection(user, inspection) -> bool:
    """Record, cancel, add hazards to and re-inspect: the inspector, the officers of the inspecting
    department, leaders and administrators."""
    if not user.is_authenticated:
        return False
    if user.is_zone_admin or user.has_role(Role.LEADER) or inspection.inspector_id == user.pk:
        return True
    return user.has_role(Role.DEPARTMENT_OFFICER) and inspection.department_id in user.department_ids


def can_rectify(user, hazard) -> bool:
    """The enterprise's own staff submit the plan and report the fix."""
    return (
        user.is_authenticated
        and user.has_role(Role.ENTERPRISE_STAFF)
        and hazard.enterprise_id in user.enterprise_ids
    )


def access_register_kinds() -> None:
    """This app's part of the one access policy (`zone_portal.access.policy`)."""
    from . import selectors
    from .models import Campaign, Hazard, Inspection, SafetyFile

    read = {
        **ZONE_WIDE,
        **PARK_STAFF,
        Role.DEPARTMENT_OFFICER: (Scope.DEPARTMENT, Scope.OWN),
        Role.CSO: (Scope.ASSIGNED,),
        Role.ENTERPRISE_STAFF: (Scope.ENTERPRISE,),
    }
    # The bureau works on what it reads: administrators, leaders, the inspecting officers.
    work = {role: read[role] for role in (Role.ADMIN, Role.LEADER, Role.DEPARTMENT_OFFICER)}
    rectifying = {**work, Role.ENTERPRISE_STAFF: (Scope.ENTERPRISE,)}
    access_register(
        ObjectKind(
            "safety_inspection",
            Inspection,
            selectors.inspections_visible_to,
            read=read,
            act=work,
            description="A safety inspection (安全检查, 暗访 when unannounced) with its checklist and findings; "
            "the enterprise sees an unannounced one only once it is recorded.",
        ),
        ObjectKind(
            "hazard",
            Hazard,
            selectors.hazards_visible_to,
            read=read,
            act=rectifying,
            description="A hazard (隐患) an inspection found; follows its inspection. The enterprise plans and "
            "reports the fix.",
        ),
        ObjectKind(
            "safety_file",
            SafetyFile,
            selectors.files_visible_to,
            read=read,
            act=rectifying,
            description="A photo, plan or evidence of an inspection or hazard; follows its inspection.",
        ),
        ObjectKind(
            "safety_campaign",
            Campaign,
            selectors.campaigns_visible_to,
            read=grant(selectors.CAMPAIGN_READERS, Scope.ALL),
            act={**work, Role.DEPARTMENT_OFFICER: (Scope.DEPARTMENT,)},
            description="A campaign (安全生产月) grouping inspections, with a target and its progress; run by the "
            "emergency management bureau's officers.",
        ),
    )
