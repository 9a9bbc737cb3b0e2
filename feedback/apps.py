from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    url_prefix = "problems/"
    verbose_name = _("Problems")

    def ready(self):
        from . import permissions, timeline

        timeline.register()
        permissions.access_register_kinds()
        from zone_portal.ratings.registry import rateable_register

        from .models import Ticket
        from .selectors import FINISHED

        # Rated when the enterprise confirms it solved; one left unconfirmed counts as not rated.
        rateable_register(Ticket, finished=lambda: Ticket.objects.filter(status__in=FINISHED))
        from zone_portal.accounts.roles import STAFF_ROLES, Role
        from zone_portal.web.navigation import (
            home_panel_register,
            nav_register,
            object_link_register,
            object_panel_register,
        )

        from .permissions import RAISING_ROLES
        from .views import DEPARTMENT_ROLES, MEETING_ROLES, PARK_ROLES, STATS_ROLES

        nav_register(
            label=_("Problems"),
            url_name="feedback:list",
            roles=(*STAFF_ROLES, Role.ENTERPRISE_STAFF, Role.SUPERVISOR),
            order=30,
        )
        nav_register(label=_("Park board"), url_name="feedback:board", roles=PARK_ROLES, order=31)
        nav_register(label=_("Whistles"), url_name="feedback:department", roles=DEPARTMENT_ROLES, order=32)
        nav_register(label=_("Joint meetings"), url_name="feedback:meetings", roles=MEETING_ROLES, order=33)
        nav_register(
            label=_("Problem statistics"), url_name="feedback:statistics", roles=STATS_ROLES, order=34
        )
        nav_register(
            label=_("Escalation policies"), url_name="feedback:policies", roles=(Role.ADMIN,), order=90
        )
        # What the lower apps' pages show of problems, without importing this app.
        object_link_register(
            "enterprises.visit", label=_("Raise as a problem"), url=_visit_ticket_url, roles=RAISING_ROLES
        )
        object_panel_register(
            "projects.project", template="feedback/_project_panel.html", context=_project_panel
        )
        home_panel_register(
            template="feedback/_home_panel.html",
            roles=(*STAFF_ROLES, Role.ENTERPRISE_STAFF, Role.SUPERVISOR),
            order=30,
            context=_home_panel,
        )


def _home_panel(request) -> dict:
    from django.urls import reverse

    from zone_portal.accounts.roles import Role

    from .selectors import home_counts

    user = request.user
    links = []
    if user.has_role(Role.ENTERPRISE_STAFF, Role.CSO, Role.SUPERVISOR, Role.ADMIN):
        links.append({"label": _("Raise a problem"), "url": reverse("feedback:new")})
    if user.has_role(Role.CSO):
        links.append({"label": _("My tickets by deadline"), "url": reverse("feedback:list") + "?mine=1"})
    if user.has_role(Role.PARK_DIRECTOR, Role.PARK_OFFICER):
        links.append({"label": _("Park board"), "url": reverse("feedback:board")})
    if user.has_role(Role.DEPARTMENT_OFFICER):
        links.append({"label": _("Whistles"), "url": reverse("feedback:department")})
    if user.has_role(Role.LEADER):
        links.append({"label": _("Joint meetings"), "url": reverse("feedback:meetings")})
    return {"counts": home_counts(user), "links": links}


def _visit_ticket_url(visit) -> str:
    from django.urls import reverse

    return reverse("feedback:ticket-from-visit", kwargs={"visit_id": visit.pk})


def _project_panel(request, project) -> dict:
    from .selectors import project_tickets

    return {"tickets": project_tickets(project, request.user)}
