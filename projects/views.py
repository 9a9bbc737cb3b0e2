"""HTML pages: the battle map, project lists, the project page and its forms, the ranking, exports.

As thin as the API: fetch through `projects_visible_to` (404 for missing and not yours), call one
action, redirect; an action's error is shown on the form that caused it.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zone_portal.accounts.roles import Role
from zone_portal.api.permissions import role_required
from zone_portal.errors import DomainError
from zone_portal.events.log import events_for
from zone_portal.org.models import Park
from zone_portal.pagination import CappedPaginator
from zone_portal.replica import replica_view
from zone_portal.web.forms import form_add_domain_error, form_submit
from zone_portal.web.navigation import object_panels_for
from zone_portal.xlsx import xlsx_response

from . import actions, exports, permissions, selectors
from .api import RANKING_FORMULA, ledger_photo_response
from .charts import ledger_chart, milestone_timeline
from .forms import (
    LedgerEntryForm,
    MilestoneForm,
    MilestoneReachForm,
    ObservationForm,
    ProjectForm,
    StageForm,
    SupervisionForm,
)
from .models import TEAM_DEPARTMENTS, Milestone, Project, Stage
from .permissions import PARK_ROLES, PROJECT_READER_ROLES

READERS = (*PROJECT_READER_ROLES, Role.ENTERPRISE_STAFF)


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _filters(request) -> dict:
    return {
        "park": _int_or_none(request.GET.get("park")),
        "leader": _int_or_none(request.GET.get("leader")),
    }


@role_required(*READERS)
def board(request):
    """挂图作战: every project in its stage column, coloured on track / at risk / delayed."""
    filters = _filters(request)
    context = selectors.project_board(request.user, **filters)
    context.update(
        filters=filters,
        parks=Park.objects.all(),
        leaders=selectors.leaders_with_projects(),
        health_labels=selectors.Health.LABELS,
        can_manage=permissions.can_manage_projects(request.user),
    )
    return render(request, "projects/board.html", context)


@role_required(*READERS)
def project_list(request, scope: str = ""):
    """A table of projects: `mine` (I lead them or serve on their team), `park` (my parks), or all
    I may see; filterable by park, leader, stage and status."""
    scope = scope or request.GET.get("scope", "")
    qs = selectors.projects_visible_to(request.user)
    user = request.user
    if scope == "mine":
        qs = selectors.projects_involving(qs, user)
    elif scope == "park":
        qs = qs.filter(park_id__in=user.park_ids)
    qs = selectors.projects_with_status(qs)
    stage = request.GET.get("stage") if request.GET.get("stage") in Stage.values else None
    health = request.GET.get("health") if request.GET.get("health") in selectors.Health.LABELS else None
    qs = selectors.projects_filtered(qs, stage=stage, health=health, **_filters(request))
    page = CappedPaginator(qs.order_by("park__order", "name"), 25).get_page(request.GET.get("page"))
    for project in page:
        project.health = selectors.project_health(project)
    titles = {"mine": _("My projects"), "park": _("My parks' projects")}
    return render(
        request,
        "projects/list.html",
        {
            "page": page,
            "scope": scope,
            "title": titles.get(scope, _("Key projects")),
            "filters": _filters(request) | {"stage": stage, "health": health},
            "parks": Park.objects.all(),
            "leaders": selectors.leaders_with_projects(),
            "stages": Stage.choices,
            "health_labels": selectors.Health.LABELS,
        },
    )


def _detail(request, project: Project, status: int = 200, **forms):
    """Render the project page; `forms` replaces a blank form by the bound one that failed."""
    today = timezone.localdate()
    user = request.user
    project.health = selectors.project_health(project)
    milestones = list(project.milestones.all())
    ledger = selectors.ledger_with_cumulative(project)
    can_work = permissions.can_work_on(user, project)
    context = {
        "project": project,
        "today": today,
        "team": [
            (project.investment_member, _("Investment department")),
            (project.service_member, _("Enterprise service department")),
            (project.platform_member, _("Platform department")),
        ],
        "milestones": milestones,
        "timeline": milestone_timeline(milestones, today=today),
        "ledger": ledger,
        "ledger_totals": selectors.ledger_totals(project),
        "chart": ledger_chart(ledger, total_investment=project.total_investment),
        "supervisions": selectors.project_supervisions(project),
        "gaps": selectors.project_gaps(project),
        "observations": selectors.project_observations(project),
        "panels": object_panels_for(request, "projects.project", project),  # e.g. its problems
        "events": events_for(project),
        "can_manage": permissions.can_manage_projects(user),
        "can_change_stage": permissions.can_change_stage(user, project) and project.allowed_stages(),
        "can_work": can_work,
        "can_supervise": can_work and project.is_supervised,
        "can_observe": permissions.can_observe(user) and project.stage != Stage.NEGOTIATING,
        "stage_form": forms.get("stage_form") or StageForm(project=project),
        "milestone_form": forms.get("milestone_form") or MilestoneForm(),
        "reach_form": forms.get("reach_form") or MilestoneReachForm(),
        "reach_failed": forms.get("reach_milestone"),
        "ledger_form": forms.get("ledger_form") or LedgerEntryForm(),
        "supervision_form": forms.get("supervision_form") or SupervisionForm(),
        "observation_form": forms.get("observation_form") or ObservationForm(),
    }
    return render(request, "projects/detail.html", context, status=status)


@role_required(*READERS)
def detail(request, pk: int):
    return _detail(request, selectors.project_for(request.user, pk, with_status=True))


def _run(request, project, form_name, form, call, success: str):
    """Validate the form, run the action; on success redirect to the section, else re-render."""
    sent = form_submit(request, form, lambda data: call(form))
    if sent.ok:
        messages.success(request, success)
        return redirect(f"{project.get_absolute_url()}#{form_name.removesuffix('_form')}")
    return _detail(request, project, status=sent.status, **{form_name: form})


@role_required(*READERS)
@require_POST
def milestone_reach(request, pk: int, milestone_id: int):
    project = selectors.project_for(request.user, pk, with_status=True)
    milestone = get_object_or_404(Milestone.objects.filter(project=project), pk=milestone_id)
    form = MilestoneReachForm(request.POST)
    sent = form_submit(
        request,
        form,
        lambda data: actions.milestone_update(
            actor=request.user, milestone=milestone, actual_date=data["actual_date"]
        ),
    )
    if sent.ok:
        messages.success(request, _("Milestone reached."))
        return redirect(f"{project.get_absolute_url()}#milestone")
    return _detail(request, project, status=sent.status, reach_form=form, reach_milestone=milestone.pk)


def _section_post(form_name: str, make_form, act, success: str):
    """The page's POST to one section of a project (a reader's form): `make_form(request, project)`
    (or a form class, given the POST and its files), then `act(actor, project, form)` through `_run`."""

    @role_required(*READERS)
    @require_POST
    def view(request, pk: int):
        project = selectors.project_for(request.user, pk, with_status=True)
        if isinstance(make_form, type):
            form = make_form(request.POST, request.FILES)
        else:
            form = make_form(request, project)
        return _run(request, project, form_name, form, lambda f: act(request.user, project, f), success)

    return view


def _add(action):
    """An action given the form's fields as they are."""
    return lambda actor, project, f: action(actor=actor, project=project, **f.cleaned_data)


stage_change = _section_post(
    "stage_form",
    lambda request, project: StageForm(request.POST, project=project),
    lambda actor, project, f: actions.project_change_stage(
        actor=actor,
        project=project,
        to_stage=f.cleaned_data["stage"],
        on_date=f.cleaned_data["date"],
        reason=f.cleaned_data["reason"],
    ),
    _("Stage changed."),
)
milestone_create = _section_post(
    "milestone_form", MilestoneForm, _add(actions.milestone_add), _("Milestone added.")
)
ledger_create = _section_post(
    "ledger_form", LedgerEntryForm, _add(actions.ledger_entry_add), _("Ledger entry added.")
)
supervision_create = _section_post(
    "supervision_form", SupervisionForm, _add(actions.supervision_record), _("Weekly supervision recorded.")
)
observation_create = _section_post(
    "observation_form",
    lambda request, project: ObservationForm(request.POST),
    lambda actor, project, f: actions.observation_record(
        actor=actor,
        project=project,
        observed_on=f.cleaned_data["observed_on"],
        scores=f.scores(),
        remarks=f.cleaned_data["remarks"],
    ),
    _("Site observation recorded."),
)


def _project_form(request, project, form, save, done: str):
    """The administrator's project form: `save(form)` (an action, returning the project) on a valid
    POST, then its page; else the form again (400 after a POST), the action's refusal on it."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form)
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, done)
            return redirect(saved.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "projects/form.html", {"form": form, "project": project}, status=status)


@role_required(Role.ADMIN)
def project_create(request):
    return _project_form(
        request,
        None,
        ProjectForm(request.POST or None),
        lambda form: actions.project_create(actor=request.user, **form.action_values()),
        _("Key project created."),
    )


@role_required(Role.ADMIN)
def project_edit(request, pk: int):
    project = selectors.project_for(request.user, pk)
    initial = {key: getattr(project, key) for key in actions.PROJECT_FIELDS}
    initial |= {slot: getattr(project, slot) for slot in TEAM_DEPARTMENTS}
    return _project_form(
        request,
        project,
        ProjectForm(request.POST or None, initial=initial),
        lambda form: actions.project_update(actor=request.user, project=project, **form.action_values()),
        _("Key project saved."),
    )


@replica_view
@role_required(*PROJECT_READER_ROLES)
def ranking(request):
    """季评比: the quarter's ranking of projects and parks, with the formula."""
    status = 200
    try:
        result = selectors.projects_ranking(request.user, quarter=request.GET.get("quarter"))
    except DomainError as exc:
        messages.error(request, " ".join(str(m) for m in exc.fields.get("quarter", [exc.message])))
        result, status = selectors.projects_ranking(request.user), 400
    return render(request, "projects/ranking.html", {**result, "formula": RANKING_FORMULA}, status=status)


@role_required(*READERS)
def ledger_photo(request, pk: int, photo_id: int):
    return ledger_photo_response(request.user, pk, photo_id)


@replica_view
@role_required(*READERS)
def ledger_xlsx(request, pk: int):
    project = selectors.project_for(request.user, pk)
    content = exports.ledger_workbook(project, selectors.ledger_with_cumulative(project))
    return xlsx_response(content, f"project-{project.pk}-ledger.xlsx")


@replica_view
@role_required(*READERS)
def summary_xlsx(request):
    today = timezone.localdate()
    projects = selectors.projects_with_status(selectors.projects_visible_to(request.user), today=today)
    return xlsx_response(exports.summary_workbook(projects, today=today), f"key-projects-{today}.xlsx")


def home_panel_context(request) -> dict:
    """For the home page: the user's own projects (leader or team) and how they stand."""
    user = request.user
    qs = selectors.projects_visible_to(user)
    if user.has_role(*PARK_ROLES) and not user.has_role(Role.LEADER):
        qs = qs.filter(park_id__in=user.park_ids)
    elif not user.is_zone_admin:
        qs = selectors.projects_involving(qs, user)
    projects = list(selectors.projects_with_status(qs).order_by("name")[:8])
    for project in projects:
        project.health = selectors.project_health(project)
    return {"projects": projects}
