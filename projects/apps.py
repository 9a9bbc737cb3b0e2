from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    url_prefix = "projects/"
    verbose_name = _("Key projects")

    def ready(self):
        from .templatetags.project_tags import register_timeline_labels

        register_timeline_labels()
        from zone_portal.accounts.roles import Role
        from zone_portal.web.navigation import home_panel_register, nav_register

        from .permissions import PARK_ROLES, PROJECT_READER_ROLES
        from .views import home_panel_context

        nav_register(label=_("Battle map"), url_name="projects:board", roles=PROJECT_READER_ROLES, order=40)
        nav_register(
            label=_("My projects"),
            url_name="projects:mine",
            roles=(Role.LEADER, Role.CSO, Role.DEPARTMENT_OFFICER),
            order=41,
        )
        nav_register(label=_("My parks' projects"), url_name="projects:park", roles=PARK_ROLES, order=42)
        nav_register(
            label=_("Our projects"), url_name="projects:list", roles=(Role.ENTERPRISE_STAFF,), order=43
        )
        home_panel_register(
            template="projects/_home_panel.html",
            roles=(Role.LEADER, Role.ADMIN, *PARK_ROLES),
            order=40,
            context=home_panel_context,
        )
