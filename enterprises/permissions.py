"""Who may do what to which enterprise. Object scoping (404) is `selectors.enterprises_visible_to`."""

from zone_portal.access.policy import ADMINS, PARK_STAFF, ObjectKind, Scope, access_register, grant
from zone_portal.access.scopes import PARK_ROLES
from zone_portal.accounts.roles import STAFF_ROLES, Role
from zone_portal.api.permissions import user_has_role

from .models import OWNER_FIELDS, QUALIFICATION_FIELDS, REGISTER_FIELDS, EnterpriseMembership

# Who works with the register (the directory, workload, exports); department officers read no register.
DIRECTORY_ROLES = tuple(sorted(STAFF_ROLES - {Role.DEPARTMENT_OFFICER}))
REGISTER_ROLES = (Role.CLERK, Role.ADMIN)


def can_view_directory(user) -> bool:
    return user_has_role(user, *DIRECTORY_ROLES)


def can_edit_register(user) -> bool:
    """Create enterprises, import files, change any register field or the status."""
    return user_has_role(user, *REGISTER_ROLES)


def is_owner(user, enterprise) -> bool:
    return EnterpriseMembership.objects.filter(
        user=user, enterprise=enterprise, kind=EnterpriseMembership.Kind.OWNER
    ).exists()


def editable_fields(user, enterprise, *, current_officer_id: int | None) -> set[str]:
    """The fields `user` may change on `enterprise` (empty: read only)."""
    fields: set[str] = set()
    if can_edit_register(user):
        fields |= set(REGISTER_FIELDS) | set(QUALIFICATION_FIELDS)
    if current_officer_id is not None and user.pk == current_officer_id:
        fields |= set(QUALIFICATION_FIELDS)  # the officer follows the enterprise's service goals
    if user_has_role(user, Role.ENTERPRISE_STAFF) and is_owner(user, enterprise):
        fields |= set(OWNER_FIELDS)
    return fields


def _works_in_park(user, park_id: int) -> bool:
    return user_has_role(user, *PARK_ROLES) and park_id in user.park_ids


def can_assign_cso(user, enterprise, *, current_officer_id: int | None) -> bool:
    """Administrators, the park's staff, the current officer (handing over their own enterprise),
    and the register's clerks for an enterprise that has no officer yet."""
    if user_has_role(user, Role.ADMIN):
        return True
    if current_officer_id is None and can_edit_register(user):
        return True
    if _works_in_park(user, enterprise.park_id):
        return True
    return current_officer_id is not None and user.pk == current_officer_id and user.has_role(Role.CSO)


def can_bulk_assign(user, park) -> bool:
    return user_has_role(user, Role.ADMIN) or (
        user_has_role(user, Role.PARK_DIRECTOR) and park.pk in user.park_ids
    )


def can_log_visit(user, enterprise, *, current_officer_id: int | None) -> bool:
    if user_has_role(user, Role.ADMIN) or _works_in_park(user, enterprise.park_id):
        return True
    return user_has_role(user, Role.CSO) and user.pk == current_officer_id


def can_manage_staff(user, enterprise) -> bool:
    return user_has_role(user, Role.ADMIN) or (
        user_has_role(user, Role.ENTERPRISE_STAFF) and is_owner(user, enterprise)
    )


def can_review_account_requests(user) -> bool:
    return user_has_role(user, Role.CLERK, Role.ADMIN)


def access_register_kinds() -> None:
    """This app's part of the one access policy (`zone_portal.access.policy`)."""
    from . import selectors
    from .models import AccountRequest, Enterprise, EnterpriseImport, EnterpriseMembership, Visit

    clerks = grant(REGISTER_ROLES, Scope.ALL)  # the register's clerks and administrators
    # The register: read by its clerks and the leaders, and by those who serve the enterprise.
    served = {**PARK_STAFF, Role.CSO: (Scope.PARK, Scope.ASSIGNED)}
    register_read = {
        **clerks,
        Role.LEADER: (Scope.ALL,),
        **served,
        Role.ENTERPRISE_STAFF: (Scope.ENTERPRISE,),
    }
    owners = {**ADMINS, Role.ENTERPRISE_STAFF: (Scope.ENTERPRISE,)}
    access_register(
        ObjectKind(
            "enterprise",
            Enterprise,
            selectors.enterprises_visible_to,
            read=register_read,
            act={**clerks, **served, Role.CSO: (Scope.ASSIGNED,), Role.ENTERPRISE_STAFF: (Scope.ENTERPRISE,)},
            description="The register entry with its contacts and officers; the owner edits contacts.",
        ),
        ObjectKind(
            "visit",
            Visit,
            selectors.visits_visible_to,
            read=register_read,
            act={**ADMINS, **served, Role.CSO: (Scope.ASSIGNED,)},
            description="Visit notes follow the register; the officer and the park's staff log them.",
        ),
        ObjectKind(
            "membership",
            EnterpriseMembership,
            selectors.memberships_visible_to,
            read=owners,
            act=owners,
            description="An enterprise's accounts: its owner manages colleagues.",
        ),
        ObjectKind(
            "account_request",
            AccountRequest,
            selectors.account_requests_visible_to,
            read=clerks,
            act=clerks,
            description="Public requests for an enterprise account, reviewed by clerks.",
        ),
        ObjectKind(
            "enterprise_import",
            EnterpriseImport,
            selectors.enterprise_imports_visible_to,
            read=clerks,
            act=clerks,
            description="Register imports (files, previews, progress).",
        ),
    )
