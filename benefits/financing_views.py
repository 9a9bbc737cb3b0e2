"""The financing pages (银企对接), mounted under /benefits/financing/: the totals, the lists of
credit lines, loans and matching events (search, filters, pages), a loan's page, and the forms
administrators enter them with.

As thin as the API: a form parses, one action writes (and refuses with the same words as the
API), a list comes from the `*_visible_to(user)` selectors; a refused form is shown again with a
400 or the action's status, nothing written.
"""

from functools import partial

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zone_portal.access.scopes import PARK_ROLES
from zone_portal.accounts.roles import Role
from zone_portal.api.permissions import role_required
from zone_portal.errors import DomainError
from zone_portal.events.log import events_for
from zone_portal.org.models import Park
from zone_portal.web.forms import form_add_domain_error
from zone_portal.web.submit import form_act

from . import actions, permissions, selectors
from .financing_forms import (
    BankForm,
    CreditLineForm,
    LoanForm,
    MatchingEventForm,
    SubsidyPaymentForm,
    TicketLinkForm,
    TicketRaiseForm,
)
from .models import Bank, LoanKind
from .views import _int, _year  # the pages' lenient query-string numbers

PAGE_SIZE = 50
FINANCING_ROLES = (Role.ADMIN, Role.LEADER, Role.CSO, *PARK_ROLES, Role.ENTERPRISE_STAFF)


def _filters(request) -> dict:
    get = request.GET
    return {
        "q": (get.get("q") or "").strip()[:100],
        "year": _year(get.get("year")),
        "bank_id": _int(get.get("bank")),
        "park_id": _int(get.get("park")),
    }


def _list_context(request, title: str, qs, filters: dict) -> dict:
    return {
        "title": title,
        "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
        "filters": filters,
        "banks": Bank.objects.all(),
        "parks": Park.objects.all(),
        "can_manage": permissions.manages_programmes(request.user),
    }


def _entry_form(request, form, record, *, title: str, done: str, then=None, template=None, extra=None):
    """An administrator's entry form: `record(values)` (one action) on a valid POST, then `then`
    (a page name) or the recorded object's page; else the form again, 400 (or the action's status)
    after a POST, the action's refusal at its fields."""
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            values = form.action_values() if hasattr(form, "action_values") else form.cleaned_data
            try:
                saved = record(values)
            except DomainError as exc:
                status = form_add_domain_error(form, exc)
            else:
                messages.success(request, done)
                return redirect(then or saved)
    context = {"title": title, "form": form, **(extra or {})}
    return render(request, template or "benefits/financing_form.html", context, status=status)


def _entry_page(name: str, form_class, record, *, title, done, then=None):
    """The administrators' page `name` entering one record with `form_class`: `record(actor=…,
    **values)` on a valid POST (`_entry_form`)."""

    def view(request):
        return _entry_form(
            request,
            form_class(request.POST or None),
            lambda values: record(actor=request.user, **values),
            title=title,
            done=done,
            then=then,
        )

    view.__name__ = view.__qualname__ = name
    return role_required(Role.ADMIN)(view)


# --- the overview -------------------------------------------------------------------------------


@role_required(*FINANCING_ROLES)
def financing(request):
    """Credit lines and loans by year, bank and park, of what the user sees."""
    user = request.user
    year = _filters(request)["year"]
    credit_lines = selectors.financing_filter(
        selectors.credit_lines_visible_to(user), date_field="granted_on", year=year
    )
    loans = selectors.financing_filter(selectors.loans_visible_to(user), date_field="drawn_on", year=year)
    context = {
        "title": _("Financing"),
        "totals": selectors.financing_totals(credit_lines, loans),
        "loans": loans[:10],
        "events": selectors.matching_events_visible_to(user)[:5],
        "year": year,
        "can_manage": permissions.manages_programmes(user),
    }
    return render(request, "benefits/financing.html", context)


# --- credit lines -------------------------------------------------------------------------------


@role_required(*FINANCING_ROLES)
def credit_line_list(request):
    filters = _filters(request)
    qs = selectors.financing_filter(
        selectors.credit_lines_visible_to(request.user)
        .select_related("event")
        .order_by("-granted_on", "-id"),
        date_field="granted_on",
        **filters,
    )
    context = _list_context(request, _("Credit lines granted"), qs, filters)
    context["totals"] = selectors.financing_group_totals(qs, "granted_on")
    return render(request, "benefits/credit_lines.html", context)


credit_line_create = _entry_page(
    "credit_line_create",
    CreditLineForm,
    actions.credit_line_record,
    title=gettext_lazy("New credit line"),
    done=gettext_lazy("Credit line recorded."),
    then="benefits:credit-lines",
)


# --- loans --------------------------------------------------------------------------------------


@role_required(*FINANCING_ROLES)
def loan_list(request):
    filters = _filters(request)
    kind = request.GET.get("kind", "")
    qs = selectors.financing_filter(
        selectors.loans_visible_to(request.user), date_field="drawn_on", **filters
    )
    if kind in LoanKind.values:
        qs = qs.filter(kind=kind)
    context = _list_context(request, _("Loans drawn"), selectors.loans_with_subsidy_paid(qs), filters)
    context |= {
        "totals": selectors.financing_group_totals(qs, "drawn_on"),
        "kinds": LoanKind.choices,
        "kind": kind if kind in LoanKind.values else "",
    }
    return render(request, "benefits/loans.html", context)


loan_create = _entry_page(
    "loan_create",
    LoanForm,
    actions.loan_record,
    title=gettext_lazy("New loan"),
    done=gettext_lazy("Loan recorded."),
)


def _loan_page(request, loan, *, forms=None, status=200):
    user = request.user
    may_link = permissions.manages_programmes(user) or permissions.acts_for_enterprise(
        user, loan.enterprise_id
    )
    forms = forms or {}
    context = {
        "title": str(loan),
        "loan": loan,
        "subsidies": list(loan.subsidies.select_related("recorded_by")),
        "tickets": list(loan.tickets.all()),
        "events": events_for(loan),
        "can_manage": permissions.manages_programmes(user),
        "may_link": may_link,
    }
    if context["can_manage"]:
        context["subsidy_form"] = forms.get("subsidy") or SubsidyPaymentForm()
    if may_link:
        context["link_form"] = forms.get("link") or TicketLinkForm(
            tickets=selectors.loan_linkable_tickets(user, loan)[:200]
        )
        context["raise_form"] = forms.get("raise") or TicketRaiseForm()
    return render(request, "benefits/loan.html", context, status=status)


@role_required(*FINANCING_ROLES)
def loan_detail(request, pk: int):
    return _loan_page(request, selectors.loan_for(request.user, pk))


# The forms posted on a loan's page, by their name in the page: the form (of the request, for the
# loan), the action (the form's data are its arguments), what is said when it is done.
LOAN_FORMS = {
    "subsidy": (
        lambda request, loan: SubsidyPaymentForm(request.POST),
        actions.loan_subsidy_pay,
        gettext_lazy("Subsidy payment recorded."),
    ),
    "link": (
        lambda request, loan: TicketLinkForm(
            request.POST, tickets=selectors.loan_linkable_tickets(request.user, loan)
        ),
        actions.loan_link_ticket,
        gettext_lazy("Problem linked to the loan."),
    ),
    "raise": (
        lambda request, loan: TicketRaiseForm(request.POST),
        actions.loan_ticket_raise,
        gettext_lazy("Problem raised and linked to the loan."),
    ),
}


@require_POST
@role_required(*FINANCING_ROLES)
def loan_post(request, pk: int, name: str):
    """The form `name` posted on a loan's page (`LOAN_FORMS`): its action on a valid form, then
    the loan's page; else the page again with the form's errors (400 or the action's status),
    nothing written."""
    make_form, action, done = LOAN_FORMS[name]
    loan = selectors.loan_for(request.user, pk)
    form = make_form(request, loan)
    response, status = form_act(
        request, form, action, success=str(done), to=loan.get_absolute_url(), loan=loan
    )
    return response or _loan_page(
        request, selectors.loan_for(request.user, pk), forms={name: form}, status=status
    )


loan_subsidy = partial(loan_post, name="subsidy")
loan_ticket_link = partial(loan_post, name="link")
loan_ticket_raise = partial(loan_post, name="raise")


# --- matching events and banks ------------------------------------------------------------------


@role_required(*FINANCING_ROLES)
def event_list(request):
    filters = _filters(request)
    qs = selectors.matching_event_rows(request.user, q=filters["q"], year=filters["year"])
    return render(
        request, "benefits/matching_events.html", _list_context(request, _("Matching events"), qs, filters)
    )


event_create = _entry_page(
    "event_create",
    MatchingEventForm,
    actions.matching_event_record,
    title=gettext_lazy("New matching event"),
    done=gettext_lazy("Matching event recorded."),
    then="benefits:matching-events",
)


@role_required(Role.ADMIN)
def bank_list(request):
    """The banks, with what each granted and lent; a bank is added on the same page."""
    return _entry_form(
        request,
        BankForm(request.POST or None),
        lambda values: actions.bank_create(actor=request.user, **values),
        title=_("Banks"),
        done=_("Bank saved."),
        then="benefits:banks",
        template="benefits/banks.html",
        extra={
            "page": Paginator(selectors.banks_with_figures(), PAGE_SIZE).get_page(request.GET.get("page"))
        },
    )
