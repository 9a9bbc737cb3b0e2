"""Who may do what to which ticket. Reading is scoped by `selectors.tickets_visible_to` (404 for
"missing" and "not yours" alike); these checks decide, for a ticket the user can see, whether the
user may act on it (403 otherwise). Actions call them, so the API and the pages share one answer.

Holders by tier: tier 1 the enterprise's chief service officer (the owner) and the park's staff;
tier 2 the park's director and officers; tier 3 the leaders. Administrators may act everywhere.
"""

from enterprises.models import Enterprise
from enterprises.selectors import enterprises_served_by, officer_serves
from zone_portal.access.policy import ADMINS, PARK_STAFF, ZONE_WIDE, ObjectKind, Scope, access_register, grant
from zone_portal.access.scopes import PARK_ROLES
from zone_portal.accounts.roles import STAFF_ROLES, Role


def _is_admin(user) -> bool:
    return user.is_zone_admin


def is_park_staff_for(user, ticket) -> bool:
    """A director or officer of the ticket's park (a ticket without a park is every park's triage)."""
    return user.has_role(*PARK_ROLES) and (ticket.park_id is None or ticket.park_id in user.park_ids)


def is_park_director_for(user, ticket) -> bool:
    return user.has_role(Role.PARK_DIRECTOR) and (ticket.park_id is None or ticket.park_id in user.park_ids)


def is_cso_for(user, ticket) -> bool:
    if not user.has_role(Role.CSO):
        return False
    if ticket.owner_id == user.pk:
        return True
    return ticket.enterprise_id is not None and officer_serves(user, ticket.enterprise_id)


def is_enterprise_side(user, ticket) -> bool:
    """The enterprise's own staff, or the outsider who raised it (a social supervisor, say).

    Zone staff who raised a ticket (a CSO after a visit) are not: they may hold and resolve it, so
    letting them also confirm and rate it would grade their own work."""
    if ticket.raised_by_id == user.pk and not user.has_role(Role.HOTLINE, *STAFF_ROLES):
        return True
    return user.has_role(Role.ENTERPRISE_STAFF) and ticket.enterprise_id in user.enterprise_ids


def is_holder(user, ticket) -> bool:
    """Holds the ticket at its current tier."""
    if _is_admin(user):
        return True
    if ticket.tier == 1:
        return is_park_staff_for(user, ticket) or is_cso_for(user, ticket)
    if ticket.tier == 2:
        return is_park_staff_for(user, ticket)
    return user.has_role(Role.LEADER) or ticket.owner_id == user.pk


def can_whistle(user, ticket) -> bool:
    return _is_admin(user) or is_park_staff_for(user, ticket)


def can_escalate(user, ticket) -> bool:
    return is_holder(user, ticket) or user.has_role(Role.LEADER)


def can_decide_extension(user, ticket, extension) -> bool:
    if extension.requested_by_id == user.pk and not _is_admin(user):
        return False  # nobody approves their own extension
    return _is_admin(user) or user.has_role(Role.LEADER) or is_park_director_for(user, ticket)


def can_act_for_department(user, department_id: int) -> bool:
    """A department officer acts only for their own department(s)."""
    return user.has_role(Role.DEPARTMENT_OFFICER) and department_id in user.department_ids


def can_confirm(user, ticket) -> bool:
    return is_enterprise_side(user, ticket)


def can_manage_meetings(user) -> bool:
    return _is_admin(user) or user.has_role(Role.LEADER)


def can_attach(user, ticket) -> bool:
    return is_enterprise_side(user, ticket) or is_holder(user, ticket)


def can_raise_for(user, enterprise) -> bool:
    """Enterprise staff for their enterprise, its officer (a problem found on a visit), park staff of
    its park, supervisors (an observation), administrators."""
    if _is_admin(user) or user.has_role(Role.SUPERVISOR):
        return True
    if user.has_role(Role.ENTERPRISE_STAFF) and enterprise.pk in user.enterprise_ids:
        return True
    if user.has_role(*PARK_ROLES) and enterprise.park_id in user.park_ids:
        return True
    return user.has_role(Role.CSO) and officer_serves(user, enterprise.pk)


def enterprises_raisable_by(user):
    """The enterprises `user` may raise a problem for, as a queryset (the form's choices): the
    set twin of `can_raise_for`, kept beside it so the two cannot drift apart."""
    qs = Enterprise.objects.select_related("park").order_by("name")
    if _is_admin(user) or user.has_role(Role.SUPERVISOR):
        return qs
    if user.has_role(Role.ENTERPRISE_STAFF) and user.enterprise_ids and not user.has_role(*STAFF_ROLES):
        return qs.filter(pk__in=user.enterprise_ids)
    scope = qs.none()
    if user.has_role(Role.CSO):
        scope = scope | qs.filter(pk__in=enterprises_served_by(user))
    if user.has_role(*PARK_ROLES):
        scope = scope | qs.filter(park_id__in=user.park_ids)
    if user.has_role(Role.ENTERPRISE_STAFF):
        scope = scope | qs.filter(pk__in=user.enterprise_ids)
    return scope.distinct()


RAISING_ROLES = (
    Role.ENTERPRISE_STAFF,
    Role.CSO,
    Role.PARK_DIRECTOR,
    Role.PARK_OFFICER,
    Role.SUPERVISOR,
    Role.ADMIN,
)


def access_register_kinds() -> None:
    """This app's part of the one access policy (`zone_portal.access.policy`)."""
    from . import selectors
    from .models import ActionItem, JointMeeting, Ticket, TicketAttachment, Whistle

    ticket_read = {
        **ZONE_WIDE,
        **grant(PARK_ROLES, Scope.PARK, Scope.OWN),
        Role.CSO: (Scope.ASSIGNED, Scope.OWN),
        Role.DEPARTMENT_OFFICER: (Scope.DEPARTMENT, Scope.OWN),
        Role.ENTERPRISE_STAFF: (Scope.ENTERPRISE, Scope.OWN),
        **grant([Role.SUPERVISOR, Role.HOTLINE, Role.CLERK], Scope.OWN),
    }
    # The holders by tier (leaders hold tier 3), the whistled departments, the enterprise.
    ticket_act = {
        **ADMINS,
        **grant([Role.LEADER, Role.CSO], Scope.ASSIGNED),
        **PARK_STAFF,
        Role.DEPARTMENT_OFFICER: (Scope.DEPARTMENT,),
        Role.ENTERPRISE_STAFF: (Scope.ENTERPRISE, Scope.OWN),
    }
    access_register(
        ObjectKind(
            "ticket",
            Ticket,
            selectors.tickets_visible_to,
            read=ticket_read,
            act=ticket_act,
            description="A problem (诉求) and its timeline, at any tier; the hotline reads what it took in "
            "through its intake endpoint only.",
        ),
        ObjectKind(
            "whistle",
            Whistle,
            selectors.whistles_visible_to,
            read=ticket_read,
            act=ticket_act,
            description="A department whistled to a ticket; follows it.",
        ),
        ObjectKind(
            "attachment",
            TicketAttachment,
            selectors.attachments_visible_to,
            read=ticket_read,
            act=ticket_act,
            description="A ticket's file; follows it.",
        ),
        ObjectKind(
            "action_item",
            ActionItem,
            selectors.action_items_visible_to,
            read=ticket_read,
            act=ticket_act,
            description="A task of the minutes; follows its ticket.",
        ),
        ObjectKind(
            "meeting",
            JointMeeting,
            selectors.meetings_visible_to,
            read={
                **grant([Role.ADMIN, Role.LEADER, *PARK_ROLES], Scope.ALL),
                Role.DEPARTMENT_OFFICER: (Scope.DEPARTMENT,),
            },
            act=ZONE_WIDE,
            description="A district joint meeting (tier 3) with its agenda and minutes.",
        ),
    )
