from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _home_panel_context(request) -> dict:
    from zone_portal.accounts.roles import Role

    from .models import Enterprise
    from .permissions import can_edit_register, can_review_account_requests
    from .selectors import (
        account_requests_pending,
        enterprises_served_by,
        enterprises_visible_to,
        register_counts,
    )

    user = request.user
    context = {"my_enterprises": None, "pending_requests": None, "counts": None, "own": None}
    if user.has_role(Role.CSO):
        context["my_enterprises"] = enterprises_served_by(user).count()
    if can_review_account_requests(user):
        context["pending_requests"] = account_requests_pending().count()
    if can_edit_register(user) or user.has_role(Role.PARK_DIRECTOR, Role.LEADER):
        context["counts"] = register_counts()
        context["without_officer"] = (
            Enterprise.objects.filter(status=Enterprise.Status.ACTIVE).with_cso(False).count()
        )
    if user.has_role(Role.ENTERPRISE_STAFF):
        context["own"] = list(enterprises_visible_to(user)[:5])
    return context


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    url_prefix = "enterprises/"
    verbose_name = _("Enterprises")

    def ready(self):
        from . import permissions, timeline

        timeline.register()
        permissions.access_register_kinds()
        from zone_portal.accounts.roles import Role
        from zone_portal.web.navigation import home_panel_register, nav_register

        from .permissions import DIRECTORY_ROLES

        nav_register(
            label=_("Enterprises"), url_name="enterprises:directory", roles=DIRECTORY_ROLES, order=10
        )
        nav_register(label=_("My enterprises"), url_name="enterprises:mine", roles=(Role.CSO,), order=11)
        nav_register(
            label=_("My enterprise"), url_name="enterprises:own", roles=(Role.ENTERPRISE_STAFF,), order=10
        )
        nav_register(label=_("Officers"), url_name="enterprises:officers", roles=DIRECTORY_ROLES, order=12)
        nav_register(
            label=_("Account requests"),
            url_name="enterprises:account-requests",
            roles=(Role.CLERK, Role.ADMIN),
            order=13,
        )
        home_panel_register(
            template="enterprises/_home_panel.html",
            roles=(*DIRECTORY_ROLES, Role.ENTERPRISE_STAFF),
            order=10,
            context=_home_panel_context,
        )
