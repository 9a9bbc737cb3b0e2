"""HTML pages of the services app: as thin as the API (parse → scope → one action → respond)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.validators import slug_re
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from enterprises.models import Enterprise
from enterprises.selectors import enterprises_visible_to
from zone_portal.accounts.roles import Role
from zone_portal.api.permissions import role_required
from zone_portal.cases.checklist import checklist_rows
from zone_portal.cases.clock import working_time_left, working_time_since
from zone_portal.cases.lateness import Lateness
from zone_portal.errors import DomainError
from zone_portal.events.log import events_for
from zone_portal.pagination import CappedPaginator
from zone_portal.ratings import actions as rating_actions
from zone_portal.ratings import permissions as rating_permissions
from zone_portal.ratings import selectors as rating_selectors
from zone_portal.ratings.models import RectificationStatus
from zone_portal.web.forms import checklist_uploads, form_submit
from zone_portal.web.navigation import list_panel
from zone_portal.web.submit import form_flash, verb_entry

from . import actions, permissions, selectors
from .api import material_response
from .filters import ServiceRequestFilter
from .forms import (
    AppealForm,
    BookForm,
    CallbackForm,
    CompleteForm,
    DecideForm,
    RateFixForm,
    RateForm,
    ReassignForm,
    RejectForm,
    ReplyForm,
    RequestForm,
    SettingsForm,
    SupplementForm,
    SupplementRequestForm,
    UploadForm,
    VerifyForm,
    WithdrawForm,
)
from .models import (
    FINAL_STATUSES,
    AppointmentSlot,
    RequestStatus,
    ServiceItem,
)

HANDLERS = (Role.CLERK, Role.DEPARTMENT_OFFICER, Role.ADMIN)
RECTIFIERS = (Role.CLERK, Role.DEPARTMENT_OFFICER, Role.ADMIN, Role.SUPERVISOR, Role.LEADER)
APPLICANTS = (Role.ENTERPRISE_STAFF, Role.CLERK, Role.CSO, Role.PARK_OFFICER, Role.PARK_DIRECTOR, Role.ADMIN)


def _filing_enterprises(user):
    """The enterprises the user may file for: their own, or those they serve as an agent."""
    if user.has_role(*permissions.AGENT_ROLES) or user.is_zone_admin:
        return enterprises_visible_to(user)
    return Enterprise.objects.filter(pk__in=user.enterprise_ids)


# -- catalog and the applicant's pages -------------------------------------------------------------


@login_required
def catalog(request):
    items = selectors.catalog_items()
    return render(
        request, "services/catalog.html", {"items": items, "may_apply": request.user.has_role(*APPLICANTS)}
    )


def _my_requests(user):
    qs = selectors.service_requests_visible_to(user).filter(parent=None)
    if not user.has_role(Role.ENTERPRISE_STAFF):
        qs = qs.filter(Q(submitted_by=user) | Q(agent=user))
    return qs


# tab → (label, statuses)
REQUEST_TABS = {
    "all": (gettext_lazy("All"), None),
    "supplement": (gettext_lazy("Needs my supplement"), [RequestStatus.SUPPLEMENT_REQUIRED]),
    "open": (gettext_lazy("In progress"), [RequestStatus.SUBMITTED, RequestStatus.ACCEPTED]),
    "completed": (gettext_lazy("Completed"), [RequestStatus.COMPLETED]),
    "closed": (gettext_lazy("Rejected or withdrawn"), [RequestStatus.REJECTED, RequestStatus.WITHDRAWN]),
}


@login_required
def request_list(request):
    """My requests: what the user filed or their enterprise's, newest first, by status tab (the
    ones waiting for the applicant first among the tabs, with their counts)."""
    qs = _my_requests(request.user)
    tab = request.GET.get("tab", "all")
    if tab not in REQUEST_TABS:
        tab = "all"
    counts = qs.order_by().aggregate(
        **{
            key: Count("id", filter=Q(status__in=statuses)) if statuses else Count("id")
            for key, (_label, statuses) in REQUEST_TABS.items()
        }
    )
    statuses = REQUEST_TABS[tab][1]
    if statuses:
        qs = qs.filter(status__in=statuses)
    page = CappedPaginator(selectors.request_rows(qs.order_by("-submitted_at", "-id")), 20).get_page(
        request.GET.get("page")
    )
    tabs = [(key, label, counts[key]) for key, (label, _s) in REQUEST_TABS.items()]
    return render(
        request,
        "services/request_list.html",
        {"page": page, "now": timezone.now(), "tab": tab, "tabs": tabs},
    )


def _service_code(value) -> str | None:
    """A catalogue code from the query string or the form, or None when it cannot be one (a NUL
    byte would otherwise reach PostgreSQL and fail there)."""
    value = value if isinstance(value, str) else ""
    return value if slug_re.fullmatch(value) else None


def _selected_service(value) -> ServiceItem | None:
    code = _service_code(value)
    return ServiceItem.objects.filter(code=code, active=True).first() if code else None


def _request_form(request, *, enterprises=None, selected=None, data=None, files=None, initial=None):
    agent = request.user.has_role(*permissions.AGENT_ROLES) or request.user.is_zone_admin
    form = RequestForm(
        data,
        files,
        enterprises=enterprises if enterprises is not None else _filing_enterprises(request.user),
        agent=agent,
        initial=initial,
        checklist=selected.checklist if selected else (),
    )
    # The list of materials follows the chosen service (htmx swaps it in; without script, the
    # page reloads with the service chosen).
    form.fields["service"].widget.attrs.update(
        {
            "hx-get": reverse("services:request-checklist"),
            "hx-target": "#checklist",
            "hx-trigger": "change",
            "hx-swap": "outerHTML",
        }
    )
    return form


@role_required(*APPLICANTS)
def request_new(request):
    """File a request with its materials, one upload slot per material of the service's checklist
    (一次性告知); an agent files on an enterprise's behalf."""
    enterprises = _filing_enterprises(request.user)
    initial = {"service": _service_code(request.GET.get("service"))}
    if enterprises.count() == 1:
        initial["enterprise"] = enterprises.first()
    selected = _selected_service(
        request.POST.get("service") if request.method == "POST" else initial["service"]
    )
    form = _request_form(
        request,
        enterprises=enterprises,
        selected=selected,
        data=request.POST or None,
        files=request.FILES or None,
        initial=initial,
    )
    sent = form_submit(
        request,
        form,
        lambda data: actions.request_submit(
            actor=request.user,
            service=data["service"],
            enterprise=data.get("enterprise"),
            applicant_name=data.get("applicant_name", ""),
            applicant_phone=data.get("applicant_phone", ""),
            description=data["description"],
            uploads=data["files"],
            slot_uploads=checklist_uploads(form, form.checklist),
        ),
    )
    if sent.ok:
        messages.success(request, _("Request %(number)s submitted.") % {"number": sent.result.number})
        return redirect(sent.result)
    context = {"form": form, "selected": selected}
    return render(request, "services/request_form.html", context, status=sent.status)


@role_required(*APPLICANTS)
def request_checklist(request):
    """The materials checklist of the service chosen on the new-request form (htmx fragment)."""
    selected = _selected_service(request.GET.get("service"))
    form = _request_form(request, selected=selected)
    return render(request, "services/_checklist_fields.html", {"form": form, "selected": selected})


def _checklist_rows(obj, materials):
    """The request's checklist with its files: 已提供 / 缺 per material (a bundle item shows its
    own service's list with the bundle's files too)."""
    asked = obj.supplement_missing if obj.status == RequestStatus.SUPPLEMENT_REQUIRED else ()
    return checklist_rows(obj.service.checklist, materials, asked)


def _request_context(request, obj, forms=None) -> dict:
    user = request.user
    forms = forms or {}
    handler = permissions.is_handler(user, obj)
    is_assignee = obj.assignee_id == user.pk
    applicant = permissions.is_applicant_side(user, obj)
    status = obj.status
    rating = rating_selectors.rating_for(obj) if obj.parent_id is None else None
    materials = [
        *obj.materials.select_related("uploaded_by"),
        *(obj.parent.materials.select_related("uploaded_by") if obj.parent_id else []),
    ]
    can = {
        "claim": handler and obj.can_be_claimed,
        "release": obj.assignee_id and not obj.is_final and (is_assignee or user.is_zone_admin),
        "reassign": obj.assignee_id is not None
        and not obj.is_final
        and not obj.is_bundle
        and (is_assignee or user.is_zone_admin),
        "accept": is_assignee and status == RequestStatus.SUBMITTED,
        "request_supplement": is_assignee and status == RequestStatus.ACCEPTED,
        "complete": is_assignee and status == RequestStatus.ACCEPTED,
        "reject": is_assignee and obj.can_transition(RequestStatus.REJECTED),
        "supplement": applicant and status == RequestStatus.SUPPLEMENT_REQUIRED,
        "withdraw": applicant and obj.parent_id is None and obj.can_transition(RequestStatus.WITHDRAWN),
        "upload": (applicant or is_assignee)
        and not obj.is_final
        and status != RequestStatus.SUPPLEMENT_REQUIRED,
        "rate": rating is None
        and obj.parent_id is None
        and status == RequestStatus.COMPLETED
        and permissions.may_rate(user, obj),
    }
    return {
        "obj": obj,
        "sla": obj.sla_state,
        "can": can,
        "rating": rating,
        # The rectification of a bad rating is linked only for those who may open it.
        "rectification_readable": bool(
            rating
            and rating.is_bad
            and rating_selectors.rectifications_visible_to(user).filter(rating=rating).exists()
        ),
        "children": obj.children.select_related("service", "assignee") if obj.is_bundle else [],
        "materials": materials,
        "checklist": _checklist_rows(obj, materials),
        "other_materials": [m for m in materials if not m.slot],
        "events": events_for(obj),
        "forms": {
            "request_supplement": forms.get("request_supplement") or _verb_form("request_supplement", obj),
            "supplement": forms.get("supplement") or _verb_form("supplement", obj),
            "complete": forms.get("complete") or CompleteForm(),
            "reject": forms.get("reject") or RejectForm(),
            "withdraw": forms.get("withdraw") or WithdrawForm(),
            "rate": forms.get("rate") or RateForm(),
            "reassign": forms.get("reassign") or ReassignForm(),
            "upload": forms.get("upload") or _verb_form("upload", obj),
        },
    }


@login_required
def request_detail(request, pk):
    obj = selectors.service_request_for(request.user, pk)
    return render(request, "services/request_detail.html", _request_context(request, obj))


def _verb_form(verb, obj, data=None, files=None):
    """The form of `verb` on `obj` (the checklist's forms need the request's service)."""
    form_class = _REQUEST_VERBS[verb][0]
    if form_class is None:
        return None
    checklist = obj.service.checklist
    if form_class is SupplementRequestForm:
        return form_class(data, files, checklist=checklist, second_round=obj.supplement_rounds >= 1)
    if form_class is SupplementForm:
        return form_class(data, files, checklist=checklist, asked=obj.supplement_missing)
    if form_class is UploadForm:
        return form_class(data, files, checklist=checklist)
    return form_class(data, files)


# verb → (form class or None, action, how the form's data becomes the action's arguments)
_REQUEST_VERBS = {
    "claim": (None, actions.request_claim, None),
    "release": (None, actions.request_release, None),
    "accept": (None, actions.request_accept, None),
    "reassign": (ReassignForm, actions.request_reassign, lambda d: {"assignee": d["assignee"]}),
    "request_supplement": (
        SupplementRequestForm,
        actions.request_request_supplement,
        lambda d: {
            "missing": d.get("missing", []),
            "other": d["other"],
            "note": d["note"],
            "reason": d.get("reason", ""),
        },
    ),
    "supplement": (
        SupplementForm,
        actions.request_supplement,
        lambda d: {"note": d["note"], "uploads": d["files"], "slot_uploads": d["slot_uploads"]},
    ),
    "complete": (CompleteForm, actions.request_complete, lambda d: {"result": d["result"]}),
    "reject": (RejectForm, actions.request_reject, lambda d: {"reason": d["reason"]}),
    "withdraw": (WithdrawForm, actions.request_withdraw, lambda d: {"reason": d["reason"]}),
    "rate": (RateForm, actions.request_rate, lambda d: {"score": d["score"], "comment": d["comment"]}),
    "upload": (UploadForm, actions.material_add, lambda d: {"uploads": d["files"], "slot": d["slot"]}),
}
_DONE_MESSAGES = {
    "claim": gettext_lazy("You claimed request %(number)s."),
    "release": gettext_lazy("Request %(number)s is back in the queue."),
    "accept": gettext_lazy("Request %(number)s accepted."),
    "reassign": gettext_lazy("Request %(number)s handed over."),
    "request_supplement": gettext_lazy("The applicant was asked for the missing materials."),
    "supplement": gettext_lazy("Materials supplied: the clock runs again."),
    "complete": gettext_lazy("Request %(number)s completed."),
    "reject": gettext_lazy("Request %(number)s rejected."),
    "withdraw": gettext_lazy("Request %(number)s withdrawn."),
    "rate": gettext_lazy("Thank you for your rating."),
    "upload": gettext_lazy("Materials added."),
}


@login_required
@require_POST
def request_act(request, pk, verb):
    """One POST endpoint for every action of the request page (and the queue's claim/release)."""
    form_class, action, arguments = verb_entry(_REQUEST_VERBS, verb)
    obj = selectors.service_request_for(request.user, pk)
    form = _verb_form(verb, obj, request.POST, request.FILES)
    status, error = 400, _("Please correct the form.")
    if form is None or form.is_valid():
        if form is not None:
            form.cleaned_data["slot_uploads"] = checklist_uploads(form, obj.service.checklist)
        try:
            action(actor=request.user, service_request=obj, **(arguments(form.cleaned_data) if form else {}))
        except DomainError as exc:
            status, error = exc.status, str(exc.message)
            if form is not None:
                for field, errors in exc.fields.items():
                    if field in form.fields:
                        form.add_error(field, errors)
        else:
            if request.htmx and verb in ROW_VERBS:
                return _queue_row(request, pk)
            messages.success(request, _DONE_MESSAGES[verb] % {"number": obj.number})
            return redirect(obj)
    if request.htmx and verb in ROW_VERBS:
        if form is not None and form.errors:  # say why on the row (e.g. 办结 without a result)
            error = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return _queue_row(request, pk, status=status, error=error)
    messages.error(request, error)
    obj = selectors.service_request_for(request.user, pk)
    context = _request_context(request, obj, {verb: form} if form else None)
    return render(request, "services/request_detail.html", context, status=status)


@login_required
def request_receipt(request, pk):
    """The printable acceptance receipt (受理通知书), once the request is accepted."""
    obj = selectors.service_request_for(request.user, pk)
    if obj.accepted_at is None:
        raise Http404
    return render(request, "services/receipt.html", {"obj": obj, "printed_at": timezone.now()})


@login_required
def request_notice(request, pk):
    """The printable result notice (办结通知书 / 不予受理通知书) of a closed request."""
    obj = selectors.service_request_for(request.user, pk)
    if obj.status not in (RequestStatus.COMPLETED, RequestStatus.REJECTED):
        raise Http404
    return render(request, "services/notice.html", {"obj": obj, "printed_at": timezone.now()})


@login_required
def supplement_notice(request, pk):
    """The printable 一次性告知书: every missing material of the request, told at once, with the
    note (and, for a second round, its reason). Exists once a supplement was asked for."""
    obj = selectors.service_request_for(request.user, pk)
    if not obj.supplement_rounds or not obj.supplement_missing:
        raise Http404
    return render(
        request,
        "services/supplement_notice.html",
        {"obj": obj, "printed_at": timezone.now(), "checklist": obj.service.checklist},
    )


@login_required
def material_download(request, pk):
    return material_response(request.user, pk)


# -- the clerk queue -------------------------------------------------------------------------------

QUEUE_VIEWS = {
    "unclaimed": gettext_lazy("Unclaimed"),
    "mine": gettext_lazy("My queue"),
    "open": gettext_lazy("All open"),
    "all": gettext_lazy("All"),
}


def _queue_queryset(request):
    view = request.GET.get("view", "unclaimed")
    if view not in QUEUE_VIEWS:
        view = "unclaimed"
    qs = selectors.request_queue(request.user)
    counts = selectors.request_open_counts(qs)
    if view != "all":
        qs = qs.exclude(status__in=FINAL_STATUSES)
    if view == "unclaimed":
        qs = qs.filter(assignee=None)
    elif view == "mine":
        qs = qs.filter(assignee=request.user)
    filters = ServiceRequestFilter(request.GET or None, queryset=qs, request=request)
    return view, selectors.by_due_time(filters.qs), filters, counts


@role_required(*HANDLERS)
def queue(request):
    """Requests by due time with SLA badges, counts, filters, claim and release."""
    view, qs, filters, counts = _queue_queryset(request)
    page = CappedPaginator(selectors.request_rows(qs), 25).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [_row(request.user, r, now) for r in page]
    context = {
        "page": page,
        "rows": rows,
        "filters": filters,
        "counts": counts,
        "view": view,
        "views": QUEUE_VIEWS,
        "services": ServiceItem.objects.filter(active=True).only("code", "name"),
        "sla_states": Lateness.choices,
        "statuses": RequestStatus.choices,
    }
    return render(request, "services/queue.html", context)


def _row(user, obj, now=None) -> dict:
    """A queue row: the request, its lateness, how long it has waited since it was filed and how
    much working time is left (negative: overdue) while its clock runs, and its next steps."""
    now = now or timezone.now()
    mine = obj.assignee_id == user.pk
    running = obj.status == RequestStatus.ACCEPTED and obj.due_at is not None
    return {
        "obj": obj,
        "sla": obj.sla_state_at(now),
        "waited": working_time_since(obj.submitted_at, now) if not obj.is_final else None,
        "left": working_time_left(obj.due_at, now) if running else None,
        "can_claim": permissions.is_handler(user, obj) and obj.can_be_claimed,
        "can_release": mine and not obj.is_final,
        "can_accept": mine and obj.status == RequestStatus.SUBMITTED,
        "can_complete": mine and obj.status == RequestStatus.ACCEPTED,
    }


ROW_VERBS = ("claim", "release", "accept", "complete")


def _queue_row(request, pk, status=200, error=""):
    """One row of the queue, for htmx to swap in after a row's action (with why it failed), and
    the count tiles, swapped out of band so they follow the claim."""
    row = {**_row(request.user, selectors.service_request_for(request.user, pk)), "error": error}
    counts = selectors.request_counts(selectors.request_queue(request.user))
    return render(
        request, "services/_queue_row.html", {"row": row, "counts": counts, "oob": True}, status=status
    )


# -- appointments ----------------------------------------------------------------------------------


def _appointment_book(actor, data: dict):
    """Book the open slot the form names (404 for any other slot); the slot, to say so."""
    slot = selectors.appointment_slots_open().filter(pk=data["slot"]).first()
    if slot is None:
        raise Http404
    actions.appointment_book(actor=actor, **{**data, "slot": slot})
    return slot


@role_required(Role.ENTERPRISE_STAFF, Role.CLERK, Role.CSO, Role.PARK_OFFICER, Role.PARK_DIRECTOR, Role.ADMIN)
def appointments(request):
    """Book a window slot (also weekend, extended hours, door-to-door); see and cancel bookings."""
    enterprises = _filing_enterprises(request.user)
    form = BookForm(
        request.POST or None, enterprises=enterprises, initial={"enterprise": enterprises.first()}
    )
    status = 200
    if request.method == "POST":
        booked = form_flash(request, form, lambda data: _appointment_book(request.user, data))
        if booked.ok:
            messages.success(request, _("Booked: %(slot)s.") % {"slot": booked.result})
            return redirect("services:appointments")
        status = booked.status
    kind = request.GET.get("kind", "")
    slots = selectors.appointment_slots_open()
    if kind in AppointmentSlot.Kind.values:
        slots = slots.filter(kind=kind)
    slot_page = CappedPaginator(slots, 30).get_page(request.GET.get("page"))
    bookings = selectors.appointments_visible_to(request.user).filter(slot__date__gte=timezone.localdate())
    context = {
        "form": form,
        "slots": slot_page,
        "kinds": AppointmentSlot.Kind.choices,
        "kind": kind,
        "bookings": bookings.order_by("slot__date", "slot__start")[:50],
    }
    return render(request, "services/appointments.html", context, status=status)


@login_required
@require_POST
def appointment_cancel(request, pk):
    appointment = selectors.appointment_for(request.user, pk)
    try:
        actions.appointment_cancel(actor=request.user, appointment=appointment)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Appointment cancelled."))
    return redirect("services:appointments")


# -- ratings and rectifications --------------------------------------------------------------------


@role_required(*RECTIFIERS)
def rectification_list(request):
    """The rectification queue of the user's departments (all of them for administrators)."""
    status = request.GET.get("status", "")
    if status not in RectificationStatus.values and status != "all":
        status = ""
    qs = rating_selectors.rectification_queue(
        request.user, status="" if status == "all" else status, open_only=status != "all"
    )
    page = CappedPaginator(qs, 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": RectificationStatus.choices,
        "now": timezone.now(),
    }
    return render(request, "services/rectification_list.html", context)


_RECTIFICATION_VERBS = {
    "verify": (VerifyForm, rating_actions.rectification_verify),
    "reply": (ReplyForm, rating_actions.rectification_reply),
    "callback": (CallbackForm, rating_actions.rectification_callback),
    "rate_fix": (RateFixForm, rating_actions.rectification_rate_fix),
    "appeal": (AppealForm, rating_actions.rectification_appeal),
    "decide": (DecideForm, rating_actions.rectification_decide_appeal),
}


def _rectification_context(request, obj, forms=None) -> dict:
    user = request.user
    forms = forms or {}
    worker = rating_permissions.may_work_rectification(user, obj)
    s = obj.status
    can = {
        "verify": worker and s == RectificationStatus.OPEN,
        "reply": worker and s == RectificationStatus.FIXING,
        "callback": worker and s == RectificationStatus.REPLIED,
        "rate_fix": rating_permissions.may_rate_fix(user, obj) and s == RectificationStatus.CALLED_BACK,
        "appeal": worker and obj.can_transition(RectificationStatus.APPEALED),
        "decide": rating_permissions.may_decide_appeal(user) and s == RectificationStatus.APPEALED,
    }
    return {
        "obj": obj,
        "can": can,
        "events": events_for(obj),
        "forms": {
            verb: forms.get(verb) or form_class()
            for verb, (form_class, _action) in _RECTIFICATION_VERBS.items()
        },
    }


@login_required
def rectification_detail(request, pk):
    obj = rating_selectors.rectification_for(request.user, pk)
    return render(request, "services/rectification_detail.html", _rectification_context(request, obj))


@login_required
@require_POST
def rectification_act(request, pk, verb):
    form_class, action = verb_entry(_RECTIFICATION_VERBS, verb)
    obj = rating_selectors.rectification_for(request.user, pk)
    form = form_class(request.POST)
    submitted = form_flash(
        request, form, lambda data: action(actor=request.user, rectification=obj, **data), success=_("Saved.")
    )
    if submitted.ok:
        return redirect(obj)
    obj = rating_selectors.rectification_for(request.user, pk)
    context = _rectification_context(request, obj, {verb: form})
    return render(request, "services/rectification_detail.html", context, status=submitted.status)


# Who reads ratings here: what `ratings_visible_to` gives them (park staff their park's). Social
# supervisors read none (they decide appeals, under rectifications), so the page is not theirs.
RATING_READERS = (
    Role.ADMIN,
    Role.LEADER,
    Role.DEPARTMENT_OFFICER,
    Role.CLERK,
    Role.PARK_DIRECTOR,
    Role.PARK_OFFICER,
)


@role_required(*RATING_READERS)
def ratings(request):
    """Ratings and the one coverage figure (ratings ÷ rateable cases of every rated kind)."""
    qs = rating_selectors.ratings_visible_to(request.user).select_related("rectification")
    page = CappedPaginator(qs, 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "coverage": rating_selectors.rating_coverage(),
        "agency": selectors.agency_count(),
    }
    return render(request, "services/ratings.html", context)


@role_required(*selectors.STAGE_READERS)
def stages(request):
    """The stages of every service, anonymised: what a social supervisor reads (no applicant, no
    description, no documents)."""
    page = CappedPaginator(selectors.service_stages_visible_to(request.user), 25).get_page(
        request.GET.get("page")
    )
    counts = selectors.service_stage_counts(request.user)
    return render(request, "services/stages.html", {"page": page, "counts": counts})


@role_required(Role.ADMIN)
def settings_page(request):
    """The administrator's numbers: at-risk ratio, rectification deadlines, the center's head."""
    form = SettingsForm(request.POST or None, instance=selectors.service_settings())
    if request.method == "POST" and form.is_valid():
        actions.service_settings_update(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Settings saved."))
        return redirect("services:settings")
    return render(request, "services/settings.html", {"form": form}, status=400 if form.errors else 200)


# -- home panels -----------------------------------------------------------------------------------


def home_applicant(request) -> dict:
    """What needs the enterprise first: the requests waiting for its supplement (each a link, with
    what is missing and since when), then its other open requests."""
    qs = _my_requests(request.user).select_related("service")
    waiting = list(qs.filter(status=RequestStatus.SUPPLEMENT_REQUIRED).order_by("paused_at", "id")[:10])
    open_requests = (
        qs.exclude(status__in=FINAL_STATUSES)
        .exclude(status=RequestStatus.SUPPLEMENT_REQUIRED)
        .order_by("-submitted_at")[:5]
    )
    return {
        "waiting": waiting,
        "open_requests": open_requests,
        "supplement_count": len(waiting),
    }


def home_handler(request) -> dict:
    return {
        "counts": selectors.request_open_counts(selectors.request_queue(request.user)),
        "queue_url": reverse("services:queue"),
    }


def home_rectifications(request) -> dict:
    return {"open_rectifications": rating_selectors.rectification_queue(request.user).count()}


# --- the enterprise page's panels (slot "enterprises.enterprise") --------------------------------


def enterprise_requests_panel(request, enterprise) -> dict:
    """The enterprise's requests the reader may see, newest first."""
    rows = selectors.service_requests_visible_to(request.user).filter(enterprise=enterprise, parent=None)
    return list_panel(
        rows.select_related("service").order_by("-submitted_at", "-id"),
        row=lambda r: (str(r), r.get_absolute_url(), r.get_status_display(), r.submitted_at),
        anchor="requests",
        title=_("Service requests"),
        label_header=_("Request"),
        empty=_("No requests yet."),
    )


def enterprise_ratings_panel(request, enterprise) -> dict:
    """The ratings of the enterprise's cases (好差评) the reader may see."""
    return list_panel(
        rating_selectors.ratings_visible_to(request.user)
        .filter(enterprise=enterprise)
        .order_by("-created_at", "-id"),
        row=lambda r: (r.case_label, r.case_url, r.get_score_display(), r.created_at),
        anchor="ratings",
        title=_("Ratings"),
        label_header=_("Case"),
        empty=_("No ratings yet."),
    )
