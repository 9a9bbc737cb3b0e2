from django.utils.translation import gettext_lazy as _

from zone_portal import contributions


class ServicesConfig(contributions.PortalAppConfig):
    name = "services"
    verbose_name = _("One-stop services")
    api_enum_names = {
        "ServiceRequestStatusEnum": "services.models.RequestStatus",
        "AppointmentStatusEnum": "services.models.Appointment.Status",
    }

    def ready(self):
        super().ready()
        from django.urls import reverse

        from zone_portal.ratings.registry import rectification_rules_register

        from . import selectors

        rectification_rules_register(
            deadlines=selectors.rectification_deadlines,
            overseers=selectors.center_heads,
            url=lambda pk: reverse("services:rectification-detail", args=[pk]),
        )

    def contributions(self):
        from django.db.models import Case, F, When

        from zone_portal.accounts.roles import Role
        from zone_portal.ratings.registry import Rateable, Responsible
        from zone_portal.web.navigation import LIST_PANEL, HomePanel, NavItem, ObjectPanel

        from . import views
        from .models import RequestStatus, ServiceRequest

        requesters = (Role.ENTERPRISE_STAFF, Role.CSO, Role.PARK_OFFICER, Role.PARK_DIRECTOR)
        bookers = (Role.ENTERPRISE_STAFF, Role.CLERK, Role.CSO, Role.ADMIN)
        # Clerks reach ratings from their rectifications; supervisors read none (see the view).
        raters = tuple(role for role in views.RATING_READERS if role != Role.CLERK)
        return [
            NavItem(_("Service catalog"), "services:catalog", views.APPLICANTS, order=20),
            NavItem(_("My requests"), "services:requests", requesters, order=21),
            NavItem(_("Request queue"), "services:queue", views.HANDLERS, order=22),
            NavItem(_("Appointments"), "services:appointments", bookers, order=23),
            NavItem(_("Rectifications"), "services:rectifications", views.RECTIFIERS, order=24),
            NavItem(_("Ratings"), "services:ratings", raters, order=25),
            NavItem(_("Service stages"), "services:stages", (Role.SUPERVISOR,), order=26),
            # The enterprise page's story: its requests and its ratings.
            ObjectPanel("enterprises.enterprise", LIST_PANEL, views.enterprise_requests_panel, order=10),
            ObjectPanel("enterprises.enterprise", LIST_PANEL, views.enterprise_ratings_panel, order=40),
            HomePanel(
                "services/_home_applicant.html",
                roles=(Role.ENTERPRISE_STAFF,),
                order=20,
                context=views.home_applicant,
            ),
            HomePanel("services/_home_handler.html", (Role.CLERK,), order=21, context=views.home_handler),
            HomePanel(
                "services/_home_rectifications.html",
                roles=(Role.CLERK, Role.DEPARTMENT_OFFICER, Role.ADMIN),
                order=22,
                context=views.home_rectifications,
            ),
            # A bundle is rated as a whole, so its items are not rateable cases; a department's coverage
            # counts the standalone requests it handled (a bundle counts for the zone and its park).
            Rateable(
                ServiceRequest,
                finished=lambda: ServiceRequest.objects.filter(parent=None, status=RequestStatus.COMPLETED),
                responsible=lambda req: Responsible(req.handled_by, req.department, req.enterprise),
                finished_at="closed_at",
                park="enterprise__park_id",
                department=Case(When(is_bundle=False, then=F("department_id"))),
            ),
        ]
