"""HTML pages of benefits, vouchers and financing, mounted at /benefits/.

As thin as the API: fetch through the `*_for(user, pk)` selectors (404 for missing and not yours),
call one action, redirect; an action's refusal is shown on the page with its status.
"""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprises.models import Enterprise
from enterprises.selectors import enterprises_visible_to
from zone_portal.access.scopes import PARK_ROLES
from zone_portal.accounts.models import User
from zone_portal.accounts.roles import Role
from zone_portal.api.permissions import role_required
from zone_portal.dates import DATE_MAX, DATE_MIN, parse_date_in_range
from zone_portal.errors import DomainError, InvalidInput
from zone_portal.events.log import events_for
from zone_portal.org.models import Department, Park
from zone_portal.ratings.selectors import rating_for
from zone_portal.uploads import file_download
from zone_portal.web.forms import domain_error_text
from zone_portal.web.submit import verb_entry
from zone_portal.xlsx import xlsx_response

from . import actions, exports, permissions, selectors
from .models import (
    REDEMPTION_KINDS,
    AmountRule,
    ApplicationStatus,
    PolicyKind,
    VoucherPurpose,
    VoucherStatus,
)
from .permissions import READERS

PAGE_SIZE = 50
APPLICATION_ROLES = (
    Role.ADMIN,
    Role.LEADER,
    Role.DEPARTMENT_OFFICER,
    Role.CSO,
    *PARK_ROLES,
    Role.ENTERPRISE_STAFF,
)
VOUCHER_ROLES = (*APPLICATION_ROLES, Role.EXPERT)
LEDGER_ROLES = (
    Role.ADMIN,
    Role.LEADER,
    Role.DEPARTMENT_OFFICER,
    *PARK_ROLES,
    Role.ENTERPRISE_STAFF,
    Role.CSO,
)


def _int(value, *, low: int = 1, high: int = 2**63 - 1):
    """A filter's whole number from the query string; a missing, malformed or impossible one is
    ignored (the page shows everything rather than an error)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def _year(value):
    return _int(value, low=DATE_MIN.year, high=DATE_MAX.year)


def _own_enterprises(user):
    """The enterprises the user may apply for (their own, the ones they serve; all for admins)."""
    qs = enterprises_visible_to(user).filter(status=Enterprise.Status.ACTIVE)
    if user.is_zone_admin:
        return qs
    return qs.filter(pk__in=[e.pk for e in qs if permissions.acts_for_enterprise(user, e.pk)])


def _flash_error(request, exc: DomainError) -> None:
    messages.error(request, domain_error_text(exc))


def _fail(request, exc: DomainError, page):
    """Show the action's refusal on the page it came from, with the refusal's status."""
    _flash_error(request, exc)
    response = page()
    response.status_code = exc.status
    return response


HOME_POLICIES = 5


def home_panel_context(request) -> dict:
    """The home page's section: policies the user's enterprise may apply for (应享尽享), an
    officer's matching counts, an expert's queue, a department's open reviews."""
    user = request.user
    context = {"may_apply": [], "matching": [], "expert_queue": [], "reviews": 0, "now": timezone.now()}
    if user.has_role(Role.ENTERPRISE_STAFF):
        for enterprise in Enterprise.objects.filter(
            pk__in=user.enterprise_ids, status=Enterprise.Status.ACTIVE
        )[:3]:
            for policy in selectors.policies_for_enterprise(enterprise):
                context["may_apply"].append({"policy": policy, "enterprise": enterprise})
        # The soonest to close first, five of them: the home page is a list of what needs the
        # user, not the catalog (which the panel links to with the count).
        context["may_apply"].sort(key=lambda row: (row["policy"].closes_on or date.max, row["policy"].name))
        context["may_apply_count"] = len(context["may_apply"])
        context["may_apply"] = context["may_apply"][:HOME_POLICIES]
    if user.has_role(Role.CSO):
        context["matching"] = [row for row in selectors.policy_match_counts(user) if row["count"]][:10]
    if user.has_role(Role.EXPERT):
        context["expert_queue"] = list(selectors.expert_queue(user).filter(reviewed_at=None)[:10])
    if user.has_role(Role.DEPARTMENT_OFFICER):
        context["reviews"] = (
            selectors.applications_visible_to(user)
            .filter(
                status__in=(
                    ApplicationStatus.SUBMITTED,
                    ApplicationStatus.ACCEPTED,
                    ApplicationStatus.PROPOSED,
                )
            )
            .count()
        )
    return context


# --- policies -----------------------------------------------------------------------------------


@role_required(*READERS)
def policy_list(request):
    today = timezone.localdate()
    qs = selectors.policies_visible_to(request.user).prefetch_related("parks")
    if request.GET.get("open"):
        qs = qs.filter(selectors.policy_open_q(today))
    context = {
        "title": _("Benefit policies"),
        "policies": qs,
        "today": today,
        "can_manage": permissions.manages_programmes(request.user),
        "matching": selectors.policy_match_counts(request.user) if request.user.has_role(Role.CSO) else [],
    }
    return render(request, "benefits/policies.html", context)


def _policy_page(request, policy, *, status=200):
    user = request.user
    today = timezone.localdate()
    sees_matches = (
        user.is_zone_admin or user.has_role(Role.CSO, *PARK_ROLES) or permissions.reviews_policy(user, policy)
    )
    enterprises = list(_own_enterprises(user)) if not policy.automatic else []
    context = {
        "title": policy.name,
        "policy": policy,
        "is_open": policy.is_open(today),
        "matches": selectors.policy_matches(policy, user, today=today)[:200] if sees_matches else None,
        "enterprises": [
            e for e in enterprises if e in set(selectors.policy_qualifying_enterprises(policy, today=today))
        ],
        "can_propose": policy.automatic and permissions.reviews_policy(user, policy),
        "applications": selectors.applications_visible_to(user).filter(policy=policy)[:50],
    }
    return render(request, "benefits/policy.html", context, status=status)


@role_required(*READERS)
def policy_detail(request, pk: int):
    policy = selectors.policy_for(request.user, pk)
    return _policy_page(request, policy)


@require_POST
@role_required(*READERS)
def policy_apply(request, pk: int):
    policy = selectors.policy_for(request.user, pk)
    try:
        enterprise = selectors.applying_enterprise(request.user, _int(request.POST.get("enterprise")))
        application = actions.application_submit(
            actor=request.user,
            policy=policy,
            enterprise=enterprise,
            base_amount=request.POST.get("base_amount"),
            requested_amount=request.POST.get("requested_amount"),
            note=request.POST.get("note", ""),
        )
    except DomainError as exc:
        return _fail(request, exc, lambda: _policy_page(request, policy))
    messages.success(request, _("Application submitted. Add the required materials below."))
    return redirect(application.get_absolute_url())


@require_POST
@role_required(*READERS)
def policy_propose(request, pk: int):
    policy = selectors.policy_for(request.user, pk)
    try:
        count = actions.policy_propose_automatic(actor=request.user, policy=policy)
    except DomainError as exc:
        return _fail(request, exc, lambda: _policy_page(request, policy))
    messages.success(request, _("%(n)d proposals made.") % {"n": count})
    return redirect(policy.get_absolute_url())


@role_required(Role.ADMIN)
def policy_create(request):
    context = {
        "title": _("New policy"),
        "departments": Department.objects.all(),
        "parks": Park.objects.all(),
        "kinds": PolicyKind.choices,
        "rules": AmountRule.choices,
        "qualifications": _qualification_choices(),
        "values": request.POST,
    }
    if request.method != "POST":
        return render(request, "benefits/policy_form.html", context)
    post = request.POST
    try:
        data = {
            "name": (post.get("name") or "").strip(),
            "department": Department.objects.filter(pk=_int(post.get("department"))).first(),
            "kind": post.get("kind"),
            "summary": post.get("summary", ""),
            "qualifications": post.getlist("qualifications"),
            "industry": post.get("industry", "").strip(),
            "amount_rule": post.get("amount_rule"),
            "fixed_amount": actions._amount(post.get("fixed_amount"), "fixed_amount", required=False),
            "percentage": actions._amount(post.get("percentage"), "percentage", required=False),
            "cap": actions._amount(post.get("cap"), "cap", required=False),
            "opens_on": _date(post, "opens_on"),
            "closes_on": _date(post, "closes_on"),
            "valid_until": _date(post, "valid_until"),
            "materials": [line.strip() for line in post.get("materials", "").splitlines() if line.strip()],
            "automatic": post.get("automatic") == "1",
            "review_days": _int(post.get("review_days")) or 10,
        }
        missing = [k for k in ("name", "department", "kind", "amount_rule") if not data[k]]
        if missing or data["kind"] not in PolicyKind.values or data["amount_rule"] not in AmountRule.values:
            raise InvalidInput(fields={k: [_("This field is required.")] for k in missing or ["kind"]})
        policy = actions.policy_create(
            actor=request.user,
            data=data,
            parks=Park.objects.filter(pk__in=[_int(p) for p in post.getlist("parks")]),
        )
    except DomainError as exc:
        _flash_error(request, exc)
        return render(request, "benefits/policy_form.html", context, status=exc.status)
    return redirect(policy.get_absolute_url())


def _qualification_choices():
    from enterprises.models import QUALIFICATIONS

    return list(QUALIFICATIONS.items())


def _date(post, name: str, *, required: bool = True) -> date | None:
    value = (post.get(name) or "").strip()
    if not value:
        if required:
            raise InvalidInput(fields={name: [_("This field is required.")]})
        return None
    try:
        return parse_date_in_range(value)
    except ValidationError as exc:
        raise InvalidInput(fields={name: list(exc.messages)}) from None


# --- applications -------------------------------------------------------------------------------


@role_required(*APPLICATION_ROLES)
def application_list(request):
    status = request.GET.get("status", "")
    if status not in ApplicationStatus.values:
        status = ""
    qs = selectors.application_queue(request.user, status=status, policy_id=_int(request.GET.get("policy")))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "title": _("Applications"),
        "page": page,
        "statuses": ApplicationStatus.choices,
        "status": status,
        "now": timezone.now(),
    }
    return render(request, "benefits/applications.html", context)


def _application_page(request, application, *, status=200):
    user = request.user
    files = {f.slot: f for f in application.files.all()}
    context = {
        "title": str(application),
        "application": application,
        "slots": [(i, name, files.get(i)) for i, name in enumerate(application.policy.materials)],
        "events": events_for(application),
        "may_upload": permissions.acts_for_enterprise(user, application.enterprise_id)
        and application.status in (ApplicationStatus.SUBMITTED, ApplicationStatus.PROPOSED),
        "may_review": permissions.reviews_policy(user, application.policy),
        "allowed": sorted(application.TRANSITIONS.targets(application.status)),
        "rating": rating_for(application),
        "may_rate": application.status == ApplicationStatus.PAID
        and permissions.acts_for_enterprise(user, application.enterprise_id)
        and not user.is_zone_admin,
        "now": timezone.now(),
    }
    return render(request, "benefits/application.html", context, status=status)


@role_required(*APPLICATION_ROLES)
def application_detail(request, pk: int):
    return _application_page(request, selectors.application_for(request.user, pk))


@require_POST
@role_required(*APPLICATION_ROLES)
def application_material(request, pk: int):
    application = selectors.application_for(request.user, pk)
    try:
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput(fields={"file": [_("Choose a file.")]})
        actions.application_material_add(
            actor=request.user, application=application, slot=request.POST.get("slot"), upload=upload
        )
    except DomainError as exc:
        return _fail(request, exc, lambda: _application_page(request, application))
    return redirect(application.get_absolute_url())


def _case_file(case, material_id: int, label: str):
    """One of the case's files (404 for any other)."""
    material = case.files.filter(pk=material_id).first()
    if material is None:
        raise Http404
    return file_download(material.file, content_type=material.content_type, label=label, pk=material.pk)


def _case_verb(request, kind: str, pk: int, verb: str):
    """Do `verb` on the application or voucher `pk` with the inputs the request gives it, and go
    back to the case; a refusal is shown on the case's page with its status."""
    fetch, verbs, inputs, page = CASE_PAGES[kind]
    case = fetch(request.user, pk)
    verb_entry(verbs, verb)
    try:
        actions.case_act(verbs, verb, actor=request.user, values=inputs(request, verb), **{kind: case})
    except DomainError as exc:
        return _fail(request, exc, lambda: page(request, fetch(request.user, pk)))
    return redirect(case.get_absolute_url())


def _application_inputs(request, verb: str) -> dict:
    post = request.POST
    return {**post.dict(), "paid_on": _date(post, "paid_on", required=False) if verb == "pay" else None}


def _voucher_inputs(request, verb: str) -> dict:
    post = request.POST
    experts = User.objects.filter(pk__in=[_int(e) for e in post.getlist("experts") if _int(e)])
    files = {kind: request.FILES.getlist(kind) for kind in REDEMPTION_KINDS}
    return {**post.dict(), "files": files, "experts": list(experts)}


@role_required(*APPLICATION_ROLES)
def application_material_download(request, pk: int, material_id: int):
    return _case_file(selectors.application_for(request.user, pk), material_id, "material")


@require_POST
@role_required(*APPLICATION_ROLES)
def application_act(request, pk: int, verb: str):
    return _case_verb(request, "application", pk, verb)


# --- the ledger ---------------------------------------------------------------------------------


def _ledger(request):
    year = _year(request.GET.get("year"))
    qs = selectors.ledger_filter(
        selectors.disbursements_visible_to(request.user),
        year=year,
        policy_id=_int(request.GET.get("policy")),
        park_id=_int(request.GET.get("park")),
    )
    return qs, year


@role_required(*LEDGER_ROLES)
def ledger(request):
    qs, year = _ledger(request)
    context = {
        "title": _("Disbursement ledger"),
        "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
        "totals": selectors.ledger_totals(qs),
        "parks": Park.objects.all(),
        "year": year,
        "query": request.GET.urlencode(),
    }
    return render(request, "benefits/ledger.html", context)


@role_required(*LEDGER_ROLES)
def ledger_xlsx(request):
    qs, _year = _ledger(request)
    content = exports.ledger_workbook(qs.order_by("paid_on", "id"), selectors.ledger_totals(qs))
    return xlsx_response(content, f"benefit-ledger-{timezone.localdate()}.xlsx")


# --- vouchers -----------------------------------------------------------------------------------


@role_required(*VOUCHER_ROLES)
def voucher_list(request):
    user = request.user
    qs = selectors.vouchers_visible_to(user)
    status = request.GET.get("status", "")
    if status in VoucherStatus.values:
        qs = qs.filter(status=status)
    if request.GET.get("at_risk"):
        qs = selectors.vouchers_at_risk(qs)
    today = timezone.localdate()
    context = {
        "title": _("Innovation vouchers"),
        "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
        "figures": selectors.voucher_figures(selectors.vouchers_visible_to(user)),
        "round": selectors.voucher_round_open(today),
        "rounds": selectors.voucher_rounds(),
        "purposes": VoucherPurpose.choices,
        "enterprises": list(_own_enterprises(user)) if not user.is_zone_admin else [],
        "statuses": VoucherStatus.choices,
        "status": status,
        "expert_queue": list(selectors.expert_queue(user)) if user.has_role(Role.EXPERT) else [],
        "now": timezone.now(),
        "can_manage": permissions.manages_programmes(user),
        "city_share": selectors.voucher_city_share(today.year),
    }
    return render(request, "benefits/vouchers.html", context)


@require_POST
@role_required(*VOUCHER_ROLES)
def voucher_apply(request):
    user = request.user
    round_ = selectors.voucher_rounds().filter(pk=_int(request.POST.get("round"))).first()
    enterprise = enterprises_visible_to(user).filter(pk=_int(request.POST.get("enterprise"))).first()
    try:
        if round_ is None:
            raise InvalidInput(fields={"round": [_("No round is open.")]})
        if enterprise is None:
            raise InvalidInput(fields={"enterprise": [_("Choose the enterprise that applies.")]})
        voucher = actions.voucher_apply(
            actor=user,
            round=round_,
            enterprise=enterprise,
            purposes=request.POST.getlist("purposes"),
            amount=request.POST.get("amount"),
        )
    except DomainError as exc:
        return _fail(request, exc, lambda: voucher_list(request))
    messages.success(request, _("Voucher application submitted."))
    return redirect(voucher.get_absolute_url())


def _voucher_page(request, voucher, *, status=200):
    user = request.user
    reviews = list(voucher.reviews.select_related("expert"))
    context = {
        "title": str(voucher),
        "voucher": voucher,
        "files": list(voucher.files.all()),
        "reviews": reviews,
        "my_review": next((r for r in reviews if r.expert_id == user.pk), None),
        "events": events_for(voucher),
        "may_redeem": permissions.acts_for_enterprise(user, voucher.enterprise_id)
        and voucher.status == VoucherStatus.ISSUED,
        "can_manage": permissions.manages_programmes(user),
        # What the voucher's table lets it become now: the administrators' forms follow it.
        "allowed": voucher.TRANSITIONS.targets(voucher.status),
        "experts": User.objects.filter(role_grants__role=Role.EXPERT, is_active=True).order_by("username")
        if permissions.manages_programmes(user)
        else [],
        "kinds": list(REDEMPTION_KINDS.items()),
    }
    return render(request, "benefits/voucher.html", context, status=status)


@role_required(*VOUCHER_ROLES)
def voucher_detail(request, pk: int):
    return _voucher_page(request, selectors.voucher_for(request.user, pk))


@role_required(*VOUCHER_ROLES)
def voucher_file(request, pk: int, material_id: int):
    return _case_file(selectors.voucher_for(request.user, pk), material_id, "redemption")


@require_POST
@role_required(*VOUCHER_ROLES)
def voucher_act(request, pk: int, verb: str):
    return _case_verb(request, "voucher", pk, verb)


# What `_case_verb` does for each kind of case: fetch, the verbs, their inputs, the case's page.
CASE_PAGES = {
    "application": (
        selectors.application_for,
        actions.APPLICATION_VERBS,
        _application_inputs,
        _application_page,
    ),
    "voucher": (selectors.voucher_for, actions.VOUCHER_VERBS, _voucher_inputs, _voucher_page),
}


@role_required(Role.ADMIN)
def round_create(request):
    context = {"title": _("New voucher round"), "values": request.POST}
    if request.method != "POST":
        return render(request, "benefits/round_form.html", context)
    post = request.POST
    try:
        actions.voucher_round_create(
            actor=request.user,
            data={
                "name": (post.get("name") or "").strip() or None,
                "year": _year(post.get("year")) or timezone.localdate().year,
                "opens_on": _date(post, "opens_on"),
                "closes_on": _date(post, "closes_on"),
                "valid_until": _date(post, "valid_until"),
                "budget": post.get("budget"),
                "cap_per_enterprise": post.get("cap_per_enterprise") or "300000",
            },
        )
    except DomainError as exc:
        _flash_error(request, exc)
        return render(request, "benefits/round_form.html", context, status=exc.status)
    return redirect("benefits:vouchers")


@require_POST
@role_required(Role.ADMIN)
def round_city_total(request, pk: int):
    """The administrator enters the city's total of vouchers issued (the zone's share is computed)."""
    round_ = selectors.voucher_rounds().filter(pk=pk).first()
    if round_ is None:
        raise Http404
    try:
        actions.voucher_round_city_total(
            actor=request.user, round=round_, city_total=request.POST.get("city_total")
        )
    except DomainError as exc:
        return _fail(request, exc, lambda: voucher_list(request))
    messages.success(request, _("The city's total is saved."))
    return redirect("benefits:vouchers")
