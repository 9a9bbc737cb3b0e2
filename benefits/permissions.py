"""Who may do what with benefits, vouchers and financing. Reads are scoped in `selectors`.

- Enterprise staff apply, upload and redeem for their own enterprises; the enterprise's chief
  service officer may do the same for it (helping it apply).
- A policy's issuing department (its department officers) accepts, reviews, approves, pays and
  rejects its applications; administrators may do all of it.
- Vouchers, rounds and financing records are kept by administrators; experts review only the
  redemptions assigned to them.
"""

from enterprises.selectors import officer_serves
from zone_portal.access.policy import ADMINS, PARK_STAFF, ZONE_WIDE, ObjectKind, Scope, access_register, grant
from zone_portal.accounts.roles import STAFF_ROLES, Role

READERS = (*STAFF_ROLES, Role.ENTERPRISE_STAFF, Role.EXPERT, Role.SUPERVISOR)
WIDE_READERS = (Role.ADMIN, Role.LEADER)


def acts_for_enterprise(user, enterprise_id) -> bool:
    """Apply, upload and redeem for the enterprise: its staff, its current officer, administrators."""
    if not user.is_authenticated:
        return False
    if user.is_zone_admin:
        return True
    if user.has_role(Role.ENTERPRISE_STAFF) and enterprise_id in user.enterprise_ids:
        return True
    return user.has_role(Role.CSO) and officer_serves(user, enterprise_id)


def reviews_policy(user, policy) -> bool:
    """Handle a policy's applications: its issuing department's officers, administrators."""
    if not user.is_authenticated:
        return False
    return user.is_zone_admin or (
        user.has_role(Role.DEPARTMENT_OFFICER) and policy.department_id in user.department_ids
    )


def manages_programmes(user) -> bool:
    """Keep the policy catalog, voucher rounds, vouchers and financing records."""
    return user.is_authenticated and user.is_zone_admin


def access_register_kinds() -> None:
    """This app's part of the one access policy (`zone_portal.access.policy`)."""
    from . import models, selectors

    everyone = grant(READERS, Scope.ALL)
    own = {Role.ENTERPRISE_STAFF: (Scope.ENTERPRISE,), Role.CSO: (Scope.ASSIGNED,)}
    # Financing and vouchers: the zone's leaders, the enterprise's park, the enterprise and its officer.
    enterprise_side = {**ZONE_WIDE, **PARK_STAFF, **own}
    issuer = {Role.DEPARTMENT_OFFICER: (Scope.DEPARTMENT,)}  # the policy's issuing department
    expert = {Role.EXPERT: (Scope.ASSIGNED,)}  # the expert a redemption is assigned to
    access_register(
        ObjectKind(
            "benefit_policy",
            models.Policy,
            selectors.policies_visible_to,
            read=everyone,
            act=ADMINS,
            description="The policy catalog (惠企政策).",
        ),
        ObjectKind(
            "policy_application",
            models.PolicyApplication,
            selectors.applications_visible_to,
            read={**enterprise_side, **issuer},
            act={**ADMINS, **own, **issuer},
            description="Applications and 免申即享 proposals, their materials.",
        ),
        ObjectKind(
            "disbursement",
            models.Disbursement,
            selectors.disbursements_visible_to,
            read={**enterprise_side, **issuer},
            act={**ADMINS, **issuer},
            description="The disbursement ledger (兑现台账) and its export.",
        ),
        ObjectKind(
            "voucher",
            models.Voucher,
            selectors.vouchers_visible_to,
            read={**enterprise_side, **expert},
            act={**ADMINS, **own, **expert},
            description="Innovation vouchers (科技创新券), redemption materials, expert reviews.",
        ),
        ObjectKind(
            "voucher_round",
            models.VoucherRound,
            selectors.voucher_rounds_visible_to,
            read=everyone,
            act=ADMINS,
            description="Voucher rounds: window, budget, cap, and the city's total an administrator enters.",
        ),
        ObjectKind(
            "matching_event",
            models.MatchingEvent,
            selectors.matching_events_visible_to,
            read={
                **ZONE_WIDE,
                **PARK_STAFF,
                Role.CSO: (Scope.ALL,),
                Role.ENTERPRISE_STAFF: (Scope.ENTERPRISE,),
            },
            act=ADMINS,
            description="Bank–enterprise matching events (银企对接会) and the enterprises that attended.",
        ),
        ObjectKind(
            "credit_line",
            models.CreditLine,
            selectors.credit_lines_visible_to,
            read=enterprise_side,
            act=ADMINS,
            description="Credit lines granted.",
        ),
        ObjectKind(
            "loan",
            models.Loan,
            selectors.loans_visible_to,
            read=enterprise_side,
            act={**ADMINS, **own},
            description="Loans, patent-pledge loans, interest subsidies (recorded by administrators) and linked "
            "problems (linked or raised by administrators, the enterprise and its officer).",
        ),
    )
