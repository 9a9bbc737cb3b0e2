"""Every read of benefits, vouchers and financing: scoped by `*_visible_to(user)`, totals in Decimal.

`<entity>_for(user, pk)` gives the object or the same 404 for missing and not yours.
"""

from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Enterprise, EnterpriseMembership
from enterprises.selectors import enterprise_search, enterprises_served_by
from zone_portal.access import get_visible_or_404
from zone_portal.access.scopes import acting_department_ids, acting_park_ids
from zone_portal.accounts.roles import Role
from zone_portal.errors import InvalidInput
from zone_portal.filters import filter_given
from zone_portal.money import YuanTotal

from .models import (
    LIVE_APPLICATION,
    YUAN,
    ZERO,
    Bank,
    CreditLine,
    Disbursement,
    Loan,
    MatchingEvent,
    Policy,
    PolicyApplication,
    Voucher,
    VoucherReview,
    VoucherRound,
    VoucherStatus,
)
from .permissions import READERS, WIDE_READERS


def _sum(field: str, **filter_kwargs):
    return Coalesce(Sum(field, **filter_kwargs), Value(ZERO), output_field=YuanTotal(**YUAN))


def _enterprise_scope(
    user, field: str = "enterprise_id", *, park_field: str = "enterprise__park_id"
) -> Q | None:
    """The rows of the enterprises `user` sees as one of them, their officer or their park's staff;
    None: every row (administrators and leaders)."""
    if user.is_superuser or user.has_role(*WIDE_READERS):
        return None
    scope = Q(pk__in=[])
    if user.has_role(Role.ENTERPRISE_STAFF):
        scope |= Q(**{f"{field}__in": user.enterprise_ids})
    if user.has_role(Role.CSO):
        scope |= Q(**{f"{field}__in": enterprises_served_by(user)})
    park_ids = acting_park_ids(user)
    if park_ids:
        scope |= Q(**{f"{park_field}__in": park_ids})
    return scope


# --- policies -----------------------------------------------------------------------------------


def policies_visible_to(user):
    """The catalog is read by every person of the portal (not machine clients)."""
    if not user.is_authenticated or not (user.is_superuser or user.has_role(*READERS)):
        return Policy.objects.none()
    return Policy.objects.select_related("department")


def policy_for(user, pk) -> Policy:
    return get_visible_or_404(policies_visible_to(user), pk)


def policy_open_q(today: date) -> Q:
    return Q(opens_on__lte=today, closes_on__gte=today, valid_until__gte=today)


def policy_enterprises_q(policy: Policy, *, today: date, prefix: str = "") -> Q:
    """The register's enterprises that qualify for `policy` today (as a condition on Enterprise,
    or on a relation to it with `prefix`, e.g. "enterprise__")."""
    condition = Q(**{f"{prefix}status": Enterprise.Status.ACTIVE})
    for code in policy.qualifications:
        q = Enterprise.qualification_q(code, today=today)
        condition &= _prefixed(q, prefix) if prefix else q
    park_ids = [park.pk for park in policy.parks.all()]
    if park_ids:
        condition &= Q(**{f"{prefix}park_id__in": park_ids})
    if policy.industry:
        condition &= Q(**{f"{prefix}industry": policy.industry})
    if policy.founded_after:
        condition &= Q(**{f"{prefix}founded_on__gte": policy.founded_after})
    return condition


def _prefixed(q: Q, prefix: str) -> Q:
    children = [
        _prefixed(child, prefix) if isinstance(child, Q) else (prefix + child[0], child[1])
        for child in q.children
    ]
    clone = Q(*children, _connector=q.connector, _negated=q.negated)
    return clone


def policy_qualifying_enterprises(policy: Policy, *, today: date | None = None):
    """Every enterprise that qualifies for `policy` today (whether it applied or not)."""
    return Enterprise.objects.filter(policy_enterprises_q(policy, today=today or timezone.localdate()))


def applying_enterprise(user, enterprise_id: int | None) -> Enterprise:
    """The enterprise `user` applies for: one it may act for, else the form's error on `enterprise`
    (a missing, unknown or foreign id alike)."""
    from enterprises.selectors import enterprises_visible_to

    enterprise = enterprises_visible_to(user).filter(pk=enterprise_id).first() if enterprise_id else None
    if enterprise is None:
        raise InvalidInput(fields={"enterprise": [_("Choose the enterprise that applies.")]})
    return enterprise


def policy_matches(policy: Policy, user, *, today: date | None = None):
    """应享尽享: the enterprises `user` serves or oversees that qualify and have no live application."""
    from enterprises.selectors import enterprises_visible_to

    live = PolicyApplication.objects.filter(LIVE_APPLICATION, policy=policy, enterprise=OuterRef("pk"))
    return (
        enterprises_visible_to(user)
        .filter(policy_enterprises_q(policy, today=today or timezone.localdate()))
        .exclude(Exists(live))
        .order_by("name_pinyin", "id")
    )


def policies_for_enterprise(enterprise: Enterprise, *, today: date | None = None) -> list[Policy]:
    """ "Policies you may apply for": open, qualified for, not applied for (live), needing an
    application (免申即享 ones come to the enterprise as proposals). Two queries."""
    today = today or timezone.localdate()
    applied = set(
        PolicyApplication.objects.filter(LIVE_APPLICATION, enterprise=enterprise).values_list(
            "policy_id", flat=True
        )
    )
    held = set(enterprise.qualification_codes(today))
    found = []
    for policy in Policy.objects.filter(policy_open_q(today), automatic=False).prefetch_related("parks"):
        if policy.pk in applied or not set(policy.qualifications) <= held:
            continue
        park_ids = {park.pk for park in policy.parks.all()}
        if park_ids and enterprise.park_id not in park_ids:
            continue
        if policy.industry and enterprise.industry != policy.industry:
            continue
        if policy.founded_after and not (
            enterprise.founded_on and enterprise.founded_on >= policy.founded_after
        ):
            continue
        found.append(policy)
    return found


def policy_match_counts(user, *, today: date | None = None) -> list[dict]:
    """For an officer's matching page: each open policy with how many of the user's enterprises
    qualify and have not applied. One query per policy (the catalog is dozens, not thousands)."""
    today = today or timezone.localdate()
    rows = []
    for policy in (
        Policy.objects.filter(policy_open_q(today)).prefetch_related("parks").select_related("department")
    ):
        rows.append({"policy": policy, "count": policy_matches(policy, user, today=today).count()})
    return rows


# --- applications -------------------------------------------------------------------------------


def _policy_cases(qs, user, **scope_options):
    """The rows of `qs` (cases under a policy) in the user's enterprise scope, and for a
    department's officer also those under the department's policies."""
    if not user.is_authenticated:
        return qs.none()
    scope = _enterprise_scope(user, **scope_options)
    if scope is None:
        return qs
    departments = acting_department_ids(user) if user.has_role(Role.DEPARTMENT_OFFICER) else []
    if departments:
        scope |= Q(policy__department_id__in=departments)
    return qs.filter(scope)


def applications_visible_to(user):
    related = ("policy", "policy__department", "enterprise", "enterprise__park")
    return _policy_cases(PolicyApplication.objects.select_related(*related), user)


def application_for(user, pk) -> PolicyApplication:
    return get_visible_or_404(applications_visible_to(user), pk)


def application_queue(user, *, status: str = "", policy_id=None):
    return filter_given(applications_visible_to(user), status=status, policy_id=policy_id).order_by(
        "due_at", "id"
    )


# --- ledger -------------------------------------------------------------------------------------


def disbursements_visible_to(user):
    qs = Disbursement.objects.select_related("policy", "enterprise", "park", "application")
    return _policy_cases(qs, user, park_field="park_id")


def ledger_filter(qs, *, year=None, policy_id=None, park_id=None):
    return filter_given(qs, paid_on__year=year, policy_id=policy_id, park_id=park_id)


def ledger_totals(qs) -> dict:
    """The ledger's totals (Decimal yuan): overall, by policy, by park, by year. Four queries."""
    by_policy = list(
        qs.values("policy_id", "policy__name")
        .annotate(total=_sum("amount"), count=Count("id"))
        .order_by("-total", "policy_id")
    )
    by_park = list(
        qs.values("park_id", "park__name")
        .annotate(total=_sum("amount"), count=Count("id"))
        .order_by("park_id")
    )
    by_year = list(
        qs.annotate(year=ExtractYear("paid_on"))
        .values("year")
        .annotate(total=_sum("amount"), count=Count("id"))
        .order_by("year")
    )
    overall = qs.aggregate(
        total=_sum("amount"), count=Count("id"), enterprises=Count("enterprise_id", distinct=True)
    )
    return {**overall, "by_policy": by_policy, "by_park": by_park, "by_year": by_year}


# --- vouchers -----------------------------------------------------------------------------------


def vouchers_visible_to(user):
    qs = Voucher.objects.select_related("round", "enterprise", "enterprise__park")
    if not user.is_authenticated:
        return qs.none()
    scope = _enterprise_scope(user)
    if scope is None:
        return qs
    if user.has_role(Role.EXPERT):
        scope |= Q(pk__in=VoucherReview.objects.filter(expert=user).values("voucher_id"))
    return qs.filter(scope)


def voucher_for(user, pk) -> Voucher:
    return get_visible_or_404(vouchers_visible_to(user), pk)


def voucher_rounds():
    return VoucherRound.objects.all()


def voucher_rounds_visible_to(user):
    """The rounds are public to everyone who reads the programmes (their windows and budgets)."""
    if not user.is_authenticated or not (user.is_superuser or user.has_role(*READERS)):
        return VoucherRound.objects.none()
    return VoucherRound.objects.all()


def voucher_round_open(today: date | None = None) -> VoucherRound | None:
    today = today or timezone.localdate()
    return (
        VoucherRound.objects.filter(opens_on__lte=today, closes_on__gte=today).order_by("closes_on").first()
    )


def expert_queue(user):
    """The redemptions assigned to `user` (an expert): unreviewed first, the soonest due first."""
    return (
        VoucherReview.objects.filter(expert=user)
        .select_related("voucher", "voucher__enterprise", "voucher__round")
        .order_by(F("reviewed_at").asc(nulls_first=True), F("due_at").asc(nulls_last=True), "assigned_at")
    )


ISSUED_STATES = (
    VoucherStatus.ISSUED,
    VoucherStatus.REDEMPTION_SUBMITTED,
    VoucherStatus.UNDER_REVIEW,
    VoucherStatus.PAID,
    VoucherStatus.EXPIRED,
)


def voucher_figures(qs, *, now=None, at_risk_days: int = 30, issued_in_year: int | None = None) -> dict:
    """Firms, issued, paid, redemption rate and vouchers at risk of expiring (one query); with
    `issued_in_year`, also `year_issued`: the amount issued in that year's rounds."""
    now = now or timezone.now()
    issued = Q(status__in=ISSUED_STATES)
    extra = {}
    if issued_in_year is not None:
        extra["year_issued"] = _sum("amount", filter=issued & Q(round__year=issued_in_year))
    figures = qs.aggregate(
        **extra,
        firms=Count("enterprise_id", filter=issued, distinct=True),
        vouchers=Count("id", filter=issued),
        issued=_sum("amount", filter=issued),
        paid=_sum("paid_amount", filter=Q(status=VoucherStatus.PAID)),
        paid_count=Count("id", filter=Q(status=VoucherStatus.PAID)),
        expired=Count("id", filter=Q(status=VoucherStatus.EXPIRED)),
        at_risk=Count(
            "id",
            filter=Q(
                status=VoucherStatus.ISSUED, expires_at__lte=now + timezone.timedelta(days=at_risk_days)
            ),
        ),
    )
    figures["redemption_rate"] = (
        (figures["paid"] / figures["issued"]).quantize(Decimal("0.0001")) if figures["issued"] else None
    )
    return figures


def vouchers_at_risk(qs, *, now=None, days: int = 30):
    now = now or timezone.now()
    return qs.filter(
        status=VoucherStatus.ISSUED, expires_at__lte=now + timezone.timedelta(days=days)
    ).order_by("expires_at")


def voucher_city_share(year: int) -> dict:
    """The zone's share of the city's total for `year`, where an administrator entered the city figure."""
    rounds = VoucherRound.objects.filter(year=year)
    city = rounds.aggregate(total=Sum("city_total"))["total"]
    issued = Voucher.objects.filter(round__year=year, status__in=ISSUED_STATES).aggregate(
        total=_sum("amount")
    )["total"]
    return {
        "year": year,
        "zone": issued,
        "city": city,
        "share": (issued / city).quantize(Decimal("0.0001")) if city else None,
    }


# --- financing ----------------------------------------------------------------------------------


def matching_events_visible_to(user):
    qs = MatchingEvent.objects.select_related("park")
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser or user.has_role(*WIDE_READERS, Role.CSO):
        return qs
    scope = Q(pk__in=[])
    park_ids = acting_park_ids(user)
    if park_ids:
        scope |= Q(park_id__in=park_ids)
    if user.has_role(Role.ENTERPRISE_STAFF):
        scope |= Q(
            pk__in=MatchingEvent.enterprises.through.objects.filter(
                enterprise_id__in=user.enterprise_ids
            ).values("matchingevent_id")
        )
    return qs.filter(scope)


def _financing_visible_to(model, user):
    """Credit lines or loans (`model`) of the enterprises the user's roles reach."""
    qs = model.objects.select_related("bank", "enterprise", "enterprise__park")
    if not user.is_authenticated:
        return qs.none()
    scope = _enterprise_scope(user)
    return qs if scope is None else qs.filter(scope)


def credit_lines_visible_to(user):
    return _financing_visible_to(CreditLine, user)


def loans_visible_to(user):
    return _financing_visible_to(Loan, user)


def loan_for(user, pk) -> Loan:
    return get_visible_or_404(loans_visible_to(user), pk)


def financing_filter(qs, *, date_field: str, q: str = "", year=None, bank_id=None, park_id=None):
    """Credit lines or loans narrowed by a search (the enterprise by name, code or pinyin, or the
    bank's name), the year of `date_field`, the bank and the enterprise's park."""
    q = (q or "").strip()
    if q:
        enterprises = enterprise_search(Enterprise.objects.all(), q).values("pk")
        qs = qs.filter(Q(enterprise__in=enterprises) | Q(bank__name__icontains=q))
    return filter_given(qs, **{f"{date_field}__year": year}, bank_id=bank_id, enterprise__park_id=park_id)


def loans_with_subsidy_paid(qs):
    """Loans with `subsidy_paid`, the sum of their subsidy payments (one query for a page)."""
    return qs.annotate(subsidy_paid=_sum("subsidies__amount")).order_by("-drawn_on", "-id")


def matching_event_rows(user, *, q: str = "", year=None):
    """The matching events the user sees, with how many banks and enterprises attended."""
    qs = matching_events_visible_to(user)
    q = (q or "").strip()
    return (
        filter_given(qs, title__icontains=q, held_on__year=year)
        .annotate(
            bank_count=Count("banks", distinct=True), enterprise_count=Count("enterprises", distinct=True)
        )
        .prefetch_related("banks")
        .order_by("-held_on", "-id")
    )


def banks_with_figures():
    """Every bank with its number of credit lines and loans (administrators keep this list)."""
    return Bank.objects.annotate(
        credit_line_count=Count("credit_lines", distinct=True), loan_count=Count("loans", distinct=True)
    ).order_by("name", "id")


def loan_linkable_tickets(user, loan: Loan):
    """The problems of the loan's enterprise the user sees and the loan does not list yet."""
    from feedback.selectors import tickets_visible_to

    return (
        tickets_visible_to(user)
        .filter(enterprise_id=loan.enterprise_id)
        .exclude(pk__in=loan.tickets.values("pk"))
        .order_by("-created_at")
    )


def financing_group_totals(qs, date_field: str) -> dict:
    """Credit lines or loans: the total and the totals by year (of `date_field`), bank and park."""
    return {
        "total": qs.aggregate(total=_sum("amount"))["total"],
        "by_year": list(
            qs.annotate(year=ExtractYear(date_field))
            .values("year")
            .annotate(total=_sum("amount"), count=Count("id"))
            .order_by("year")
        ),
        "by_bank": list(
            qs.values("bank_id", "bank__name")
            .annotate(total=_sum("amount"), count=Count("id"))
            .order_by("-total")
        ),
        "by_park": list(
            qs.values("enterprise__park_id", "enterprise__park__name")
            .annotate(total=_sum("amount"), count=Count("id"))
            .order_by("enterprise__park_id")
        ),
    }


def financing_totals(credit_lines, loans) -> dict:
    """Credit lines and loans by year, bank and park (Decimal yuan)."""
    return {
        "credit_lines": financing_group_totals(credit_lines, "granted_on"),
        "loans": financing_group_totals(loans, "drawn_on"),
    }


def enterprise_member_ids(enterprise_ids) -> dict[int, list[int]]:
    """The user ids of each enterprise's staff accounts (one query)."""
    found: dict[int, list[int]] = {}
    for enterprise_id, user_id in EnterpriseMembership.objects.filter(
        enterprise_id__in=list(enterprise_ids), user__is_active=True
    ).values_list("enterprise_id", "user_id"):
        found.setdefault(enterprise_id, []).append(user_id)
    return found
