from django.utils.translation import gettext_lazy as _

from zone_portal import contributions


class ProjectsConfig(contributions.PortalAppConfig):
    name = "projects"
    verbose_name = _("Key projects")

    def contributions(self):
        from zone_portal.accounts.roles import Role
        from zone_portal.web.navigation import LIST_PANEL, HomePanel, NavItem, ObjectPanel

        from .permissions import PARK_ROLES, PROJECT_READER_ROLES
        from .views import home_panel_context

        officers = (Role.LEADER, Role.CSO, Role.DEPARTMENT_OFFICER)
        return [
            NavItem(_("Battle map"), "projects:board", PROJECT_READER_ROLES, order=40),
            NavItem(_("My projects"), "projects:mine", officers, order=41),
            NavItem(_("My parks' projects"), "projects:park", PARK_ROLES, order=42),
            NavItem(_("Our projects"), "projects:list", (Role.ENTERPRISE_STAFF,), order=43),
            ObjectPanel("enterprises.enterprise", LIST_PANEL, _enterprise_panel, order=30),
            HomePanel(
                "projects/_home_panel.html",
                roles=(Role.LEADER, Role.ADMIN, *PARK_ROLES),
                order=40,
                context=home_panel_context,
            ),
        ]


def _enterprise_panel(request, enterprise) -> dict:
    """The enterprise's key projects the reader may see."""
    from zone_portal.web.navigation import list_panel

    from .selectors import projects_visible_to

    return list_panel(
        projects_visible_to(request.user).filter(enterprise=enterprise).order_by("-id"),
        row=lambda p: (p.name, p.get_absolute_url(), p.get_stage_display(), p.created_at),
        anchor="projects",
        title=_("Key projects"),
        label_header=_("Project"),
        empty=_("No key projects."),
    )
