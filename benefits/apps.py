from django.utils.translation import gettext_lazy as _

from zone_portal import contributions


class BenefitsConfig(contributions.PortalAppConfig):
    name = "benefits"
    verbose_name = _("Benefits, vouchers and financing")
    nav_group = _("Benefits")
    api_enum_names = {
        "PolicyKindEnum": "benefits.models.PolicyKind",
        "LoanKindEnum": "benefits.models.LoanKind",
    }

    def contributions(self):
        from zone_portal.access.scopes import PARK_ROLES
        from zone_portal.accounts.roles import Role
        from zone_portal.ratings.registry import Rateable, Responsible
        from zone_portal.web.navigation import HomePanel, NavItem

        from .models import ApplicationStatus, PolicyApplication
        from .permissions import READERS
        from .views import home_panel_context

        reviewers = (
            Role.ADMIN,
            Role.DEPARTMENT_OFFICER,
            Role.CSO,
            Role.LEADER,
            *PARK_ROLES,
            Role.ENTERPRISE_STAFF,
        )
        return [
            NavItem(_("Benefit policies"), "benefits:policies", READERS, order=50),
            NavItem(_("Applications"), "benefits:applications", reviewers, order=51),
            NavItem(_("Innovation vouchers"), "benefits:vouchers", (*reviewers, Role.EXPERT), order=52),
            NavItem(
                _("Financing"),
                "benefits:financing",
                (Role.ADMIN, Role.LEADER, Role.CSO, *PARK_ROLES, Role.ENTERPRISE_STAFF),
                order=53,
            ),
            NavItem(
                _("Disbursement ledger"),
                "benefits:ledger",
                (Role.ADMIN, Role.LEADER, Role.DEPARTMENT_OFFICER, *PARK_ROLES),
                order=54,
            ),
            HomePanel(
                "benefits/_home_panel.html",
                roles=(Role.ENTERPRISE_STAFF, Role.CSO, Role.EXPERT, Role.DEPARTMENT_OFFICER),
                order=20,
                context=home_panel_context,
            ),
            # Rated once paid; the ledger's history written before the portal (no applicant) is not.
            Rateable(
                PolicyApplication,
                finished=lambda: PolicyApplication.objects.filter(
                    status=ApplicationStatus.PAID, submitted_by__isnull=False
                ),
                # its reviewer, and the department that issues the policy
                responsible=lambda app: Responsible(app.reviewer, app.policy.department, app.enterprise),
                finished_at="payment__recorded_at",  # rateable once the ledger records the payment
                department="policy__department_id",
            ),
        ]
