"""Menus and home-page panels, contributed by each app from its AppConfig.ready().

The base layout and the home page read this registry, so an app adds its pages without editing
shared templates: `nav_register(...)` for a menu entry, `home_panel_register(...)` for a home section.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

from zone_portal.api.permissions import user_has_role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[str, ...]
    order: int = 100


@dataclass(frozen=True)
class HomePanel:
    template: str
    roles: tuple[str, ...]
    order: int = 100
    context: Callable | None = field(default=None, compare=False)


_nav: list[NavItem] = []
_panels: list[HomePanel] = []


def nav_register(*, label, url_name: str, roles: tuple[str, ...], order: int = 100) -> None:
    if not any(item.url_name == url_name for item in _nav):
        _nav.append(NavItem(label, url_name, tuple(roles), order))


def home_panel_register(*, template: str, roles: tuple[str, ...], order: int = 100, context=None) -> None:
    if not any(panel.template == template for panel in _panels):
        _panels.append(HomePanel(template, tuple(roles), order, context))


def nav_for(user) -> list[dict]:
    items = []
    for item in sorted(_nav, key=lambda i: (i.order, str(i.label))):
        if user_has_role(user, *item.roles):
            try:
                items.append({"label": item.label, "url": reverse(item.url_name), "name": item.url_name})
            except NoReverseMatch:
                continue
    return items


def home_panels_for(request) -> list[dict]:
    panels = []
    for panel in sorted(_panels, key=lambda p: p.order):
        if user_has_role(request.user, *panel.roles):
            extra = panel.context(request) if panel.context else {}
            panels.append({"template": panel.template, **extra})
    return panels
