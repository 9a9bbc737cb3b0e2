"""The scopes a user's roles open, in one place: every app's `*_visible_to` selector builds on these."""

from zone_portal.accounts.roles import Role

# Roles that act for the departments they belong to. A chief service officer also belongs to a
# department (企业服务部), but that row is organisational: it opens no department's cases.
DEPARTMENT_ROLES = (Role.DEPARTMENT_OFFICER, Role.CLERK)
PARK_ROLES = (Role.PARK_DIRECTOR, Role.PARK_OFFICER)


def acting_department_ids(user) -> list[int]:
    """The departments whose cases `user` reads and works as a department officer or clerk."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(*DEPARTMENT_ROLES):
        return []
    return user.department_ids


def acting_park_ids(user) -> list[int]:
    """The parks whose enterprises and cases `user` serves as a park director or officer."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(*PARK_ROLES):
        return []
    return user.park_ids
