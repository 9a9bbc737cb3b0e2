from django.utils.translation import gettext_lazy as _

from zone_portal import contributions


class FeedbackConfig(contributions.PortalAppConfig):
    name = "feedback"
    url_prefix = "problems/"
    verbose_name = _("Problems")
    api_enum_names = {
        "TicketStatusEnum": "feedback.models.Ticket.Status",
        "WhistleStatusEnum": "feedback.models.Whistle.Status",
        "JointMeetingStatusEnum": "feedback.models.JointMeeting.Status",
        "ActionItemStatusEnum": "feedback.models.ActionItem.Status",
        # The problems' category and source keep their names beside the observations' enums.
        "CategoryEnum": "feedback.models.Category",
        "SourceEnum": "feedback.models.Source",
    }

    def contributions(self):
        from zone_portal.accounts.roles import STAFF_ROLES, Role
        from zone_portal.ratings.registry import Rateable
        from zone_portal.web.navigation import (
            LIST_PANEL,
            DeskPage,
            HomePanel,
            NavItem,
            ObjectLink,
            ObjectPanel,
        )

        from .models import Ticket
        from .permissions import RAISING_ROLES
        from .selectors import FINISHED
        from .views import BOARD_ROLES, DEPARTMENT_ROLES, MEETING_ROLES, STATS_ROLES

        readers = (*STAFF_ROLES, Role.ENTERPRISE_STAFF, Role.SUPERVISOR)
        return [
            NavItem(_("Problems"), "feedback:list", readers, order=30),
            NavItem(_("Park board"), "feedback:board", BOARD_ROLES, order=31),
            NavItem(_("Whistles"), "feedback:department", DEPARTMENT_ROLES, order=32),
            NavItem(_("Joint meetings"), "feedback:meetings", MEETING_ROLES, order=33),
            NavItem(_("Problem statistics"), "feedback:statistics", STATS_ROLES, order=34),
            NavItem(_("Escalation policies"), "feedback:policies", (Role.ADMIN,), order=90),
            # What the lower apps' pages show of problems, without importing this app.
            ObjectLink("enterprises.visit", _("Raise as a problem"), _visit_ticket_url, RAISING_ROLES),
            ObjectPanel("projects.project", "feedback/_project_panel.html", _project_panel),
            ObjectPanel("enterprises.enterprise", LIST_PANEL, _enterprise_panel, order=20),
            HomePanel("feedback/_home_panel.html", readers, order=30, context=_home_panel),
            # a leader's own page: /dashboard/ sends them there
            # its own entry, not one of the problems section
            NavItem(_("My desk"), "feedback:leader", (Role.LEADER,), order=5, group=_("My desk")),
            DeskPage("feedback:leader", (Role.LEADER,)),
            # Rated when the enterprise confirms it solved; one left unconfirmed counts as not rated.
            Rateable(
                Ticket,
                finished=lambda: Ticket.objects.filter(status__in=FINISHED),
                responsible=_ticket_responsible,
                finished_at="closed_at",
                park="park_id",
            ),
        ]


def _ticket_responsible(ticket):
    """Whoever resolved the ticket and their department (the first by code when they are filed under
    several) answer for its rating, as for requests."""
    from zone_portal.ratings.registry import Responsible

    handler = ticket.resolved_by
    department = handler.departments.order_by("code").first() if handler else None
    return Responsible(handler, department, ticket.enterprise)


def _home_panel(request) -> dict:
    from django.urls import reverse

    from zone_portal.accounts.roles import Role

    from .selectors import home_counts, tickets_awaiting_confirmation

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
    # what waits for the enterprise: its resolved problems to confirm, by their deadline
    awaiting = []
    if user.has_role(Role.ENTERPRISE_STAFF):
        awaiting = list(tickets_awaiting_confirmation(user)[:10])
    return {"counts": home_counts(user), "links": links, "awaiting": awaiting}


def _visit_ticket_url(visit) -> str:
    from django.urls import reverse

    return reverse("feedback:ticket-from-visit", kwargs={"visit_id": visit.pk})


def _project_panel(request, project) -> dict:
    from .selectors import project_tickets

    return {"tickets": project_tickets(project, request.user)}


def _enterprise_panel(request, enterprise) -> dict:
    """The enterprise's problems the reader may see, newest first."""
    from django.urls import reverse

    from zone_portal.web.navigation import list_panel

    from .selectors import tickets_visible_to

    return list_panel(
        tickets_visible_to(request.user).filter(enterprise=enterprise).order_by("-created_at", "-id"),
        row=lambda t: (
            f"{t.number or ''} {t.title}".strip(),
            reverse("feedback:detail", args=[t.pk]),
            t.get_status_display(),
            t.created_at,
        ),
        anchor="problems",
        title=_("Problems"),
        label_header=_("Problem"),
        empty=_("No problems raised."),
    )
