from django.utils.translation import gettext_lazy as _

from zone_portal import contributions


class ProjectsConfig(contributions.PortalAppConfig):
    name = "projects"
    url_prefix = "projects/"
    verbose_name = _("Key projects")

    def ready(self):
        super().ready()
        from .templatetags.project_tags import register_timeline_labels

        register_timeline_labels()

    def contributions(self):
        from zone_portal.accounts.roles import Role
        from zone_portal.web.navigation import HomePanel, NavItem, ObjectPanel

        from .permissions import PARK_ROLES, PROJECT_READER_ROLES
        from .views import home_panel_context

        officers = (Role.LEADER, Role.CSO, Role.DEPARTMENT_OFFICER)
        return [
            NavItem(_("Battle map"), "projects:board", PROJECT_READER_ROLES, order=40),
            NavItem(_("My projects"), "projects:mine", officers, order=41),
            NavItem(_("My parks' projects"), "projects:park", PARK_ROLES, order=42),
            NavItem(_("Our projects"), "projects:list", (Role.ENTERPRISE_STAFF,), order=43),
            ObjectPanel(
                "enterprises.enterprise", "includes/_object_list_panel.html", _enterprise_panel, order=30
            ),
            HomePanel(
                "projects/_home_panel.html",
                roles=(Role.LEADER, Role.ADMIN, *PARK_ROLES),
                order=40,
                context=home_panel_context,
            ),
        ]


def _enterprise_panel(request, enterprise) -> dict:
    """The enterprise's key projects the reader may see."""
    from .selectors import projects_visible_to

    rows = projects_visible_to(request.user).filter(enterprise=enterprise)
    return {
        "anchor": "projects",
        "title": _("Key projects"),
        "label_header": _("Project"),
        "total": rows.count(),
        "rows": [
            {
                "label": p.name,
                "url": p.get_absolute_url(),
                "status": p.get_stage_display(),
                "date": p.created_at,
            }
            for p in rows.order_by("-id")[:10]
        ],
        "empty": _("No key projects."),
    }
