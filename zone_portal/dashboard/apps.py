from django.utils.translation import gettext_lazy as _

from zone_portal import contributions


class DashboardConfig(contributions.PortalAppConfig):
    name = "zone_portal.dashboard"
    label = "dashboard"
    url_prefix = "dashboard/"
    verbose_name = _("Dashboards")

    def ready(self):
        super().ready()
        # Each app's `dashboard.py` registers its facts, its parts of the summary, its drill-downs
        # and the receivers that mark the days no `updated_at` tells (like the admin's `admin.py`).
        contributions.app_modules("dashboard")

    def contributions(self):
        from zone_portal.accounts.roles import Role
        from zone_portal.web.navigation import HomePanel, NavItem

        from .scope import PARK_ROLES
        from .views import home_panel

        return [
            NavItem(_("Dashboard"), "dashboard:index", (Role.ADMIN,), order=90),
            NavItem(_("Park dashboard"), "dashboard:park", PARK_ROLES, order=91),
            NavItem(_("Department scoreboard"), "dashboard:department", (Role.DEPARTMENT_OFFICER,), 92),
            HomePanel(
                "dashboard/_home_panel.html",
                roles=(Role.ADMIN, *PARK_ROLES, Role.DEPARTMENT_OFFICER),
                order=10,
                context=home_panel,
            ),
        ]
