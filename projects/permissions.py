"""Who may do what to which key project. Reads are scoped in `selectors.projects_visible_to`."""

from zone_portal.access.policy import ADMINS, ZONE_WIDE, ObjectKind, Scope, access_register, grant
from zone_portal.access.scopes import PARK_ROLES
from zone_portal.accounts.roles import STAFF_ROLES, Role

# Roles whose holders read every key project (the zone's own officers and leaders).
PROJECT_READER_ROLES = tuple(STAFF_ROLES)


def can_manage_projects(user) -> bool:
    """Create projects and edit their six ones: administrators (管委会)."""
    return user.is_authenticated and user.is_zone_admin


def can_change_stage(user, project) -> bool:
    return can_manage_projects(user) or (user.is_authenticated and project.leader_id == user.pk)


def can_work_on(user, project) -> bool:
    """Keep milestones, ledger and weekly supervision: the leader, the service team, the officers of
    the responsible park, and administrators."""
    if not user.is_authenticated:
        return False
    if user.is_zone_admin or project.leader_id == user.pk or user.pk in project.team_ids:
        return True
    return user.has_role(*PARK_ROLES) and project.park_id in user.park_ids


def can_observe(user) -> bool:
    """Monthly site observations (月观摩) are scored by leaders and administrators."""
    return user.is_authenticated and (user.is_zone_admin or user.has_role(Role.LEADER))


def access_register_kinds() -> None:
    """This app's part of the one access policy (`zone_portal.access.policy`)."""
    from . import selectors
    from .models import LedgerEntry, Project, SiteObservation, Supervision

    read = grant(PROJECT_READER_ROLES, Scope.ALL) | {Role.ENTERPRISE_STAFF: (Scope.ENTERPRISE,)}
    # The project's team (its leader, service team and officers), and the responsible park's staff.
    work = {**ADMINS, **grant([Role.LEADER, Role.CSO, Role.DEPARTMENT_OFFICER], Scope.ASSIGNED)}
    work |= grant(PARK_ROLES, Scope.PARK, Scope.ASSIGNED)
    access_register(
        ObjectKind(
            "project",
            Project,
            selectors.projects_visible_to,
            read=read,
            act=work,
            description="A key project, its six ones and milestones.",
        ),
        ObjectKind(
            "ledger_entry",
            LedgerEntry,
            selectors.ledger_entries_visible_to,
            read=read,
            act=work,
            description="Investment ledger and photos.",
        ),
        ObjectKind(
            "supervision",
            Supervision,
            selectors.supervisions_visible_to,
            read=read,
            act=work,
            description="Weekly supervision (周督导).",
        ),
        ObjectKind(
            "observation",
            SiteObservation,
            selectors.observations_visible_to,
            read=read,
            act=ZONE_WIDE,
            description="Monthly site observation scores (月观摩).",
        ),
    )
