"""The feedback pages: as thin as the API. Reads go through the selectors (404 for what the user
may not see), writes through one action each; a refused action comes back as a message."""

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from enterprises.selectors import visit_for, visit_ticket_draft
from projects.models import Project
from projects.selectors import project_health, projects_visible_to, projects_with_status
from zone_portal.accounts.roles import STAFF_ROLES, Role
from zone_portal.api.permissions import role_required
from zone_portal.errors import DomainError
from zone_portal.org.models import Department, Park
from zone_portal.pagination import CappedPaginator
from zone_portal.ratings.models import Score
from zone_portal.uploads import file_download
from zone_portal.web.forms import domain_error_text, form_add_domain_error
from zone_portal.web.submit import verb_entry

from . import actions, forms, selectors
from . import permissions as perms
from .models import (
    Category,
    CategoryDepartment,
    EscalationPolicy,
    Extension,
    JointMeeting,
    Ticket,
    Whistle,
)

PAGE_SIZE = 20
DEPARTMENT_ROLES = (Role.DEPARTMENT_OFFICER,)
BOARD_ROLES = (Role.PARK_DIRECTOR, Role.PARK_OFFICER, Role.ADMIN)
MEETING_ROLES = (Role.LEADER, Role.ADMIN, Role.PARK_DIRECTOR, Role.PARK_OFFICER, Role.DEPARTMENT_OFFICER)
STATS_ROLES = (Role.ADMIN, Role.LEADER, Role.PARK_DIRECTOR, Role.SUPERVISOR)
LIST_ROLES = (*STAFF_ROLES, Role.ENTERPRISE_STAFF, Role.SUPERVISOR, Role.HOTLINE)


# --------------------------------------------------------------------------- lists


@role_required(*LIST_ROLES)
def ticket_list(request):
    """ "My problems" for an enterprise, "my tickets by deadline" for an officer, and the filtered
    list of everything visible for everyone else."""
    user = request.user
    filters = {
        "status": request.GET.get("status") or None,
        "tier": request.GET.get("tier") or None,
        "category": request.GET.get("category") or None,
        "overdue": True if request.GET.get("overdue") == "1" else None,
        "mine": request.GET.get("mine") == "1",
    }
    if filters["status"] not in (None, *Ticket.Status.values):
        filters["status"] = None
    if filters["tier"] not in (None, "1", "2", "3"):
        filters["tier"] = None
    if filters["category"] not in (None, *Category.values):
        filters["category"] = None
    qs = selectors.ticket_list(user, filters=filters)
    if user.has_role(Role.ENTERPRISE_STAFF) and not user.has_role(*STAFF_ROLES):
        qs = qs.order_by("-created_at", "-id")
    else:
        qs = qs.order_by(F("due_at").asc(nulls_last=True), "-id")
    page = CappedPaginator(selectors.ticket_rows(qs), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "filters": filters,
        "statuses": Ticket.Status.choices,
        "categories": Ticket._meta.get_field("category").choices,
        "now": timezone.now(),
        "can_raise": user.has_role(*perms.RAISING_ROLES),
    }
    return render(request, "feedback/ticket_list.html", context)


@role_required(*perms.RAISING_ROLES)
def ticket_new(request, *, draft: dict | None = None):
    enterprises = perms.enterprises_raisable_by(request.user)
    projects = Project.objects.filter(enterprise__in=enterprises).order_by("name")
    initial = {"enterprise": draft["enterprise"], "description": draft["description"]} if draft else None
    form = forms.RaiseForm(
        request.POST or None,
        request.FILES or None,
        enterprises=enterprises,
        projects=projects,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = actions.ticket_raise(
                actor=request.user,
                enterprise=data["enterprise"],
                category=data["category"],
                title=data["title"],
                description=data["description"],
                urgency=data["urgency"],
                project=data["project"],
                files=data["files"],
                source=draft["source"] if draft else actions.source_for(request.user, data["enterprise"]),
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, _("Problem %(number)s raised.") % {"number": ticket.number})
            return redirect("feedback:detail", pk=ticket.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "feedback/ticket_new.html", {"form": form, "draft": draft}, status=status)


@role_required(*perms.RAISING_ROLES)
def ticket_from_visit(request, visit_id: int):
    """Raise a problem found on a visit (走访): the form starts from the visit's findings."""
    return ticket_new(request, draft=visit_ticket_draft(visit_for(request.user, visit_id)))


# --------------------------------------------------------------------------- detail and verbs


def _verbs_for(user, ticket) -> dict:
    open_ = ticket.status == Ticket.Status.OPEN
    holder = perms.is_holder(user, ticket)
    whistles = list(ticket.whistles.all())
    mine = [w for w in whistles if perms.can_act_for_department(user, w.department_id)]
    pending_extension = next(
        (e for e in ticket.extensions.all() if e.status == Extension.Status.PENDING), None
    )
    return {
        "acknowledge": open_ and holder and ticket.acknowledged_at is None,
        "whistle": open_ and ticket.tier < 3 and perms.can_whistle(user, ticket),
        "resolve": open_ and holder,
        "confirm": ticket.status == Ticket.Status.RESOLVED and perms.can_confirm(user, ticket),
        "escalate": open_ and ticket.tier < 3 and perms.can_escalate(user, ticket),
        "extend": open_ and holder and ticket.due_at is not None and pending_extension is None,
        "decide": pending_extension is not None
        and open_
        and perms.can_decide_extension(user, ticket, pending_extension),
        "reassign": open_
        and ((ticket.tier == 1 and perms.is_cso_for(user, ticket)) or perms.is_park_staff_for(user, ticket)),
        "comment": ticket.can("comment"),
        "attach": ticket.can("comment") and perms.can_attach(user, ticket),
        "report": [w for w in mine if open_ and w.status == Whistle.Status.WHISTLED],
        "answer": [w for w in mine if open_ and w.status == Whistle.Status.REPORTED],
        "return": [w for w in mine if open_ and w.is_pending],
        "pending_extension": pending_extension,
    }


@role_required(*LIST_ROLES)
def ticket_detail(request, pk: int):
    ticket = selectors.ticket_for(request.user, pk, details=True)
    now = timezone.now()
    verbs = _verbs_for(request.user, ticket)
    context = {
        "ticket": ticket,
        "rating_label": Score(ticket.rating_score).label if ticket.rating_score else None,
        "now": now,
        "events": selectors.ticket_events(ticket),
        "verbs": verbs,
        "verbs_any": any(verbs.values()),
        "whistle_form": forms.WhistleForm(),
        "confirm_form": forms.ConfirmForm(),
        # The park to route to is asked of a ticket without an enterprise or a park (triage).
        "route_park": forms.ReassignForm()["park"]
        if ticket.enterprise_id is None or ticket.park_id is None
        else None,
        "whistles": [(w, w.overdue_deadline(now)) for w in ticket.whistles.all()],
        "action_items": list(ticket.action_items.all()),
    }
    return render(request, "feedback/ticket_detail.html", context)


# A verb of the ticket page: its form (whose cleaned fields are the action's arguments), its action and
# what the page says when it is done.
VERBS = {
    "acknowledge": (forms.NoteForm, actions.ticket_acknowledge, gettext_lazy("Acknowledged.")),
    "whistle": (forms.WhistleForm, actions.ticket_whistle, gettext_lazy("Departments whistled.")),
    "report": (
        forms.DepartmentForm,
        actions.whistle_report,
        gettext_lazy("Reported: you are the officer in charge."),
    ),
    "answer": (forms.AnswerForm, actions.whistle_answer, gettext_lazy("Answer sent.")),
    "resolve": (
        forms.ResolveForm,
        actions.ticket_resolve,
        gettext_lazy("Marked resolved; the enterprise is asked to confirm."),
    ),
    "confirm": (forms.ConfirmForm, actions.ticket_confirm, gettext_lazy("Thank you for your answer.")),
    "escalate": (forms.ReasonForm, actions.ticket_escalate, gettext_lazy("Escalated.")),
    "extend": (forms.ExtendForm, actions.ticket_extend, gettext_lazy("Extension requested.")),
    "approve-extension": (forms.DecideForm, actions.extension_decide, gettext_lazy("Decision recorded.")),
    "reassign": (forms.ReassignForm, actions.ticket_reassign, gettext_lazy("Returned for re-routing.")),
    "comment": (forms.CommentForm, actions.ticket_comment, gettext_lazy("Comment added.")),
    "attach": (forms.AttachForm, actions.ticket_attach, gettext_lazy("Files added.")),
}


def _back(request, default: str):
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


@role_required(*LIST_ROLES)
@require_POST
def ticket_act(request, pk: int, verb: str):
    """One verb on one ticket from a page form; errors come back as messages on the ticket page."""
    form_class, act, success = verb_entry(VERBS, verb)
    ticket = selectors.ticket_for(request.user, pk)
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{' '.join(errors)}" if label else " ".join(errors))
        return _back(request, reverse("feedback:detail", args=[pk]))
    try:
        act(actor=request.user, ticket=ticket, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, domain_error_text(exc))
    else:
        messages.success(request, success)
    return _back(request, reverse("feedback:detail", args=[pk]))


@role_required(*LIST_ROLES)
def attachment_download(request, pk: int, attachment_pk: int):
    """Files are served only through the ticket's scoping, never from a public media URL."""
    attachment = selectors.ticket_attachment_for(request.user, pk, attachment_pk)
    return file_download(
        attachment.file, content_type=attachment.content_type, label="attachment", pk=attachment.pk
    )


# --------------------------------------------------------------------------- role boards


@role_required(*BOARD_ROLES)
def park_board(request):
    """The park director's board: tier 1 and 2 by deadline, with the whistle dialog on each row,
    and the departments under public notice."""
    user = request.user
    now = timezone.now()
    filters = {
        "q": request.GET.get("q", "").strip()[:100],
        "tier": request.GET.get("tier", ""),
        "category": request.GET.get("category", ""),
        "late": request.GET.get("late") == "1",
    }
    board = selectors.park_board_filtered(selectors.park_board(user), now=now, **filters)
    page = CappedPaginator(board, PAGE_SIZE).get_page(request.GET.get("page"))
    defaults = selectors.category_default_departments()
    for ticket in page:  # the whistle dialog ticks the category's default departments
        ticket.default_departments = defaults.get(ticket.category, set())
    notices = list(selectors.public_notices(park_ids=None if user.is_zone_admin else user.park_ids)[:50])
    context = {
        "page_obj": page,
        "notices": notices,
        "departments": Department.objects.all(),
        "now": now,
        "filters": filters,
        "categories": Category.choices,
    }
    return render(request, "feedback/park_board.html", context)


@role_required(*DEPARTMENT_ROLES)
def department_inbox(request):
    """The department's inbox: whistles to report to and to answer (overdue in red), and the joint
    meetings' action items."""
    now = timezone.now()
    filters = {
        "q": request.GET.get("q", "").strip()[:100],
        "status": request.GET.get("status", ""),
        "late": request.GET.get("late") == "1",
    }
    whistles = selectors.whistles_filtered(
        selectors.whistles_for_departments(request.user), now=now, **filters
    )
    page = CappedPaginator(whistles, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(w, w.overdue_deadline(now)) for w in page]
    items = [(i, i.is_overdue(now)) for i in selectors.action_items_for_departments(request.user)[:50]]
    context = {
        "page_obj": page,
        "rows": rows,
        "items": items,
        "now": now,
        "filters": filters,
        "statuses": [(s, label) for s, label in Whistle.Status.choices if s in Whistle.PENDING],
    }
    return render(request, "feedback/department_inbox.html", context)


@role_required(Role.LEADER)
def leader_desk(request):
    """The leader's own page: their key projects with their health, the problems escalated to the
    leaders' desk (tier 3) and the extensions waiting on them, and the next joint meeting."""
    user = request.user
    now = timezone.now()
    projects = list(
        projects_with_status(projects_visible_to(user).filter(leader=user))
        .select_related("park")
        .order_by("name")[:50]
    )
    for project in projects:
        project.health = project_health(project)
    context = {"projects": projects, "now": now, **selectors.leader_desk(user, now=now)}
    return render(request, "feedback/leader_desk.html", context)


# --------------------------------------------------------------------------- joint meetings


@role_required(*MEETING_ROLES)
def meeting_list(request):
    user = request.user
    form = forms.MeetingForm(request.POST or None)
    if request.method == "POST":
        if not perms.can_manage_meetings(user):
            raise Http404
        if form.is_valid():
            try:
                meeting = actions.meeting_schedule(actor=user, **form.cleaned_data)
            except DomainError as exc:
                form_add_domain_error(form, exc)
            else:
                messages.success(request, _("Joint meeting scheduled."))
                return redirect("feedback:meeting", pk=meeting.pk)
    page = CappedPaginator(selectors.meetings_visible_to(user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "form": form if perms.can_manage_meetings(user) else None,
        "waiting": selectors.tier3_waiting()[:50] if perms.can_manage_meetings(user) else [],
    }
    return render(request, "feedback/meeting_list.html", context, status=400 if form.errors else 200)


@role_required(*MEETING_ROLES)
def meeting_detail(request, pk: int):
    meeting = selectors.meeting_for(request.user, pk)
    tickets = [a.ticket for a in meeting.agenda_items.all()]
    now = timezone.now()
    context = {
        "meeting": meeting,
        "agenda": tickets,
        "items": [(i, i.is_overdue(now)) for i in meeting.action_items.all()],
        "can_record": perms.can_manage_meetings(request.user)
        and meeting.status == JointMeeting.Status.SCHEDULED
        and meeting.starts_at <= now,
        "minutes_form": forms.MinutesForm(),
        "rows": forms.ActionRowFormSet(form_kwargs={"tickets": tickets}),
    }
    return render(request, "feedback/meeting_detail.html", context)


@role_required(Role.LEADER, Role.ADMIN)
@require_POST
def meeting_minutes(request, pk: int):
    meeting = selectors.meeting_for(request.user, pk)
    tickets = [a.ticket for a in meeting.agenda_items.all()]
    minutes = forms.MinutesForm(request.POST)
    rows = forms.ActionRowFormSet(request.POST, form_kwargs={"tickets": tickets})
    if minutes.is_valid() and rows.is_valid():
        specs = [
            {
                "ticket": r["ticket"],
                "department": r["department"],
                "description": r["description"],
                "due_at": r.get("due_at"),
            }
            for r in rows.cleaned_data
            if r.get("ticket") and r.get("department") and r.get("description")
        ]
        try:
            actions.meeting_record_minutes(
                actor=request.user, meeting=meeting, minutes=minutes.cleaned_data["minutes"], actions=specs
            )
        except DomainError as exc:
            messages.error(request, domain_error_text(exc))
        else:
            messages.success(request, _("Minutes recorded; the departments have their action items."))
    else:
        messages.error(request, _("Write the minutes before recording them."))
    return redirect("feedback:meeting", pk=meeting.pk)


@role_required(*DEPARTMENT_ROLES)
@require_POST
def action_item_done(request, pk: int):
    item = selectors.action_item_for(request.user, pk)
    form = forms.NoteForm(request.POST)
    try:
        actions.action_item_complete(actor=request.user, item=item, note=form.data.get("note", ""))
    except DomainError as exc:
        messages.error(request, domain_error_text(exc))
    else:
        messages.success(request, _("Action item done."))
    return _back(request, reverse("feedback:department"))


# --------------------------------------------------------------------------- configuration, figures


@role_required(Role.ADMIN)
def policy_list(request):
    """The escalation policies and each category's default departments (edited in the admin)."""
    context = {
        "policies": EscalationPolicy.objects.all(),
        "defaults": [EscalationPolicy.default_for(t) for t in (1, 2, 3)],
        "category_departments": CategoryDepartment.objects.select_related("department"),
    }
    return render(request, "feedback/policies.html", context)


@role_required(*STATS_ROLES)
def statistics(request):
    today = timezone.localdate()
    initial = {"start": today.replace(month=1, day=1), "end": today}
    form = forms.StatsForm(request.GET or None, initial=initial)
    params = initial | {"park": None, "department": None, "category": ""}
    if request.GET and form.is_valid():
        params = form.cleaned_data
    elif not request.GET:
        form = forms.StatsForm(initial=initial)
    park = params.get("park")
    if park is None and request.user.has_role(Role.PARK_DIRECTOR) and not request.user.is_zone_admin:
        park = Park.objects.filter(pk__in=request.user.park_ids).first()
    zone = timezone.get_current_timezone()
    figures = selectors.ticket_stats(
        start=datetime.combine(params["start"], time.min, tzinfo=zone),
        end=datetime.combine(params["end"] + timedelta(days=1), time.min, tzinfo=zone),
        park=park,
        department=params.get("department"),
        category=params.get("category") or None,
    )
    notices = list(selectors.public_notices()[:20])
    # A public notice names its problem; the number links to it only for those who may open it.
    readable = set(
        selectors.tickets_visible_to(request.user)
        .filter(pk__in=[notice.ticket_id for notice in notices])
        .values_list("pk", flat=True)
    )
    context = {"form": form, "figures": figures, "park": park, "notices": notices, "readable": readable}
    return render(request, "feedback/statistics.html", context, status=400 if form.errors else 200)
