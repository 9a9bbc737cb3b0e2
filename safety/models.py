"""Safety inspections (安全生产暗访与检查), the hazards they find (隐患) and campaigns (安全生产月).

An `Inspection` of an enterprise by the emergency management bureau or a leader is planned, then
recorded with its checklist (`ChecklistItem`, pass / fail / note per point), findings and photos; an
unannounced one (暗访) stays out of the enterprise's sight until it is recorded. Each `Hazard` found
runs on the case engine's clock: a deadline by severity (`SafetySettings`), a reminder at the
at-risk point and one overdue escalation per round (the sweep, `sweep.py`); the enterprise reports
its fix with evidence (a major hazard needs a rectification plan first) and a re-inspection closes
it or reopens it with a new deadline (a new round). A `Campaign` groups inspections with a target.
"""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from zone_portal.cases.lateness import Lateness, lateness_at
from zone_portal.cases.transitions import Transitions
from zone_portal.fields import (
    DetailUrl,
    at_risk_ratio_field,
    index_where_set,
    nullable_person,
    optional_reference,
    period_order,
    person,
    unmarked_index,
)
from zone_portal.one_row import OneRow
from zone_portal.org.models import Department
from zone_portal.touch import Touched
from zone_portal.uploads import content_type_field, stored_name

BUREAU_CODE = "emergency"  # 应急管理局: the department the demo data and the defaults name


class SafetySettings(OneRow):
    """The safety numbers and people: data, edited by administrators (one row, pk=1)."""

    general_working_days = models.PositiveSmallIntegerField(
        _("general hazard: working days to rectify"),
        default=7,
        validators=[MinValueValidator(1)],
        help_text=_("Counted on the working calendar."),
    )
    major_calendar_days = models.PositiveSmallIntegerField(
        _("major hazard: calendar days to rectify"),
        default=30,
        validators=[MinValueValidator(1)],
        help_text=_("Counted in calendar days; a rectification plan is required."),
    )
    at_risk_ratio = at_risk_ratio_field(_("reminder at this share of the time"))
    bureau = optional_reference(
        Department,
        _("emergency management bureau"),
        on_delete=models.SET_NULL,
        help_text=_("Its officers inspect; empty: the department with code “emergency”."),
    )
    bureau_leader = nullable_person(
        _("leader of the bureau"),
        help_text=_("Told when a hazard is overdue. Empty: the bureau's leaders, else the administrators."),
    )

    class Meta:
        verbose_name = _("safety settings")
        verbose_name_plural = _("safety settings")


class Campaign(DetailUrl, Touched):
    """A campaign (the Safety Production Month in June): inspections grouped, with a target count."""

    detail_url_name = "safety:campaign"

    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    target_count = models.PositiveIntegerField(
        _("target number of inspections"), validators=[MinValueValidator(1)]
    )
    description = models.TextField(_("description"), blank=True)
    created_by = person()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("safety campaign")
        verbose_name_plural = _("safety campaigns")
        constraints = [period_order("starts_on", "ends_on", name="campaign_dates_ordered")]

    def __str__(self):
        return self.name


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RECORDED = "recorded", _("Recorded")
    CANCELLED = "cancelled", _("Cancelled")


INSPECTION_TRANSITIONS = Transitions(
    {
        InspectionStatus.PLANNED: {InspectionStatus.RECORDED, InspectionStatus.CANCELLED},
    }
)


class Inspection(DetailUrl, Touched):
    """One visit to an enterprise (暗访 when `unannounced`): planned, then recorded."""

    TRANSITIONS = INSPECTION_TRANSITIONS
    detail_url_name = "safety:inspection"

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="safety_inspections", verbose_name=_("enterprise")
    )
    campaign = optional_reference(
        Campaign, _("campaign"), related_name="inspections", on_delete=models.SET_NULL
    )
    unannounced = models.BooleanField(_("unannounced (暗访)"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=InspectionStatus.choices, default=InspectionStatus.PLANNED
    )
    planned_on = models.DateField(_("planned for"))
    inspector = person(_("inspector"))
    # The inspector's department when planned (the bureau), None for a leader's own inspection.
    department = optional_reference(Department, _("department"))
    inspected_at = models.DateTimeField(_("inspected at"), null=True, blank=True)
    findings = models.TextField(_("inspection findings"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-planned_on", "-id"]
        verbose_name = _("safety inspection")
        verbose_name_plural = _("safety inspections")
        indexes = [
            models.Index(fields=["enterprise", "planned_on"], name="inspection_enterprise"),
            models.Index(fields=["inspected_at"], name="inspection_done", condition=Q(status="recorded")),
        ]

    def __str__(self):
        return _("Safety inspection #%(id)s") % {"id": self.pk}


class ChecklistPoint(models.TextChoices):
    """The points every inspection checks, in the order of the source's reports."""

    PATROL_RECORDS = "patrol_records", _("Daily patrol records")
    DUTY_ON_WATCH = "duty_on_watch", _("Duty on watch")
    EMERGENCY_PLAN = "emergency_plan", _("Emergency plan revised and drilled")
    KEY_EQUIPMENT = "key_equipment", _("Key equipment and safety accessories")
    HAZARD_CONTROL = "hazard_control", _("Hazard control")


class CheckResult(models.TextChoices):
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")


class ChecklistItem(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="checklist")
    point = models.CharField(_("checklist point"), max_length=32, choices=ChecklistPoint.choices)
    result = models.CharField(_("check result"), max_length=8, choices=CheckResult.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["inspection", "point"], name="checklist_point_once")]

    def __str__(self):
        return f"{self.get_point_display()}: {self.get_result_display()}"


class Severity(models.TextChoices):
    GENERAL = "general", _("General")
    MAJOR = "major", _("Major")


class HazardStatus(models.TextChoices):
    OPEN = "open", _("Being rectified")
    REPORTED = "reported", _("Fix reported")
    CLOSED = "closed", _("Closed out")


HAZARD_TRANSITIONS = Transitions(
    {
        HazardStatus.OPEN: {HazardStatus.REPORTED},
        # The re-inspection: confirmed (closed), or not fixed (open again, a new round).
        HazardStatus.REPORTED: {HazardStatus.CLOSED, HazardStatus.OPEN},
    }
)


class Hazard(DetailUrl, Touched):
    """A hazard found by an inspection, rectified by the enterprise against a deadline."""

    TRANSITIONS = HAZARD_TRANSITIONS
    detail_url_name = "safety:hazard"

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="hazards")
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="safety_hazards", verbose_name=_("enterprise")
    )
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    description = models.TextField(_("hazard"))
    status = models.CharField(
        _("status"), max_length=16, choices=HazardStatus.choices, default=HazardStatus.OPEN
    )
    found_at = models.DateTimeField(_("found at"))
    # The clock of the current round (a reopening starts a new one).
    deadline_round = models.PositiveSmallIntegerField(default=1)
    risk_at = models.DateTimeField(_("reminder at"))
    due_at = models.DateTimeField(_("rectify by"))
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_marked_at = models.DateTimeField(null=True, blank=True, editable=False)
    plan = models.TextField(_("rectification plan"), blank=True)
    plan_submitted_at = models.DateTimeField(null=True, blank=True)
    fix_report = models.TextField(_("what was fixed"), blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    reinspected_at = models.DateTimeField(null=True, blank=True)
    reinspection_note = models.TextField(_("re-inspection note"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    exposed_at = models.DateTimeField(_("exposed at"), null=True, blank=True)
    exposure_note = models.CharField(_("exposure note"), max_length=500, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        indexes = [
            # One partial index per sweep step: a sweep with nothing due reads empty index ranges.
            unmarked_index("risk_at", name="hazard_remind", status="open", marker="reminded_at"),
            unmarked_index("due_at", name="hazard_due", status="open", marker="overdue_marked_at"),
            models.Index(fields=["enterprise", "status"], name="hazard_enterprise_status"),
            index_where_set("exposed_at", name="hazard_exposed"),
        ]

    def __str__(self):
        return _("Hazard #%(id)s") % {"id": self.pk}

    @property
    def needs_plan(self) -> bool:
        return self.severity == Severity.MAJOR

    def can(self, status: str) -> bool:
        return HAZARD_TRANSITIONS.allows(self.status, status)

    def lateness_at(self, now) -> str:
        """On the clock while being rectified; paused while a reported fix awaits re-inspection."""
        if self.status == HazardStatus.CLOSED:
            return Lateness.DONE
        if self.status == HazardStatus.REPORTED:
            return Lateness.PAUSED
        return lateness_at(now, risk_at=self.risk_at, due_at=self.due_at)

    @property
    def lateness(self) -> str:
        return self.lateness_at(timezone.now())


class FilePurpose(models.TextChoices):
    PHOTO = "photo", _("Inspection photo")
    PLAN = "plan", _("Rectification plan")
    EVIDENCE = "evidence", _("Evidence of the fix")


def safety_file_path(instance, filename):
    """A generated name on disk; the uploader's name is kept in the row for display."""
    return stored_name("safety", instance.content_type)


class SafetyFile(DetailUrl, models.Model):
    """A photo of an inspection or a hazard, a plan or evidence of a fix (through `zone_portal.uploads`)."""

    detail_url_name = "safety:file"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="files")
    hazard = models.ForeignKey(Hazard, null=True, blank=True, on_delete=models.CASCADE, related_name="files")
    purpose = models.CharField(_("purpose"), max_length=16, choices=FilePurpose.choices)
    file = models.FileField(_("file"), upload_to=safety_file_path)
    name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = content_type_field(_("content type"))
    uploaded_by = person()
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("safety file")
        verbose_name_plural = _("safety files")

    def __str__(self):
        return self.name or self.file.name
