"""Every write of the safety app: atomic, the row locked, the status moved through the model's
transition table (`zone_portal.cases.transitions`; a wrong move is a 409), the right checked (403),
an event on the timeline and the notifications in the same transaction. Deadlines come from the
case engine's clock (`zone_portal.cases.clock`) by severity (`SafetySettings`)."""

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Enterprise
from zone_portal.cases.clock import Deadline, deadline_after, working_days
from zone_portal.cases.told import case_told
from zone_portal.cases.transitions import can_transition, case_move, transition
from zone_portal.checks import require, text_input
from zone_portal.dates import minute_text
from zone_portal.errors import Conflict, InvalidInput
from zone_portal.events.log import event_record
from zone_portal.notifications.actions import notify
from zone_portal.uploads import DOCUMENTS, PHOTOS, content_type_of, upload_count_check, uploads_check

from . import notices, permissions
from .models import (
    Campaign,
    ChecklistItem,
    ChecklistPoint,
    CheckResult,
    FilePurpose,
    Hazard,
    HazardStatus,
    Inspection,
    InspectionStatus,
    SafetyFile,
    SafetySettings,
    Severity,
)
from .selectors import bureau_department, bureau_officers, enterprise_staff, safety_settings

MAX_TEXT = 5000


def hazard_deadline(severity: str, start: datetime, settings_row: SafetySettings | None = None) -> Deadline:
    """The rectification deadline of a hazard found at `start`: a general one has
    `general_working_days` working days on the working calendar, a major one
    `major_calendar_days` calendar days; the reminder falls at `at_risk_ratio` of that time."""
    settings_row = settings_row or safety_settings()
    ratio = settings_row.at_risk_ratio
    if severity == Severity.MAJOR:
        allowed = timedelta(days=settings_row.major_calendar_days)
        return Deadline(allowed=allowed, risk_at=start + allowed * float(ratio), due_at=start + allowed)
    if severity == Severity.GENERAL:
        return deadline_after(start, working_days(settings_row.general_working_days), at_risk_ratio=ratio)
    raise InvalidInput(fields={"severity": [_("Choose general or major.")]})


# A text input is at most MAX_TEXT characters unless a call says otherwise.
_text = partial(text_input, limit=MAX_TEXT)


# What the files of each purpose may be, and the input they come in.
FILE_INPUTS = {
    FilePurpose.PHOTO: (PHOTOS, "photos"),
    FilePurpose.PLAN: (DOCUMENTS, "files"),
    FilePurpose.EVIDENCE: ((*DOCUMENTS, *[k for k in PHOTOS if k not in DOCUMENTS]), "evidence"),
}


def _store_files(purpose: str, files, *, actor, inspection, hazard=None) -> list:
    """Check every file (content, size, the cap per case: the hazard's files, or the inspection's
    own when there is no hazard) before saving any, then save them."""
    files = list(files or [])
    if not files:
        return []
    accept, field = FILE_INPUTS[purpose]
    kinds = uploads_check(files, accept=accept, field=field)
    case_files = hazard.files.all() if hazard else inspection.files.filter(hazard=None)
    upload_count_check(existing=case_files.count(), adding=len(files), field=field)
    return [
        SafetyFile.objects.create(
            inspection=inspection,
            hazard=hazard,
            purpose=purpose,
            file=upload,
            name=(getattr(upload, "name", "") or "")[:200],
            content_type=content_type_of(kind),
            uploaded_by=actor,
        )
        for upload, kind in zip(files, kinds, strict=True)
    ]


# --- campaigns ------------------------------------------------------------------------------------


@transaction.atomic
def campaign_create(
    *, actor, name: str, starts_on: date, ends_on: date, target_count: int, description: str = ""
) -> Campaign:
    """A campaign (e.g. the Safety Production Month in June) with its target number of inspections."""
    require(permissions.can_inspect(actor))
    name = _text(name, "name", limit=100)
    errors = {}
    if starts_on is None or ends_on is None:
        errors["ends_on"] = [_("Give the first and the last day.")]
    elif ends_on < starts_on:
        errors["ends_on"] = [_("The campaign cannot end before it starts.")]
    if target_count is None or int(target_count) < 1:
        errors["target_count"] = [_("The target is at least one inspection.")]
    if errors:
        raise InvalidInput(fields=errors)
    campaign = Campaign.objects.create(
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        target_count=int(target_count),
        description=_text(description, "description", required=False),
        created_by=actor,
    )
    event_record(case=campaign, kind="campaign_created", actor=actor, data={"target": campaign.target_count})
    return campaign


# --- inspections ----------------------------------------------------------------------------------


@transaction.atomic
def inspection_plan(
    *,
    actor,
    enterprise: Enterprise,
    planned_on: date,
    unannounced: bool = False,
    campaign: Campaign | None = None,
    now=None,
) -> Inspection:
    """Plan an inspection of `enterprise`. An announced one is told to the enterprise now; an
    unannounced one (暗访) stays out of its sight until recorded."""
    require(permissions.can_inspect(actor))
    if planned_on is None:
        raise InvalidInput(fields={"planned_on": [_("This field is required.")]})
    now = now or timezone.now()
    bureau = bureau_department()
    department = bureau if bureau is not None and bureau.pk in actor.department_ids else None
    inspection = Inspection.objects.create(
        enterprise=enterprise,
        campaign=campaign,
        unannounced=bool(unannounced),
        planned_on=planned_on,
        inspector=actor,
        department=department,
        created_at=now,
    )
    event_record(
        case=inspection,
        kind="planned",
        actor=actor,
        to_state=InspectionStatus.PLANNED,
        data={"unannounced": inspection.unannounced, "planned_on": str(planned_on)},
        at=now,
    )
    if not inspection.unannounced:
        notify(
            recipients=enterprise_staff([enterprise.pk]).get(enterprise.pk, []),
            code=notices.INSPECTION_PLANNED,
            params={"date": planned_on},
            url=inspection.get_absolute_url(),
            kind="safety_inspection",
        )
    return inspection


def _checklist_rows(checklist: Mapping) -> list[tuple[str, str, str]]:
    """`checklist`: point → {"result": "pass"|"fail", "note": str}; every point, each once."""
    errors, rows = {}, []
    for point in ChecklistPoint.values:
        entry = checklist.get(point) if isinstance(checklist, Mapping) else None
        result = (entry or {}).get("result")
        if result not in CheckResult.values:
            errors[f"checklist.{point}"] = [_("Pass or fail?")]
            continue
        note = str((entry or {}).get("note") or "").strip()
        if len(note) > 500:
            errors[f"checklist.{point}"] = [_("At most %(n)d characters.") % {"n": 500}]
            continue
        rows.append((point, result, note))
    unknown = set(checklist or {}) - set(ChecklistPoint.values) if isinstance(checklist, Mapping) else set()
    if unknown:
        errors["checklist"] = [
            _("Unknown checklist points: %(points)s") % {"points": ", ".join(sorted(unknown))}
        ]
    if errors:
        raise InvalidInput(_("Every checklist point needs a result."), fields=errors)
    return rows


@transaction.atomic
def inspection_record(
    *,
    actor,
    inspection: Inspection,
    checklist: Mapping,
    findings: str = "",
    photos: Sequence = (),
    now=None,
) -> Inspection:
    """Record a planned inspection: every checklist point passed or failed (with a note), the
    findings and photos. From now on the enterprise sees it, an unannounced one too."""
    now = now or timezone.now()
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    require(permissions.can_work_inspection(actor, inspection))
    previous = transition(inspection, InspectionStatus.RECORDED)
    rows = _checklist_rows(checklist)
    findings = _text(findings, "findings", required=False)
    _store_files(FilePurpose.PHOTO, photos, actor=actor, inspection=inspection)
    ChecklistItem.objects.bulk_create(
        ChecklistItem(inspection=inspection, point=point, result=result, note=note)
        for point, result, note in rows
    )
    inspection.findings = findings
    inspection.inspected_at = now
    inspection.save(update_fields=["status", "findings", "inspected_at"])
    failed = sum(1 for _point, result, _note in rows if result == CheckResult.FAIL)
    case_told(
        inspection,
        kind="recorded",
        actor=actor,
        from_state=previous,
        to_state=inspection.status,
        data={"failed": failed},
        at=now,
        recipients=enterprise_staff([inspection.enterprise_id]).get(inspection.enterprise_id, []),
        code=notices.INSPECTION_RECORDED,
        params={"failed": failed},
        notification_kind="safety_inspection",
    )
    return inspection


@transaction.atomic
def inspection_cancel(*, actor, inspection: Inspection, reason: str) -> Inspection:
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    require(permissions.can_work_inspection(actor, inspection))
    reason = _text(reason, "reason", limit=500)
    case_move(inspection, InspectionStatus.CANCELLED, actor=actor, kind="cancelled", reason=reason)
    return inspection


@transaction.atomic
def inspection_add_photos(*, actor, inspection: Inspection, photos: Sequence) -> list[SafetyFile]:
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    require(permissions.can_work_inspection(actor, inspection))
    if not photos:
        raise InvalidInput(fields={"photos": [_("Choose at least one photo.")]})
    files = _store_files(FilePurpose.PHOTO, photos, actor=actor, inspection=inspection)
    event_record(case=inspection, kind="photos_added", actor=actor, data={"count": len(files)})
    return files


# --- hazards --------------------------------------------------------------------------------------


@transaction.atomic
def hazard_add(
    *,
    actor,
    inspection: Inspection,
    severity: str,
    description: str,
    photos: Sequence = (),
    now=None,
) -> Hazard:
    """A hazard found by a recorded inspection, with its rectification deadline by severity. The
    enterprise is told what to fix by when (and, for a major hazard, that a plan is required)."""
    now = now or timezone.now()
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    require(permissions.can_work_inspection(actor, inspection))
    if inspection.status != InspectionStatus.RECORDED:
        raise Conflict(_("Record the inspection before adding the hazards it found."), code="not_recorded")
    description = _text(description, "description")
    deadline = hazard_deadline(severity, now)
    hazard = Hazard.objects.create(
        inspection=inspection,
        enterprise_id=inspection.enterprise_id,
        severity=severity,
        description=description,
        found_at=now,
        risk_at=deadline.risk_at,
        due_at=deadline.due_at,
    )
    _store_files(FilePurpose.PHOTO, photos, actor=actor, inspection=inspection, hazard=hazard)
    case_told(
        hazard,
        kind="found",
        actor=actor,
        to_state=hazard.status,
        data={"severity": severity, "due_at": hazard.due_at.isoformat()},
        at=now,
        recipients=enterprise_staff([hazard.enterprise_id]).get(hazard.enterprise_id, []),
        code=notices.MAJOR_HAZARD_FOUND if severity == Severity.MAJOR else notices.HAZARD_FOUND,
        params={"due": minute_text(hazard.due_at), "text": description[:500]},
        notification_kind="safety_hazard",
    )
    return hazard


def _locked_hazard(hazard: Hazard) -> Hazard:
    return Hazard.objects.select_for_update().select_related("inspection").get(pk=hazard.pk)


@transaction.atomic
def hazard_plan_submit(*, actor, hazard: Hazard, plan: str, files: Sequence = (), now=None) -> Hazard:
    """The enterprise's rectification plan (required for a major hazard before its fix is reported)."""
    now = now or timezone.now()
    hazard = _locked_hazard(hazard)
    require(permissions.can_rectify(actor, hazard))
    if not can_transition(hazard, HazardStatus.REPORTED):  # the plan comes before the fix is reported
        raise Conflict(_("The plan can be changed only while the hazard is being rectified."))
    hazard.plan = _text(plan, "plan")
    hazard.plan_submitted_at = now
    _store_files(FilePurpose.PLAN, files, actor=actor, inspection=hazard.inspection, hazard=hazard)
    hazard.save(update_fields=["plan", "plan_submitted_at"])
    event_record(case=hazard, kind="plan_submitted", actor=actor, at=now)
    return hazard


@transaction.atomic
def hazard_report_fix(*, actor, hazard: Hazard, report: str, evidence: Sequence, now=None) -> Hazard:
    """The enterprise reports its fix with evidence (at least one file); the inspecting department
    is told to re-inspect. A major hazard needs its plan first (409)."""
    now = now or timezone.now()
    hazard = _locked_hazard(hazard)
    require(permissions.can_rectify(actor, hazard))
    if not hazard.can(HazardStatus.REPORTED):
        transition(hazard, HazardStatus.REPORTED)  # raises the 409 that names the status
    if hazard.needs_plan and not hazard.plan:
        raise Conflict(
            _("A major hazard needs its rectification plan before the fix is reported."), code="plan_required"
        )
    previous = transition(hazard, HazardStatus.REPORTED)
    report = _text(report, "report")
    if not evidence:
        raise InvalidInput(fields={"evidence": [_("Attach evidence of the fix (photos or documents).")]})
    _store_files(FilePurpose.EVIDENCE, evidence, actor=actor, inspection=hazard.inspection, hazard=hazard)
    hazard.fix_report = report
    hazard.reported_at = now
    hazard.save(update_fields=["status", "fix_report", "reported_at"])
    inspection = hazard.inspection
    case_told(
        hazard,
        kind="fix_reported",
        actor=actor,
        from_state=previous,
        to_state=hazard.status,
        at=now,
        recipients={inspection.inspector_id, *bureau_officers(inspection.department_id)},
        code=notices.FIX_REPORTED,
        params={"hazard": hazard.description[:60]},
        notification_kind="safety_hazard",
    )
    return hazard


@transaction.atomic
def hazard_reinspect(
    *, actor, hazard: Hazard, fixed: bool, note: str = "", photos: Sequence = (), now=None
) -> Hazard:
    """The re-inspection: confirmed (closed), or not fixed (open again with a new deadline by
    severity from now, a new round of reminder and escalation)."""
    now = now or timezone.now()
    hazard = _locked_hazard(hazard)
    require(permissions.can_work_inspection(actor, hazard.inspection))
    target = HazardStatus.CLOSED if fixed else HazardStatus.OPEN
    previous = transition(hazard, target)
    note = _text(note, "note", required=not fixed)
    _store_files(FilePurpose.PHOTO, photos, actor=actor, inspection=hazard.inspection, hazard=hazard)
    hazard.reinspected_at = now
    hazard.reinspection_note = note
    fields = ["status", "reinspected_at", "reinspection_note"]
    if fixed:
        hazard.closed_at = now
        fields.append("closed_at")
    else:
        deadline = hazard_deadline(hazard.severity, now)
        hazard.deadline_round += 1
        hazard.risk_at, hazard.due_at = deadline.risk_at, deadline.due_at
        hazard.reminded_at = hazard.overdue_marked_at = None
        fields += ["deadline_round", "risk_at", "due_at", "reminded_at", "overdue_marked_at"]
    hazard.save(update_fields=fields)
    case_told(
        hazard,
        kind="closed" if fixed else "reopened",
        actor=actor,
        from_state=previous,
        to_state=hazard.status,
        reason=note,
        data={} if fixed else {"due_at": hazard.due_at.isoformat(), "round": hazard.deadline_round},
        at=now,
        recipients=enterprise_staff([hazard.enterprise_id]).get(hazard.enterprise_id, []),
        code=notices.FIX_CONFIRMED if fixed else notices.NOT_FIXED,
        params={"due": minute_text(hazard.due_at), "text": note[:500]},
        notification_kind="safety_hazard",
    )
    return hazard


@transaction.atomic
def hazard_expose(*, actor, hazard: Hazard, note: str = "", now=None) -> Hazard:
    """Put a hazard on the internal exposure list (问题隐患曝光); once."""
    now = now or timezone.now()
    hazard = _locked_hazard(hazard)
    require(permissions.can_inspect(actor))
    if hazard.exposed_at is not None:
        raise Conflict(_("This hazard is exposed already."), code="already_exposed")
    hazard.exposed_at = now
    hazard.exposure_note = _text(note, "note", required=False, limit=500)
    hazard.save(update_fields=["exposed_at", "exposure_note"])
    event_record(case=hazard, kind="exposed", actor=actor, reason=hazard.exposure_note, at=now)
    return hazard


@transaction.atomic
def safety_settings_update(*, actor, **values) -> SafetySettings:
    """Administrators change the deadlines and who is told (new hazards take the new numbers)."""
    require(actor.is_authenticated and actor.is_zone_admin)
    row = SafetySettings.objects.select_for_update().get(pk=safety_settings().pk)
    for name, value in values.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    return row
