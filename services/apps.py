from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "services"
    url_prefix = "services/"
    verbose_name = _("One-stop services")

    def ready(self):
        from . import permissions, timeline

        timeline.register()
        permissions.access_register_kinds()
        from zone_portal.ratings.registry import rateable_register, rectification_rules_register

        from . import selectors
        from .models import RequestStatus, ServiceRequest

        # A bundle is rated as a whole, so its items are not rateable cases.
        rateable_register(
            ServiceRequest,
            finished=lambda: ServiceRequest.objects.filter(parent=None, status=RequestStatus.COMPLETED),
        )
        rectification_rules_register(
            deadlines=selectors.rectification_deadlines, overseers=selectors.center_heads
        )
        from zone_portal.accounts.roles import Role
        from zone_portal.web.navigation import home_panel_register, nav_register

        from . import views

        applicants = views.APPLICANTS
        nav_register(label=_("Service catalog"), url_name="services:catalog", roles=applicants, order=20)
        nav_register(
            label=_("My requests"),
            url_name="services:requests",
            roles=(Role.ENTERPRISE_STAFF, Role.CSO, Role.PARK_OFFICER, Role.PARK_DIRECTOR),
            order=21,
        )
        nav_register(label=_("Request queue"), url_name="services:queue", roles=views.HANDLERS, order=22)
        nav_register(
            label=_("Appointments"),
            url_name="services:appointments",
            roles=(Role.ENTERPRISE_STAFF, Role.CLERK, Role.CSO, Role.ADMIN),
            order=23,
        )
        nav_register(
            label=_("Rectifications"), url_name="services:rectifications", roles=views.RECTIFIERS, order=24
        )
        nav_register(
            label=_("Ratings"),
            url_name="services:ratings",
            roles=(Role.ADMIN, Role.LEADER, Role.SUPERVISOR, Role.DEPARTMENT_OFFICER),
            order=25,
        )
        nav_register(
            label=_("Service stages"), url_name="services:stages", roles=(Role.SUPERVISOR,), order=26
        )
        home_panel_register(
            template="services/_home_applicant.html",
            roles=(Role.ENTERPRISE_STAFF,),
            order=20,
            context=views.home_applicant,
        )
        home_panel_register(
            template="services/_home_handler.html", roles=(Role.CLERK,), order=21, context=views.home_handler
        )
        home_panel_register(
            template="services/_home_rectifications.html",
            roles=(Role.CLERK, Role.DEPARTMENT_OFFICER, Role.ADMIN),
            order=22,
            context=views.home_rectifications,
        )
