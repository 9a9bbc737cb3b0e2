"""Who may do what to which request or appointment (rectifications: `zone_portal.ratings`).

Reading is scoped by the selectors (`*_visible_to`): what a user cannot see answers 404. These
checks decide, for an object the user can see, whether they may act on it (403 otherwise).
"""

from enterprises.selectors import officer_serves
from zone_portal.access.policy import ADMINS, ZONE_WIDE, ObjectKind, Scope, access_register, grant
from zone_portal.access.scopes import PARK_ROLES
from zone_portal.accounts.roles import Role

# Agents of help and agency (帮办代办): they may file on an enterprise's behalf.
AGENT_ROLES = (Role.CLERK, Role.CSO, Role.PARK_OFFICER, Role.PARK_DIRECTOR)
HANDLER_ROLES = (Role.CLERK, Role.DEPARTMENT_OFFICER)


def is_handler(user, service_request) -> bool:
    """Clerks work every window of the hall; a department officer only its department's items."""
    if user.has_role(Role.CLERK):
        return True
    return user.has_role(Role.DEPARTMENT_OFFICER) and service_request.department_id in user.department_ids


def is_member_of(user, enterprise_id) -> bool:
    return enterprise_id is not None and enterprise_id in user.enterprise_ids


def is_applicant_side(user, service_request) -> bool:
    """The enterprise's own staff, the person who filed, or the agent who filed for them."""
    return (
        is_member_of(user, service_request.enterprise_id)
        or service_request.submitted_by_id == user.pk
        or service_request.agent_id == user.pk
    )


def may_rate(user, service_request) -> bool:
    """The applicant rates, not the agent who helped (an agent filing with no enterprise behind
    it rates nothing: the applicant person has no account)."""
    if is_member_of(user, service_request.enterprise_id):
        return True
    return service_request.agent_id is None and service_request.submitted_by_id == user.pk


def may_file_for(user, enterprise) -> bool:
    """Enterprise staff for their own enterprises; agents for the enterprises they serve."""
    if enterprise is None:
        return user.has_role(*AGENT_ROLES)
    if is_member_of(user, enterprise.pk):
        return True
    if user.has_role(Role.CLERK) or user.is_zone_admin:
        return True
    if user.has_role(*PARK_ROLES) and enterprise.park_id in user.park_ids:
        return True
    if user.has_role(Role.CSO):
        return officer_serves(user, enterprise.pk)
    return False


def access_register_kinds() -> None:
    """This app's part of the one access policy (`zone_portal.access.policy`)."""
    from . import selectors
    from .models import Appointment, Material, ServiceRequest

    hall = grant([Role.ADMIN, Role.CLERK], Scope.ALL)  # administrators and the hall's clerks
    applicant = {Role.ENTERPRISE_STAFF: (Scope.ENTERPRISE, Scope.OWN)}
    request_read = {
        **ZONE_WIDE,
        **hall,
        Role.DEPARTMENT_OFFICER: (Scope.DEPARTMENT, Scope.OWN),
        Role.CSO: (Scope.ASSIGNED, Scope.OWN),
        **grant(PARK_ROLES, Scope.PARK, Scope.OWN),
        **applicant,
    }
    # Handlers on their windows; agents (officers, park staff) on what they filed; the applicant.
    request_act = {
        **hall,
        Role.DEPARTMENT_OFFICER: (Scope.DEPARTMENT,),
        **grant([Role.CSO, *PARK_ROLES], Scope.OWN),
        **applicant,
    }
    access_register(
        ObjectKind(
            "service_request",
            ServiceRequest,
            selectors.service_requests_visible_to,
            read=request_read,
            act=request_act,
            description="A one-stop request with its applicant, description and timeline; agents act "
            "on what they filed, handlers on their windows.",
        ),
        ObjectKind(
            "service_stage",
            ServiceRequest,
            selectors.service_stages_visible_to,
            read={**ZONE_WIDE, Role.SUPERVISOR: (Scope.ANONYMISED,)},
            act={},
            description="The stages of a request (service, status, dates, time limit kept), without the "
            "applicant, documents or personal data: what a social supervisor reads.",
            primary=False,
        ),
        ObjectKind(
            "material",
            Material,
            selectors.materials_visible_to,
            read=request_read,
            act=request_act,
            description="Uploaded files follow their request; downloads ask the same selector.",
        ),
        ObjectKind(
            "appointment",
            Appointment,
            selectors.appointments_visible_to,
            read={**hall, **applicant, Role.CSO: (Scope.OWN,)},
            act={**ADMINS, **applicant, Role.CSO: (Scope.OWN,)},
            description="A booked slot; whoever booked it (or their enterprise) cancels it.",
        ),
    )
