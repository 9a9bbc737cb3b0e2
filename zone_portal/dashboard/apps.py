from django.utils.translation import gettext_lazy as _

from zone_portal import contributions


class DashboardConfig(contributions.PortalAppConfig):
    name = "zone_portal.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboards")

    def ready(self):
        super().ready()
        # Each app's `dashboard.py` registers its facts, its parts of the summary, its drill-downs
        # and the receivers that mark the days no `updated_at` tells (like the admin's `admin.py`).
        contributions.app_modules("dashboard")
        access_register_kinds()

    def contributions(self):
        from zone_portal.accounts.roles import Role
        from zone_portal.web.navigation import HomePanel, NavItem

        from .scope import DASHBOARD_ROLES, PARK_ROLES
        from .views import home_panel

        return [
            NavItem(_("Dashboard"), "dashboard:index", (Role.ADMIN,), order=90),
            NavItem(_("Park dashboard"), "dashboard:park", PARK_ROLES, order=91),
            NavItem(_("Department scoreboard"), "dashboard:department", (Role.DEPARTMENT_OFFICER,), 92),
            HomePanel(
                "dashboard/_home_panel.html",
                roles=DASHBOARD_ROLES,
                order=10,
                context=home_panel,
            ),
        ]


def access_register_kinds() -> None:
    """The dashboards' part of the access policy: whose figures, drill-downs and exports a role
    sees. The rows of a drill-down are also asked of their own kind's selector (ticket, request,
    rating…), so a list behind a figure never shows what the lists do not."""
    from zone_portal.access.policy import ADMINS, PARK_STAFF, ObjectKind, Scope, access_register
    from zone_portal.accounts.roles import Role
    from zone_portal.org.models import Park

    from .scope import parks_in_scope

    read = {**ADMINS, Role.DEPARTMENT_OFFICER: (Scope.DEPARTMENT,), **PARK_STAFF}
    access_register(
        ObjectKind(
            name="dashboard",
            model=Park,
            visible_to=parks_in_scope,
            read=read,
            act={},
            description="Figures, drill-down lists and .xlsx exports of the zone, a park or a department.",
        )
    )
