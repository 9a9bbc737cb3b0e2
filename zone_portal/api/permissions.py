"""Role checks shared by every app's API and pages. Object scoping lives in each app's selectors."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission


def user_has_role(user, *roles: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser and "admin" in roles or user.has_role(*roles)


def HasRole(*roles: str) -> type[BasePermission]:  # noqa: N802 - reads like a class in permission_classes
    """A DRF permission class admitting users who hold any of `roles`."""

    class _HasRole(BasePermission):
        def has_permission(self, request, view):
            return user_has_role(request.user, *roles)

    _HasRole.__name__ = "HasRole_" + "_".join(roles)
    return _HasRole


class PeopleOnly(BasePermission):
    """Part of every endpoint's default permissions: machine clients (the hotline) are refused.

    A machine client's own endpoint names its role explicitly (`HasRole(Role.HOTLINE)`), which
    replaces the defaults.
    """

    message = _("This account belongs to another system: it may use only its own endpoint.")

    def has_permission(self, request, view):
        return not getattr(request.user, "is_machine_client", False)


def role_required(*roles: str):
    """For HTML views: sign-in first, then 404 for anyone without one of `roles` (nothing to see)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user_has_role(request.user, *roles):
                raise Http404
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = tuple(roles)  # read by the `may_open` template filter
        return wrapper

    return decorator
