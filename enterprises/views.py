"""HTML pages of the enterprises app: as thin as the API (parse → check → one action → render)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zone_portal.accounts.roles import Role
from zone_portal.accounts.throttle import client_address
from zone_portal.api.permissions import role_required
from zone_portal.errors import DomainError, NotFoundError, PermissionDeniedError
from zone_portal.events.log import events_for
from zone_portal.org.models import Park
from zone_portal.pagination import CappedPaginator
from zone_portal.replica import replica_view
from zone_portal.web.forms import domain_error_text, form_submit
from zone_portal.web.navigation import object_links_for, object_panels_for
from zone_portal.xlsx import xlsx_response

from . import actions, permissions
from .exporting import enterprises_xlsx, export_filename, import_errors_rows, import_errors_xlsx
from .filters import EnterpriseFilter
from .forms import (
    AccountLinkForm,
    AccountRequestForm,
    ApproveForm,
    BulkAssignForm,
    EnterpriseForm,
    HandoverForm,
    ImportForm,
    RefuseForm,
    StaffForm,
    StatusForm,
    VisitForm,
    enterprise_edit_form_class,
)
from .links import account_link_request_id
from .models import QUALIFICATIONS, AccountRequest, EnterpriseMembership
from .selectors import (
    account_request_for_link,
    account_requests_pending,
    account_requests_recent,
    enterprise_cso_history,
    enterprise_current_cso,
    enterprise_for,
    enterprise_import_for,
    enterprise_imports_visible_to,
    enterprise_members,
    enterprise_visits,
    enterprises_visible_to,
    enterprises_with_cso,
    officer_enterprises,
    officer_workload,
    officers,
)

DIRECTORY_PAGE_SIZE = 25
DIRECTORY_ROLES = permissions.DIRECTORY_ROLES
REGISTER_ROLES = permissions.REGISTER_ROLES


# --- directory -------------------------------------------------------------------------------------


@role_required(*DIRECTORY_ROLES)
def directory(request):
    """The register for zone staff: search (name, code, pinyin), filters, sort, pages, export."""
    filterset = EnterpriseFilter(request.GET or None, queryset=enterprises_visible_to(request.user))
    queryset = enterprises_with_cso(filterset.qs)
    page = CappedPaginator(queryset, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page_obj": page,
        "officers": officers(),
        "qualifications": QUALIFICATIONS,
        "can_edit_register": permissions.can_edit_register(request.user),
    }
    return render(request, "enterprises/directory.html", context)


@replica_view
@role_required(*DIRECTORY_ROLES)
def export(request):
    filterset = EnterpriseFilter(request.GET or None, queryset=enterprises_visible_to(request.user))
    return xlsx_response(enterprises_xlsx(enterprises_with_cso(filterset.qs)), export_filename())


@role_required(Role.CSO)
def mine(request):
    """'My enterprises' of a chief service officer, with their last visit."""
    rows = officer_enterprises(request.user)
    page = CappedPaginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "enterprises/mine.html", {"page_obj": page})


@role_required(Role.ENTERPRISE_STAFF)
def own(request):
    """Enterprise staff land on their enterprise's page (or choose, if they have several)."""
    mine_ = list(enterprises_visible_to(request.user)[:20])
    if len(mine_) == 1:
        return redirect("enterprises:detail", pk=mine_[0].pk)
    return render(request, "enterprises/own.html", {"enterprises": mine_})


@role_required(*DIRECTORY_ROLES)
def workload(request):
    """Officers by workload, enterprises without an officer, and bulk assignment for a park."""
    user = request.user
    bulk_parks = Park.objects.all() if user.is_zone_admin else Park.objects.filter(pk__in=user.park_ids)
    can_bulk = user.is_zone_admin or (user.has_role(Role.PARK_DIRECTOR) and bool(user.park_ids))
    form = BulkAssignForm(request.POST or None, parks=bulk_parks) if can_bulk else None
    if request.method == "POST" and form is None:
        raise Http404
    sent = form_submit(request, form, lambda data: actions.cso_assign_bulk(actor=user, **data))
    if sent.ok:
        values = {
            "n": sent.result,
            "park": form.cleaned_data["park"],
            "officer": form.cleaned_data["officer"],
        }
        messages.success(request, _("%(n)d enterprises of %(park)s assigned to %(officer)s.") % values)
        return redirect("enterprises:officers")
    return render(
        request, "enterprises/officers.html", {**officer_workload(), "form": form}, status=sent.status
    )


# --- one enterprise --------------------------------------------------------------------------------


def _detail_context(request, enterprise, **forms):
    user = request.user
    history = list(enterprise_cso_history(enterprise))
    current = next((a for a in history if a.ended_at is None), None)
    current_id = current.officer_id if current else None
    visits = list(enterprise_visits(enterprise)[:20])
    for visit in visits:  # what other apps offer under a visit (the feedback app: raise as a problem)
        visit.links = object_links_for(user, "enterprises.visit", visit)
    can_assign = permissions.can_assign_cso(user, enterprise, current_officer_id=current_id)
    can_visit = permissions.can_log_visit(user, enterprise, current_officer_id=current_id)
    events = list(events_for(enterprise))
    return {
        "enterprise": enterprise,
        "current": current,
        "history": history,
        "visits": visits,
        "events": events,
        # What the higher apps add: its requests, ratings, problems, projects, inspections and
        # hazards (each app's own scope).
        "panels": object_panels_for(request, "enterprises.enterprise", enterprise),
        "qualifications": [QUALIFICATIONS[c] for c in enterprise.qualification_codes()],
        "can_edit": bool(permissions.editable_fields(user, enterprise, current_officer_id=current_id)),
        "can_change_status": permissions.can_edit_register(user),
        "can_manage_staff": permissions.can_manage_staff(user, enterprise),
        "handover_form": forms.get("handover_form")
        or (HandoverForm(exclude_officer_id=current_id) if can_assign and enterprise.is_active else None),
        "visit_form": forms.get("visit_form") or (VisitForm() if can_visit else None),
        "status_form": forms.get("status_form")
        or (
            StatusForm(initial={"status": enterprise.status}) if permissions.can_edit_register(user) else None
        ),
    }


@login_required
def detail(request, pk):
    """Profile, qualifications, officer and handover history, visits, timeline."""
    enterprise = enterprise_for(request.user, pk)
    return render(request, "enterprises/detail.html", _detail_context(request, enterprise))


def _detail_post(request, pk, form_name: str, form_class, action, done, *, anchor="", options=None):
    """A POST from the enterprise page: `action(actor=…, enterprise=…, **cleaned_data)` on a valid
    `form_class` form (built with `options(enterprise)` as keywords), then the page again with
    `done` (a message, or `done(form)`); else the page with the bound form (400, or the action's
    status)."""
    enterprise = enterprise_for(request.user, pk)
    form = form_class(request.POST, **(options(enterprise) if options else {}))
    sent = form_submit(request, form, lambda data: action(actor=request.user, enterprise=enterprise, **data))
    if sent.ok:
        messages.success(request, done(form) if callable(done) else done)
        return redirect(reverse("enterprises:detail", args=[enterprise.pk]) + anchor)
    context = _detail_context(request, enterprise, **{form_name: form})
    return render(request, "enterprises/detail.html", context, status=sent.status)


def _handover_options(enterprise) -> dict:
    officer = enterprise_current_cso(enterprise)
    return {"exclude_officer_id": officer.pk if officer else None}


def _handed_over(form) -> str:
    return _("%(officer)s is now the chief service officer.") % {"officer": form.cleaned_data["officer"]}


@login_required
@require_POST
def assign(request, pk):
    return _detail_post(
        request,
        pk,
        "handover_form",
        HandoverForm,
        actions.cso_assign,
        _handed_over,
        options=_handover_options,
    )


@login_required
@require_POST
def visit_add(request, pk):
    return _detail_post(
        request, pk, "visit_form", VisitForm, actions.visit_log, _("Visit logged."), anchor="#visits"
    )


@login_required
@require_POST
def status_change(request, pk):
    action = actions.enterprise_status_change
    return _detail_post(request, pk, "status_form", StatusForm, action, _("Status changed."))


@login_required
def edit(request, pk):
    """Each person edits the fields their role allows (the owner: address and contacts)."""
    enterprise = enterprise_for(request.user, pk)
    officer = enterprise_current_cso(enterprise)
    allowed = permissions.editable_fields(
        request.user, enterprise, current_officer_id=officer.pk if officer else None
    )
    if not allowed:
        raise Http404
    form = enterprise_edit_form_class(allowed)(request.POST or None, instance=enterprise)
    sent = form_submit(
        request,
        form,
        lambda data: actions.enterprise_update(
            actor=request.user,
            enterprise=enterprise,
            changes={name: data[name] for name in form.changed_data},
        ),
    )
    if sent.ok:
        messages.success(request, _("Saved."))
        return redirect("enterprises:detail", pk=enterprise.pk)
    return render(
        request, "enterprises/edit.html", {"form": form, "enterprise": enterprise}, status=sent.status
    )


@role_required(*REGISTER_ROLES)
def create(request):
    form = EnterpriseForm(request.POST or None)
    sent = form_submit(request, form, lambda data: actions.enterprise_create(actor=request.user, data=data))
    if sent.ok:
        messages.success(request, _("Enterprise registered."))
        return redirect("enterprises:detail", pk=sent.result.pk)
    return render(request, "enterprises/edit.html", {"form": form, "enterprise": None}, status=sent.status)


# --- enterprise staff ------------------------------------------------------------------------------


@login_required
def staff(request, pk):
    """The owner's page for its enterprise's accounts: add a colleague, remove one."""
    enterprise = enterprise_for(request.user, pk)
    if not permissions.can_manage_staff(request.user, enterprise):
        raise Http404
    form = StaffForm(request.POST or None)
    sent = form_submit(
        request,
        form,
        lambda data: actions.membership_add_staff(actor=request.user, enterprise=enterprise, **data),
    )
    if sent.ok:
        messages.success(
            request, _("Account %(username)s created.") % {"username": sent.result.user.username}
        )
        return redirect("enterprises:staff", pk=enterprise.pk)
    context = {"enterprise": enterprise, "members": enterprise_members(enterprise), "form": form}
    return render(request, "enterprises/staff.html", context, status=sent.status)


@login_required
@require_POST
def staff_remove(request, pk, membership_id):
    enterprise = enterprise_for(request.user, pk)
    membership = get_object_or_404(
        EnterpriseMembership.objects.select_related("user", "enterprise"),
        pk=membership_id,
        enterprise=enterprise,
    )
    try:
        actions.membership_remove(actor=request.user, membership=membership)
    except (PermissionDeniedError, NotFoundError):
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Account %(username)s removed.") % {"username": membership.user.username})
    return redirect("enterprises:staff", pk=enterprise.pk)


# --- account requests ------------------------------------------------------------------------------


def account_request(request):
    """Public page (no sign-in): a company asks for an account; a clerk will decide."""
    form = AccountRequestForm(request.POST or None)
    sent = form_submit(
        request,
        form,
        lambda data: actions.account_request_submit(
            **{k: v for k, v in data.items() if k != "password2"}, address=client_address(request)
        ),
    )
    if sent.ok:
        return redirect("enterprises:account-request-sent")
    return render(request, "enterprises/account_request.html", {"form": form}, status=sent.status)


def account_request_sent(request):
    return render(request, "enterprises/account_request_sent.html")


@role_required(Role.CLERK, Role.ADMIN)
def account_requests(request):
    context = {
        "pending": account_requests_pending(),
        "recent": account_requests_recent(),
        "approve_form": ApproveForm(),
        "refuse_form": RefuseForm(),
    }
    return render(request, "enterprises/account_requests.html", context)


@role_required(Role.CLERK, Role.ADMIN)
@require_POST
def account_request_decide(request, pk, decision):
    account = get_object_or_404(AccountRequest, pk=pk)
    form = (ApproveForm if decision == "approve" else RefuseForm)(request.POST)
    if form.is_valid():
        try:
            if decision == "approve":
                account = actions.account_request_approve(
                    actor=request.user,
                    request=account,
                    site_url=request.build_absolute_uri("/"),
                    **form.cleaned_data,
                )
                if account.link:
                    messages.success(
                        request,
                        _("Account %(username)s created. It joins the enterprise once %(asked)s confirms.")
                        % {"username": account.username, "asked": account.link_asked},
                    )
                else:
                    messages.success(
                        request, _("Account %(username)s created.") % {"username": account.username}
                    )
            else:
                actions.account_request_refuse(actor=request.user, request=account, **form.cleaned_data)
                messages.success(request, _("Request refused."))
        except DomainError as exc:
            messages.error(request, domain_error_text(exc))
    else:
        messages.error(request, " ".join(" ".join(v) for v in form.errors.values()))
    return redirect("enterprises:account-requests")


def account_link(request, token):
    """Public page (the signed link is the proof): the enterprise confirms or declines an account."""
    account = account_request_for_link(account_link_request_id(token))
    if account is None:
        raise Http404
    form = AccountLinkForm(request.POST or None)
    actor = request.user if request.user.is_authenticated else None
    sent = form_submit(
        request,
        form,
        lambda data: actions.account_link_decide(request=account, accept=data["accept"], actor=actor),
    )
    if sent.ok:
        account.refresh_from_db()
    context = {"account": account, "form": form}
    return render(request, "enterprises/account_link.html", context, status=sent.status)


# --- import ----------------------------------------------------------------------------------------


@role_required(*REGISTER_ROLES)
def import_list(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    sent = form_submit(
        request, form, lambda data: actions.enterprise_import_start(actor=request.user, upload=data["file"])
    )
    if sent.ok:
        return redirect("enterprises:import-detail", pk=sent.result.pk)
    jobs = CappedPaginator(enterprise_imports_visible_to(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "enterprises/import_list.html", {"form": form, "jobs": jobs}, status=sent.status)


@role_required(*REGISTER_ROLES)
def import_detail(request, pk):
    """The preview (errors by row and reason, a sample of valid rows) and, later, the progress."""
    job = enterprise_import_for(request.user, pk)
    errors = CappedPaginator(import_errors_rows(job), IMPORT_ERRORS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "enterprises/import_detail.html", {"job": job, "errors": errors})


IMPORT_ERRORS_PER_PAGE = 50


@role_required(*REGISTER_ROLES)
def import_errors(request, pk):
    """The check's findings as an .xlsx workbook, to fix the file beside it."""
    job = enterprise_import_for(request.user, pk)
    return xlsx_response(import_errors_xlsx(job), f"import-{job.pk}-errors.xlsx")


@role_required(*REGISTER_ROLES)
def import_progress(request, pk):
    """The htmx-polled part of the import page; polling stops once the job stops working."""
    job = enterprise_import_for(request.user, pk)
    response = render(request, "enterprises/_import_progress.html", {"job": job})
    if request.htmx and not job.is_working:
        response["HX-Refresh"] = "true"  # show the full preview or result
    return response


@role_required(*REGISTER_ROLES)
@require_POST
def import_confirm(request, pk):
    job = enterprise_import_for(request.user, pk)
    try:
        actions.enterprise_import_confirm(actor=request.user, job=job)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("enterprises:import-detail", pk=job.pk)
