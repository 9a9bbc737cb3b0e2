"""Menus, home-page panels and what an app adds to another app's page, contributed by each app
from its AppConfig.ready().

The base layout and the home page read this registry, so an app adds its pages without editing
shared templates: `nav_register(...)` for a menu entry, `home_panel_register(...)` for a home section.
A page of a lower app shows what a higher app adds to it without importing that app:
`object_link_register(slot, ...)` adds a link beside an object (e.g. "raise as a problem" under an
enterprise's visit, slot "enterprises.visit"), `object_panel_register(slot, ...)` a section on an
object's page (e.g. a project's problems, slot "projects.project"); the page asks
`object_links_for(user, slot, obj)` / `object_panels_for(request, slot, obj)`.
The enterprise page (slot "enterprises.enterprise") tells the enterprise's whole story this way:
its requests and ratings (services), problems (feedback) and projects (projects), each a list in
`templates/includes/_object_list_panel.html`, scoped by the contributing app's `visible_to`.
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
    # The menu section it stands in when a user's menu is long (`nav_menu_for`); an app's entries
    # get the app's `nav_group` (its verbose name unless it says otherwise) when none is given.
    group: str = ""


@dataclass(frozen=True)
class HomePanel:
    template: str
    roles: tuple[str, ...]
    order: int = 100
    context: Callable | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ObjectLink:
    slot: str
    label: str
    url: Callable = field(compare=False)  # url(obj) -> str
    roles: tuple[str, ...]
    order: int = 100


@dataclass(frozen=True)
class ObjectPanel:
    slot: str
    template: str
    context: Callable = field(compare=False)  # context(request, obj) -> dict
    order: int = 100


@dataclass(frozen=True)
class DeskPage:
    """A role's own page (a leader's desk): where `/dashboard/` sends a user of `roles` who has no
    dashboard of their own, instead of a bare 404."""

    url_name: str
    roles: tuple[str, ...]
    order: int = 100


@dataclass(frozen=True)
class PublicLink:
    """A link for people not signed in, under the login form (an enterprise's account request);
    `lead` is the words before it."""

    label: str
    url_name: str
    lead: str = ""
    order: int = 100


_nav: list[NavItem] = []
_desks: list[DeskPage] = []
_panels: list[HomePanel] = []
_object_links: list[ObjectLink] = []
_object_panels: list[ObjectPanel] = []
_public_links: list[PublicLink] = []


def nav_register(*, label, url_name: str, roles: tuple[str, ...], order: int = 100) -> None:
    contribution_register(NavItem(label, url_name, tuple(roles), order))


def home_panel_register(*, template: str, roles: tuple[str, ...], order: int = 100, context=None) -> None:
    contribution_register(HomePanel(template, tuple(roles), order, context))


def object_link_register(
    slot: str, *, label, url: Callable, roles: tuple[str, ...], order: int = 100
) -> None:
    contribution_register(ObjectLink(slot, label, url, tuple(roles), order))


def object_panel_register(slot: str, *, template: str, context: Callable, order: int = 100) -> None:
    """`context(request, obj)` gives the template's context; it decides what the user may see."""
    contribution_register(ObjectPanel(slot, template, context, order))


def contribution_register(
    contribution: NavItem | HomePanel | ObjectLink | ObjectPanel | DeskPage | PublicLink,
) -> None:
    """Register one of the dataclasses above (as an app's `PortalAppConfig.contributions()` gives them);
    registering the same entry again (same url, template, or slot and label) changes nothing."""
    registry, key = {
        NavItem: (_nav, lambda item: item.url_name),
        HomePanel: (_panels, lambda item: item.template),
        ObjectLink: (_object_links, lambda item: (item.slot, item.label)),
        # One shared template may serve several panels (includes/_object_list_panel.html).
        ObjectPanel: (_object_panels, lambda item: (item.slot, item.template, item.context)),
        DeskPage: (_desks, lambda item: item.url_name),
        PublicLink: (_public_links, lambda item: item.url_name),
    }[type(contribution)]
    if not any(key(item) == key(contribution) for item in registry):
        registry.append(contribution)


LIST_PANEL = "includes/_object_list_panel.html"
LIST_PANEL_ROWS = 10


def list_panel(rows, *, row: Callable, anchor: str, title, label_header, empty) -> dict:
    """The context of a `LIST_PANEL` section: how many `rows` (an ordered queryset) there are and
    the first ten, each as `row(obj)` gives it: (label, url, status, date)."""
    return {
        "anchor": anchor,
        "title": title,
        "label_header": label_header,
        "total": rows.count(),
        "rows": [
            dict(zip(("label", "url", "status", "date"), row(obj), strict=True))
            for obj in rows[:LIST_PANEL_ROWS]
        ],
        "empty": empty,
    }


def object_links_for(user, slot: str, obj) -> list[dict]:
    return [
        {"label": link.label, "url": link.url(obj)}
        for link in sorted(_object_links, key=lambda link: link.order)
        if link.slot == slot and user_has_role(user, *link.roles)
    ]


def object_panels_for(request, slot: str, obj) -> list[dict]:
    return [
        {"template": panel.template, **panel.context(request, obj)}
        for panel in sorted(_object_panels, key=lambda panel: panel.order)
        if panel.slot == slot
    ]


def nav_for(user) -> list[dict]:
    items = []
    for item in sorted(_nav, key=lambda i: (i.order, str(i.label))):
        if user_has_role(user, *item.roles):
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            items.append({"label": item.label, "url": url, "name": item.url_name, "group": item.group})
    return items


# A menu of more entries than this is shown in sections (one per app), so that an administrator's
# or a leader's menu stays one line on a laptop; shorter menus (an enterprise's: 12 entries) stay flat.
FLAT_MENU_MAX = 12


def nav_menu_for(items: list[dict], path: str = "") -> list[dict]:
    """`nav_for`'s entries as the header shows them: each a link (`url`, `label`), or, in a long menu,
    a section (`group`, `links`, `current`) of the entries that share a group. A section of one entry
    is shown as that entry; sections keep the order of their first entry."""
    if len(items) <= FLAT_MENU_MAX:
        return list(items)
    sections: dict[str, list[dict]] = {}
    for item in items:
        sections.setdefault(str(item["group"]) or item["url"], []).append(item)
    menu = []
    for members in sections.values():
        if len(members) == 1 or not members[0]["group"]:
            menu.extend(members)
            continue
        current = any(member["url"] == path for member in members)
        menu.append({"group": members[0]["group"], "links": members, "current": current})
    return menu


def home_panels_for(request) -> list[dict]:
    panels = []
    for panel in sorted(_panels, key=lambda p: p.order):
        if user_has_role(request.user, *panel.roles):
            extra = panel.context(request) if panel.context else {}
            panels.append({"template": panel.template, **extra})
    return panels


def desk_for(user) -> str | None:
    """The URL of the first desk page registered for one of `user`'s roles, or None."""
    for desk in sorted(_desks, key=lambda d: d.order):
        if user_has_role(user, *desk.roles):
            try:
                return reverse(desk.url_name)
            except NoReverseMatch:
                continue
    return None


def public_links() -> list[dict]:
    """The links under the login form, in their order: label, lead and url."""
    return [
        {"label": link.label, "lead": link.lead, "url": reverse(link.url_name)}
        for link in sorted(_public_links, key=lambda link: link.order)
    ]
