"""Whose figures a dashboard shows: the whole zone, one park, or one department.

The scope is decided on the server from the user's roles, never from the request alone: an
administrator may look at any park or department; a park director (or park officer) only at their
own park; a department officer only at their own department; everyone else is refused.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from zone_portal.access.scopes import PARK_ROLES
from zone_portal.accounts.roles import Role
from zone_portal.errors import InvalidInput, NotFoundError, PermissionDeniedError
from zone_portal.org.models import Department, Park

DASHBOARD_ROLES = (Role.ADMIN, *PARK_ROLES, Role.DEPARTMENT_OFFICER)


@dataclass(frozen=True)
class Scope:
    park: Park | None = None
    department: Department | None = None

    @property
    def kind(self) -> str:
        if self.park is not None:
            return "park"
        if self.department is not None:
            return "department"
        return "zone"

    @property
    def label(self) -> str:
        if self.park is not None:
            return self.park.name
        if self.department is not None:
            return self.department.name
        return str(_("The whole zone"))

    def narrow(self, qs, *, department: str | None = None, park: str | None = None):
        """`qs` cut to this scope: a department's rows by the lookup `department`, a park's by the
        lookup `park` (a lookup left out: that scope sees every row)."""
        if self.department is not None and department is not None:
            return qs.filter(**{department: self.department})
        if self.park is not None and park is not None:
            return qs.filter(**{park: self.park})
        return qs

    def as_params(self) -> dict:
        if self.park is not None:
            return {"park": self.park.pk}
        if self.department is not None:
            return {"department": self.department.pk}
        return {}

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "park": {"id": self.park.pk, "name": self.park.name} if self.park else None,
            "department": (
                {"id": self.department.pk, "code": self.department.code, "name": self.department.name}
                if self.department
                else None
            ),
        }


def _id(params, name: str) -> int | None:
    value = (params.get(name) or "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise InvalidInput(fields={name: [_("Choose one from the list.")]})
    return int(value)


def may_view_dashboard(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_zone_admin or user.has_role(*PARK_ROLES, Role.DEPARTMENT_OFFICER)
    )


def parks_in_scope(user):
    """The parks whose dashboards `user` may open (every park for administrators)."""
    if not may_view_dashboard(user):
        return Park.objects.none()
    if user.is_zone_admin:
        return Park.objects.all()
    if user.has_role(*PARK_ROLES):
        return Park.objects.filter(pk__in=user.park_ids)
    return Park.objects.none()


def scope_for(user, params, *, view: str = "auto") -> Scope:
    """The scope `user` asked for with `park=<id>` / `department=<id>`, within their rights.

    `view` is the page being shown: "zone" (administrators), "park" (park staff), "department"
    (department officers), or "auto" (the API: the widest scope the user holds). A park or
    department outside the user's own answers 404, like every object that is not theirs; a user
    without a dashboard role gets 403.
    """
    park_id, department_id = _id(params, "park"), _id(params, "department")
    if not getattr(user, "is_authenticated", False):
        raise PermissionDeniedError()
    if view in ("auto", "zone") and user.is_zone_admin:
        if park_id:
            park = Park.objects.filter(pk=park_id).first()
            if park is None:
                raise NotFoundError(_("No such park."))
            return Scope(park=park)
        if department_id:
            department = Department.objects.filter(pk=department_id).first()
            if department is None:
                raise NotFoundError(_("No such department."))
            return Scope(department=department)
        return Scope()
    if view in ("auto", "park") and user.has_role(*PARK_ROLES) and user.park_ids and not department_id:
        chosen = park_id or user.park_ids[0]
        if chosen not in user.park_ids:
            raise NotFoundError(_("No such park."))
        return Scope(park=Park.objects.get(pk=chosen))
    if view in ("auto", "department") and user.has_role(Role.DEPARTMENT_OFFICER) and user.department_ids:
        if park_id:
            raise NotFoundError(_("No such park."))
        chosen = department_id or user.department_ids[0]
        if chosen not in user.department_ids:
            raise NotFoundError(_("No such department."))
        return Scope(department=Department.objects.get(pk=chosen))
    if may_view_dashboard(user) and (park_id or department_id):
        raise NotFoundError()
    raise PermissionDeniedError(_("Dashboards are for administrators, parks and departments."))
