from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "zone_portal.dashboard"
    label = "dashboard"
    url_prefix = "dashboard/"
    verbose_name = _("Dashboards")

    def ready(self):
        from zone_portal.accounts.roles import Role
        from zone_portal.contributions import app_modules
        from zone_portal.web.navigation import home_panel_register, nav_register

        from .scope import PARK_ROLES
        from .views import home_panel

        # Each app's `dashboard.py` registers its facts, its parts of the summary, its drill-downs
        # and the receivers that mark the days no `updated_at` tells (like the admin's `admin.py`).
        app_modules("dashboard")

        nav_register(label=_("Dashboard"), url_name="dashboard:index", roles=(Role.ADMIN,), order=90)
        nav_register(label=_("Park dashboard"), url_name="dashboard:park", roles=PARK_ROLES, order=91)
        nav_register(
            label=_("Department scoreboard"),
            url_name="dashboard:department",
            roles=(Role.DEPARTMENT_OFFICER,),
            order=92,
        )
        home_panel_register(
            template="dashboard/_home_panel.html",
            roles=(Role.ADMIN, *PARK_ROLES, Role.DEPARTMENT_OFFICER),
            order=10,
            context=home_panel,
        )
