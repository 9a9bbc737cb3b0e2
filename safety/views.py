"""HTML pages of the safety app, as thin as the API: fetch through the `*_for(user, pk)` selectors
(404 for missing and not yours), call one action, redirect; an action's refusal is shown on the
form that caused it, with its status."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zone_portal.api.permissions import role_required
from zone_portal.events.log import events_for
from zone_portal.uploads import file_download as download
from zone_portal.web.submit import form_act, verb_entry

from . import actions, permissions, selectors
from .forms import (
    CampaignForm,
    CancelForm,
    ExposeForm,
    HazardForm,
    PhotosForm,
    PlanForm,
    PlanInspectionForm,
    RecordForm,
    ReinspectForm,
    ReportForm,
)
from .models import HazardStatus, InspectionStatus, Severity
from .permissions import EXPOSURE_READERS, INSPECTOR_ROLES, READER_ROLES

PAGE_SIZE = 50


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


# --- inspections ----------------------------------------------------------------------------------


@role_required(*READER_ROLES)
def inspection_list(request):
    qs = selectors.inspections_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in InspectionStatus.values:
        qs = qs.filter(status=status)
    campaign = request.GET.get("campaign", "")
    if campaign.isdigit():
        qs = qs.filter(campaign_id=int(campaign))
    page = _page(request, selectors.inspection_rows(qs).order_by("-planned_on", "-id"))
    return render(
        request,
        "safety/inspection_list.html",
        {
            "page": page,
            "status": status,
            "statuses": InspectionStatus.choices,
            "can_inspect": permissions.can_inspect(request.user),
        },
    )


@role_required(*INSPECTOR_ROLES)
def inspection_new(request):
    user = request.user
    if not permissions.can_inspect(user):
        return render(request, "403.html", status=403)
    form_args = {
        "enterprises": selectors.enterprises_inspectable(),
        "campaigns": selectors.campaigns_visible_to(user),
    }
    status = 200
    if request.method == "POST":
        form = PlanInspectionForm(request.POST, **form_args)
        done, status = form_act(request, form, actions.inspection_plan, success=_("Inspection planned."))
        if done:
            return done
    else:
        form = PlanInspectionForm(initial={"planned_on": timezone.localdate()}, **form_args)
    return render(request, "safety/inspection_new.html", {"form": form}, status=status)


def _inspection_context(request, inspection, **forms):
    user = request.user
    can_work = permissions.can_work_inspection(user, inspection)
    planned = inspection.status == InspectionStatus.PLANNED
    recorded = inspection.status == InspectionStatus.RECORDED
    hazards = list(selectors.hazard_rows(inspection.hazards.all()))
    return {
        "inspection": inspection,
        "checklist": list(inspection.checklist.all()),
        "photos": list(inspection.files.filter(hazard=None)),
        "hazards": hazards,
        "events": list(events_for(inspection)),
        "record_form": forms.get("record_form") or (RecordForm() if can_work and planned else None),
        "cancel_form": forms.get("cancel_form") or (CancelForm() if can_work and planned else None),
        "hazard_form": forms.get("hazard_form") or (HazardForm() if can_work and recorded else None),
        "photos_form": forms.get("photos_form") or (PhotosForm() if can_work and recorded else None),
    }


@role_required(*READER_ROLES)
def inspection_detail(request, pk: int):
    inspection = selectors.inspection_for(request.user, pk)
    return render(request, "safety/inspection_detail.html", _inspection_context(request, inspection))


# The verbs of an inspection's page and of a hazard's: the form, its name in the page's context, the
# action, what is said when it is done (translated when shown).
INSPECTION_VERBS = {
    "record": (RecordForm, "record_form", actions.inspection_record, gettext_lazy("Inspection recorded.")),
    "cancel": (CancelForm, "cancel_form", actions.inspection_cancel, gettext_lazy("Inspection cancelled.")),
    "hazard": (
        HazardForm,
        "hazard_form",
        actions.hazard_add,
        gettext_lazy("Hazard recorded; the enterprise is told its deadline."),
    ),
    "photos": (PhotosForm, "photos_form", actions.inspection_add_photos, gettext_lazy("Photos added.")),
}


def _case_act(request, kind: str, pk: int, verb: str):
    """Hand the verb's form to its action on the inspection or hazard (`kind`) and go back to the
    case (to the new hazard after adding one); the page again, with the form and its status, else."""
    fetch, verbs, template, context = CASE_PAGES[kind]
    case = fetch(request.user, pk)
    form_class, name, action, done = verb_entry(verbs, verb)
    form = form_class(request.POST, request.FILES)
    to = None if verb == "hazard" else case.get_absolute_url()
    response, status = form_act(request, form, action, success=str(done), to=to, **{kind: case})
    if response:
        return response
    return render(request, template, context(request, fetch(request.user, pk), **{name: form}), status=status)


@require_POST
@role_required(*INSPECTOR_ROLES)
def inspection_act(request, pk: int, verb: str):
    return _case_act(request, "inspection", pk, verb)


# --- hazards --------------------------------------------------------------------------------------


@role_required(*READER_ROLES)
def hazard_list(request):
    qs = selectors.hazards_visible_to(request.user)
    state = request.GET.get("state", "unclosed")
    if state == "unclosed":
        qs = qs.exclude(status=HazardStatus.CLOSED)
    elif state in HazardStatus.values:
        qs = qs.filter(status=state)
    severity = request.GET.get("severity", "")
    if severity in Severity.values:
        qs = qs.filter(severity=severity)
    page = _page(request, selectors.hazard_rows(qs).order_by("due_at", "id"))
    return render(
        request,
        "safety/hazard_list.html",
        {
            "page": page,
            "state": state,
            "severity": severity,
            "states": HazardStatus.choices,
            "severities": Severity.choices,
            "title": _("Hazard checks"),
        },
    )


@role_required(*EXPOSURE_READERS)
def exposure_list(request):
    """问题隐患曝光: the exposed hazards, for the zone's staff (never the enterprises)."""
    qs = selectors.hazards_visible_to(request.user).filter(exposed_at__isnull=False)
    page = _page(request, selectors.hazard_rows(qs).order_by("-exposed_at", "-id"))
    return render(request, "safety/exposure.html", {"page": page})


def _hazard_context(request, hazard, **forms):
    user = request.user
    is_open = hazard.status == HazardStatus.OPEN
    rectifier = permissions.can_rectify(user, hazard)
    worker = permissions.can_work_inspection(user, hazard.inspection)
    return {
        "hazard": hazard,
        "lateness": hazard.lateness,
        "files": list(hazard.files.all()),
        "events": list(events_for(hazard)),
        "plan_form": forms.get("plan_form")
        or (PlanForm(initial={"plan": hazard.plan}) if rectifier and is_open else None),
        "report_form": forms.get("report_form")
        or (ReportForm() if rectifier and is_open and (hazard.plan or not hazard.needs_plan) else None),
        "reinspect_form": forms.get("reinspect_form")
        or (ReinspectForm() if worker and hazard.status == HazardStatus.REPORTED else None),
        "expose_form": forms.get("expose_form")
        or (ExposeForm() if permissions.can_inspect(user) and hazard.exposed_at is None else None),
    }


@role_required(*READER_ROLES)
def hazard_detail(request, pk: int):
    hazard = selectors.hazard_for(request.user, pk)
    return render(request, "safety/hazard_detail.html", _hazard_context(request, hazard))


HAZARD_VERBS = {
    "plan": (
        PlanForm,
        "plan_form",
        actions.hazard_plan_submit,
        gettext_lazy("Rectification plan submitted."),
    ),
    "report": (
        ReportForm,
        "report_form",
        actions.hazard_report_fix,
        gettext_lazy("Fix reported; the bureau will re-inspect."),
    ),
    "reinspect": (
        ReinspectForm,
        "reinspect_form",
        actions.hazard_reinspect,
        gettext_lazy("Re-inspection recorded."),
    ),
    "expose": (ExposeForm, "expose_form", actions.hazard_expose, gettext_lazy("Hazard exposed.")),
}


@require_POST
@role_required(*READER_ROLES)
def hazard_act(request, pk: int, verb: str):
    return _case_act(request, "hazard", pk, verb)


@role_required(*READER_ROLES)
def file_download(request, pk: int):
    obj = selectors.file_for(request.user, pk)
    return download(obj.file, content_type=obj.content_type, label=obj.purpose, pk=obj.pk)


# --- campaigns ------------------------------------------------------------------------------------


@role_required(*selectors.CAMPAIGN_READERS)
def campaign_list(request):
    user = request.user
    can_create = permissions.can_inspect(user)
    form, status = None, 200
    if can_create:
        form = CampaignForm(request.POST or None)
        if request.method == "POST":
            done, status = form_act(request, form, actions.campaign_create, success=_("Campaign created."))
            if done:
                return done
    elif request.method == "POST":
        return render(request, "403.html", status=403)
    campaigns = list(
        selectors.campaign_progress(selectors.campaigns_visible_to(user)).order_by("-starts_on", "-id")
    )
    for campaign in campaigns:
        campaign.percent = min(100, round(100 * campaign.done / campaign.target_count))
    return render(request, "safety/campaign_list.html", {"campaigns": campaigns, "form": form}, status=status)


@role_required(*selectors.CAMPAIGN_READERS)
def campaign_detail(request, pk: int):
    campaign = selectors.campaign_for(request.user, pk)
    campaign.percent = min(100, round(100 * campaign.done / campaign.target_count))
    inspections = selectors.inspection_rows(
        selectors.inspections_visible_to(request.user).filter(campaign=campaign)
    ).order_by("-planned_on", "-id")
    return render(
        request, "safety/campaign_detail.html", {"campaign": campaign, "page": _page(request, inspections)}
    )


# What `_case_act` needs of each kind of case: fetch, its verbs, its page and the page's context.
CASE_PAGES = {
    "inspection": (
        selectors.inspection_for,
        INSPECTION_VERBS,
        "safety/inspection_detail.html",
        _inspection_context,
    ),
    "hazard": (selectors.hazard_for, HAZARD_VERBS, "safety/hazard_detail.html", _hazard_context),
}
