"""Who may act on a rating's rectification (403 otherwise). Reading is scoped by the selectors
(`rectifications_visible_to`): what a user cannot see answers 404."""

from zone_portal.access.policy import ADMINS, ZONE_WIDE, ObjectKind, Scope, access_register, grant
from zone_portal.access.scopes import DEPARTMENT_ROLES, PARK_ROLES, acting_department_ids
from zone_portal.accounts.roles import Role


def may_work_rectification(user, rectification) -> bool:
    """The handler's department (its department officers or clerks) and the handler, or an
    administrator. Park staff and leaders read rectifications without working them."""
    return (
        user.is_zone_admin
        or rectification.handler_id == user.pk
        or (
            rectification.department_id is not None
            and rectification.department_id in acting_department_ids(user)
        )
    )


def may_rate_fix(user, rectification) -> bool:
    """Whoever gave the review, or a member of the enterprise that gave it."""
    rating = rectification.rating
    return rating.rater_id == user.pk or (
        rating.enterprise_id is not None and rating.enterprise_id in user.enterprise_ids
    )


def may_decide_appeal(user) -> bool:
    return user.is_zone_admin or user.has_role(Role.SUPERVISOR)


def access_register_kinds() -> None:
    """The ratings' part of the one access policy (`zone_portal.access.policy`)."""
    from . import selectors
    from .models import Rating, Rectification

    # Who is involved in the case: the handler (assigned), its department, the enterprise that rated.
    involved = {
        **grant(DEPARTMENT_ROLES, Scope.DEPARTMENT, Scope.ASSIGNED),
        Role.CSO: (Scope.ASSIGNED,),
        Role.ENTERPRISE_STAFF: (Scope.ENTERPRISE, Scope.OWN),
    }
    rating_read = {**ZONE_WIDE, **involved, **grant(PARK_ROLES, Scope.PARK, Scope.ASSIGNED)}
    access_register(
        ObjectKind(
            "rating",
            Rating,
            selectors.ratings_visible_to,
            # A social supervisor reads the ratings they gave (of their observations' answers).
            read={**rating_read, Role.SUPERVISOR: (Scope.OWN,)},
            act={Role.ENTERPRISE_STAFF: (Scope.ENTERPRISE, Scope.OWN), Role.SUPERVISOR: (Scope.OWN,)},
            description="A good/bad rating of a finished case; read by the handler, the handler's "
            "department (its officers and clerks, not everyone filed under it) and the case's park.",
        ),
        ObjectKind(
            "rectification",
            Rectification,
            selectors.rectifications_visible_to,
            read={**rating_read, Role.SUPERVISOR: (Scope.APPEALS, Scope.OWN)},
            act={
                **ADMINS,
                **involved,
                **grant(PARK_ROLES, Scope.ASSIGNED),
                Role.SUPERVISOR: (Scope.APPEALS, Scope.OWN),
            },
            description="A bad review's rectification: worked by the handler and the handler's department, "
            "its fix rated by the enterprise, an appeal decided by a supervisor or an administrator.",
        ),
    )
