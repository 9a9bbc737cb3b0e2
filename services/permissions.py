"""Who may do what to which request or appointment (rectifications: `zone_portal.ratings`).

Reading is scoped by the selectors (`*_visible_to`): what a user cannot see answers 404. These
checks decide, for an object the user can see, whether they may act on it (403 otherwise).
"""

from enterprises.selectors import officer_serves
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
    if user.has_role(Role.PARK_OFFICER, Role.PARK_DIRECTOR) and enterprise.park_id in user.park_ids:
        return True
    if user.has_role(Role.CSO):
        return officer_serves(user, enterprise.pk)
    return False


def access_register_kinds() -> None:
    """This app's part of the one access policy (`zone_portal.access.policy`)."""
    from zone_portal.access.policy import ObjectKind, Scope, access_register

    from . import selectors
    from .models import Appointment, Material, ServiceRequest

    park = (Scope.PARK, Scope.OWN)
    request_read = {
        Role.ADMIN: (Scope.ALL,),
        Role.CLERK: (Scope.ALL,),
        Role.LEADER: (Scope.ALL,),
        Role.DEPARTMENT_OFFICER: (Scope.DEPARTMENT, Scope.OWN),
        Role.CSO: (Scope.ASSIGNED, Scope.OWN),
        Role.PARK_DIRECTOR: park,
        Role.PARK_OFFICER: park,
        Role.ENTERPRISE_STAFF: (Scope.ENTERPRISE, Scope.OWN),
    }
    request_act = {
        Role.ADMIN: (Scope.ALL,),
        Role.CLERK: (Scope.ALL,),
        Role.DEPARTMENT_OFFICER: (Scope.DEPARTMENT,),
        Role.CSO: (Scope.OWN,),
        Role.PARK_DIRECTOR: (Scope.OWN,),
        Role.PARK_OFFICER: (Scope.OWN,),
        Role.ENTERPRISE_STAFF: (Scope.ENTERPRISE, Scope.OWN),
    }
    access_register(
        ObjectKind(
            name="service_request",
            model=ServiceRequest,
            visible_to=selectors.service_requests_visible_to,
            read=request_read,
            act=request_act,
            description="A one-stop request with its applicant, description and timeline; agents act "
            "on what they filed, handlers on their windows.",
        )
    )
    access_register(
        ObjectKind(
            name="service_stage",
            model=ServiceRequest,
            visible_to=selectors.service_stages_visible_to,
            read={Role.ADMIN: (Scope.ALL,), Role.LEADER: (Scope.ALL,), Role.SUPERVISOR: (Scope.ANONYMISED,)},
            act={},
            description="The stages of a request (service, status, dates, time limit kept), without the "
            "applicant, documents or personal data: what a social supervisor reads.",
            primary=False,
        )
    )
    access_register(
        ObjectKind(
            name="material",
            model=Material,
            visible_to=selectors.materials_visible_to,
            read=request_read,
            act={**request_act, Role.CSO: (Scope.OWN,)},
            description="Uploaded files follow their request; downloads ask the same selector.",
        )
    )
    access_register(
        ObjectKind(
            name="appointment",
            model=Appointment,
            visible_to=selectors.appointments_visible_to,
            read={
                Role.ADMIN: (Scope.ALL,),
                Role.CLERK: (Scope.ALL,),
                Role.ENTERPRISE_STAFF: (Scope.ENTERPRISE, Scope.OWN),
                Role.CSO: (Scope.OWN,),
            },
            act={
                Role.ADMIN: (Scope.ALL,),
                Role.ENTERPRISE_STAFF: (Scope.ENTERPRISE, Scope.OWN),
                Role.CSO: (Scope.OWN,),
            },
            description="A booked slot; whoever booked it (or their enterprise) cancels it.",
        )
    )
