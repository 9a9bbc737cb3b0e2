"""What the apps of this project contribute by convention, found the way the admin finds `admin.py`:
a module of a known name inside the app — `api.py` (routes under /api/v1/), `demo.py` (`seed(ctx)`),
`schedule.py` (`BEAT_SCHEDULE`), `dashboard.py` (facts and figures). Only the project's own apps are
asked (a third-party package may have an unrelated module of the same name), in the order of
INSTALLED_APPS, so an app may rely on the apps listed before it. Pages are mounted at the app's
label or its AppConfig's `url_prefix`; menus, home panels and timeline words are registered by `PortalAppConfig.ready()`
from what the app declares."""

from dataclasses import replace
from importlib import import_module
from types import ModuleType

from django.apps import AppConfig
from django.conf import settings
from django.utils.module_loading import module_has_submodule


def project_app_names() -> list[str]:
    """The installed apps whose top-level package is a folder of this project."""
    return [
        name
        for name in settings.INSTALLED_APPS
        if (settings.BASE_DIR / name.split(".")[0] / "__init__.py").exists()
    ]


def app_modules(module_name: str) -> list[ModuleType]:
    """`<app>.<module_name>` of every app of this project that has one."""
    found = []
    for app_name in project_app_names():
        name = f"{app_name}.{module_name}"
        try:
            found.append(import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:  # the module exists but imports something missing: say so
                raise
    return found


class PortalAppConfig(AppConfig):
    """The AppConfig of an app of this project. `ready()` registers what the app declares: the timeline
    words its `timeline.py` declares (`KINDS`, `STATES`, `event_detail`), the words of its notifications (the `Message`s its
    `notices.py` declares), its kinds of object in the access policy (its
    `permissions.py`'s `access_register_kinds()`), then what `contributions()` gives — menu entries,
    home panels, links and panels on other apps' pages (the dataclasses of `zone_portal.web.navigation`)
    and its rated kinds of case (`zone_portal.ratings.registry.Rateable`).
    An app that registers something else overrides `ready()` and calls `super().ready()`. Its `apps.py`
    refers to this class as `contributions.PortalAppConfig`: Django takes the one AppConfig class the
    module defines only when it is the only one in the module's names."""

    # Where the pages of its `urls.py` mount (zone_portal/urls.py): its label ("services/") unless set.
    url_prefix: str | None = None
    # The section of the menu that the app's entries stand in (`NavItem.group`); its verbose name
    # unless set.
    nav_group = None
    # Its enums' names in the API schema (zone_portal/api/enum_names.py).
    api_enum_names: dict[str, str] = {}

    def contributions(self) -> list:
        return []

    def ready(self):
        from zone_portal.api.enum_names import ENUM_NAMES
        from zone_portal.events.labels import timeline_register
        from zone_portal.notifications.messages import messages_register
        from zone_portal.ratings.registry import Rateable, rateable_register
        from zone_portal.web.navigation import NavItem, contribution_register

        ENUM_NAMES.register(self.api_enum_names)

        if module_has_submodule(self.module, "timeline"):
            timeline_register(self.label, import_module(f"{self.name}.timeline"))
        if module_has_submodule(self.module, "permissions"):
            import_module(f"{self.name}.permissions").access_register_kinds()
        if module_has_submodule(self.module, "notices"):
            # the words of its notifications (`zone_portal.notifications.messages`), by code
            messages_register(import_module(f"{self.name}.notices"))
        for contribution in self.contributions():
            if isinstance(contribution, Rateable):
                rateable_register(contribution)
                continue
            if isinstance(contribution, NavItem) and not contribution.group:
                contribution = replace(contribution, group=self.nav_group or self.verbose_name)
            contribution_register(contribution)
