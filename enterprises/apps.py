from django.utils.translation import gettext_lazy as _

from zone_portal import contributions


def _home_panel_context(request) -> dict:
    from zone_portal.accounts.roles import Role

    from .permissions import can_edit_register, can_review_account_requests
    from .selectors import (
        account_requests_pending,
        enterprises_served_by,
        enterprises_visible_to,
        register_figures,
    )

    user = request.user
    context = {"my_enterprises": None, "pending_requests": None, "counts": None, "own": None}
    if user.has_role(Role.CSO):
        context["my_enterprises"] = enterprises_served_by(user).count()
    if can_review_account_requests(user):
        context["pending_requests"] = account_requests_pending().count()
    if can_edit_register(user) or user.has_role(Role.PARK_DIRECTOR, Role.LEADER):
        figures = register_figures()
        context["counts"], context["without_officer"] = figures, figures["without_officer"]
    if user.has_role(Role.ENTERPRISE_STAFF):
        context["own"] = list(enterprises_visible_to(user)[:5])
    return context


class EnterprisesConfig(contributions.PortalAppConfig):
    name = "enterprises"
    verbose_name = _("Enterprises")
    api_enum_names = {
        "EnterpriseStatusEnum": "enterprises.models.Enterprise.Status",
        # pending / approved / refused: account requests and ticket extensions share it
        "ApprovalStatusEnum": "enterprises.models.AccountRequest.Status",
        "EnterpriseImportStatusEnum": "enterprises.models.EnterpriseImport.Status",
    }

    def contributions(self):
        from zone_portal.accounts.roles import Role
        from zone_portal.web.navigation import HomePanel, NavItem, PublicLink

        from .permissions import DIRECTORY_ROLES

        return [
            NavItem(_("Enterprises"), "enterprises:directory", DIRECTORY_ROLES, order=10),
            NavItem(_("My enterprises"), "enterprises:mine", (Role.CSO,), order=11),
            NavItem(_("My enterprise"), "enterprises:own", (Role.ENTERPRISE_STAFF,), order=10),
            NavItem(_("Officers"), "enterprises:officers", DIRECTORY_ROLES, order=12),
            NavItem(_("Account requests"), "enterprises:account-requests", (Role.CLERK, Role.ADMIN), 13),
            PublicLink(
                _("Apply for an enterprise account"), "enterprises:account-request", lead=_("No account yet?")
            ),
            HomePanel(
                "enterprises/_home_panel.html",
                roles=(*DIRECTORY_ROLES, Role.ENTERPRISE_STAFF),
                order=10,
                context=_home_panel_context,
            ),
        ]
