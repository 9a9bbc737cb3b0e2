"""Who may act on a rating's rectification (403 otherwise). Reading is scoped by the selectors
(`rectifications_visible_to`): what a user cannot see answers 404."""

from zone_portal.accounts.roles import Role


def may_work_rectification(user, rectification) -> bool:
    """The handler's department (and the handler), or an administrator."""
    return (
        user.is_zone_admin
        or rectification.handler_id == user.pk
        or (rectification.department_id is not None and rectification.department_id in user.department_ids)
    )


def may_rate_fix(user, rectification) -> bool:
    """Whoever gave the review, or a member of the enterprise that gave it."""
    rating = rectification.rating
    return rating.rater_id == user.pk or (
        rating.enterprise_id is not None and rating.enterprise_id in user.enterprise_ids
    )


def may_decide_appeal(user) -> bool:
    return user.is_zone_admin or user.has_role(Role.SUPERVISOR)
