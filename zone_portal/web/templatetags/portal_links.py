"""`{% if user|may_open:"projects:ranking" %}`: whether the user may open a page, so a page shows
no link that answers 404 for its reader (a page of a role the user does not hold). The roles are
the view's own (`role_required` records them), so the link and the door never disagree."""

from django import template
from django.urls import NoReverseMatch, resolve, reverse

from zone_portal.api.permissions import user_has_role

register = template.Library()


@register.filter
def may_open(user, url_name: str) -> bool:
    try:
        view = resolve(reverse(url_name)).func
    except NoReverseMatch:
        return False
    if not getattr(user, "is_authenticated", False):
        return False
    roles = getattr(view, "allowed_roles", None)
    return roles is None or user_has_role(user, *roles)
