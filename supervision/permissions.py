"""Who may do what in supervision (403 otherwise); reading is scoped by the selectors
(`*_visible_to`), so what a user cannot see answers 404."""

from zone_portal.access.policy import ADMINS, PARK_STAFF, ZONE_WIDE, ObjectKind, Scope, access_register, grant
from zone_portal.access.scopes import DEPARTMENT_ROLES, acting_department_ids, acting_park_ids
from zone_portal.accounts.roles import Role


def may_manage(user) -> bool:
    """The roster, the indicators, the weights and the confirmations: administrators."""
    return bool(getattr(user, "is_authenticated", False)) and user.is_zone_admin


def may_file(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(Role.SUPERVISOR)


def may_answer(user, observation) -> bool:
    """The service center answers what no department was given (administrators and the hall's
    clerks); a department's officers and clerks answer what is assigned to it; administrators
    answer anything."""
    if user.is_zone_admin:
        return True
    if observation.department_id is None:
        return user.has_role(Role.CLERK)
    return observation.department_id in acting_department_ids(user)


def may_rate(user, observation) -> bool:
    return observation.supervisor_id == user.pk


def may_enter(user, indicator) -> bool:
    """A department's officers and clerks enter its indicators; a park's staff the park's."""
    if indicator.department_id is not None:
        return indicator.department_id in acting_department_ids(user)
    return indicator.park_id in acting_park_ids(user)


# Who reads the indicators and the ranking (and whose departments and parks answer observations);
# the observations' readers add the supervisors themselves. Menus and pages use the same tuples.
OWNERS = (Role.ADMIN, Role.LEADER, Role.CLERK, Role.DEPARTMENT_OFFICER, Role.PARK_DIRECTOR, Role.PARK_OFFICER)
READERS = (Role.SUPERVISOR, *OWNERS)


def may_read_ranking(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (user.is_zone_admin or user.has_role(*OWNERS))


def access_register_kinds() -> None:
    """Supervision's part of the one access policy (`zone_portal.access.policy`)."""
    from . import selectors
    from .models import Indicator, IndicatorEntry, Observation, Supervisor

    # Administrators and leaders read everything; a department's people and a park's people, their own.
    own_unit = {**ZONE_WIDE, **grant(DEPARTMENT_ROLES, Scope.DEPARTMENT), **PARK_STAFF}
    clerks = {Role.CLERK: (Scope.DEPARTMENT, Scope.ASSIGNED)}  # and what no department was given
    supervisor = {Role.SUPERVISOR: (Scope.OWN,)}
    access_register(
        ObjectKind(
            "supervisor",
            Supervisor,
            selectors.supervisors_visible_to,
            read={**ZONE_WIDE, **supervisor},
            act=ADMINS,
            description="The roster of social supervisors (term of office, contact), managed by administrators.",
        ),
        ObjectKind(
            "supervisor_observation",
            Observation,
            selectors.observations_visible_to,
            read={**own_unit, **clerks, **supervisor},
            act={**ADMINS, **clerks, Role.DEPARTMENT_OFFICER: (Scope.DEPARTMENT,), **supervisor},
            description="A supervisor's observation of a blocking point: filed and rated by its supervisor, "
            "answered by the service center (clerks: those without a department) or the department it is "
            "assigned to; a park's staff read those of their park.",
        ),
        ObjectKind(
            "indicator",
            Indicator,
            selectors.indicators_visible_to,
            read=own_unit,
            act={role: scopes for role, scopes in own_unit.items() if role != Role.LEADER},
            description="A department's or park's indicator (指标考核) of a year: set by administrators, "
            "entered monthly by its department or park.",
        ),
        ObjectKind(
            "indicator_entry",
            IndicatorEntry,
            selectors.indicator_entries_visible_to,
            read=own_unit,
            act=ADMINS,
            description="A month's value of an entered indicator with its evidence; confirmed or returned "
            "by an administrator.",
        ),
    )
