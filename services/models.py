"""One-stop service requests (办件), the catalog and appointments.

Statuses and their allowed transitions live here, next to the fields; every write goes through
`services.actions`, which checks these tables under a row lock or a conditional UPDATE. A completed
request is rated through the foundation's good/bad ratings (`zone_portal.ratings`).
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from zone_portal.cases.checklist import checklist_items
from zone_portal.cases.lateness import Lateness, lateness_at, lateness_q
from zone_portal.cases.transitions import Transitions, can_transition
from zone_portal.fields import (
    DetailUrl,
    at_risk_ratio_field,
    index_where_set,
    nullable_person,
    optional_reference,
    person,
    unmarked_index,
    working_days_field,
)
from zone_portal.one_row import OneRow
from zone_portal.touch import Touched
from zone_portal.uploads import DOCUMENTS, content_type_field, kind_choices, stored_name

# --------------------------------------------------------------------------------------------------
# Configuration an administrator edits (one row)


class ServiceSettings(OneRow):
    """The service center's business numbers: data, edited by administrators, never constants.

    There is one row (pk=1); `services.selectors.service_settings()` reads it, creating the
    defaults on first use.
    """

    at_risk_ratio = at_risk_ratio_field(
        _("at-risk ratio"),
        help_text=_("Share of the promised time limit after which a request is at risk (0.75 = 75%)."),
    )
    rectification_verify_days = working_days_field(_("rectification: working days to verify"), "1")
    rectification_fix_days = working_days_field(
        _("rectification: working days to fix and reply"),
        "15",
        help_text=_("Local rules use 5 to 15 working days."),
    )
    center_head = nullable_person(
        _("head of the service center"),
        help_text=_("Told about requests at risk and overdue. Empty: every administrator is told."),
    )

    class Meta:
        verbose_name = _("service center settings")
        verbose_name_plural = _("service center settings")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="service_settings_single_row")]

    def __str__(self):
        return str(_("Service center settings"))


# --------------------------------------------------------------------------------------------------
# Catalog


class LimitUnit(models.TextChoices):
    WORKING_HOURS = "working_hours", _("working hours")
    WORKING_DAYS = "working_days", _("working days")
    SAME_DAY = "same_day", _("same working day")


class ServiceItem(models.Model):
    """One entry of the service catalog (事项清单), or a bundle (一件事) of several entries."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="service_items", verbose_name=_("department")
    )
    limit_amount = models.DecimalField(
        _("promised time limit"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.1"))],
        help_text=_("Ignored for a same-working-day limit."),
    )
    limit_unit = models.CharField(
        _("unit"), max_length=16, choices=LimitUnit.choices, default=LimitUnit.WORKING_DAYS
    )
    materials = models.JSONField(_("required materials"), default=list, blank=True)
    fee = models.DecimalField(_("fee (yuan)"), max_digits=10, decimal_places=2, default=Decimal("0"))
    agency_offered = models.BooleanField(_("help and agency offered"), default=True)
    active = models.BooleanField(_("active"), default=True)
    components = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="bundles",
        verbose_name=_("bundle items"),
        help_text=_("For a bundle (一件事): the items it delivers together."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("service item")
        verbose_name_plural = _("service items")

    def __str__(self):
        return self.name

    @property
    def limit_label(self) -> str:
        if self.limit_unit == LimitUnit.SAME_DAY:
            return str(LimitUnit.SAME_DAY.label)
        amount = self.limit_amount.normalize() if self.limit_amount else Decimal(0)
        # "1 working day", "2 working days", "1.5 working days": the plural follows the amount.
        count = int(amount) if amount == int(amount) else 2
        if self.limit_unit == LimitUnit.WORKING_HOURS:
            text = ngettext("%(amount)s working hour", "%(amount)s working hours", count)
        else:
            text = ngettext("%(amount)s working day", "%(amount)s working days", count)
        return text % {"amount": f"{amount:f}"}

    @property
    def is_free(self) -> bool:
        return not self.fee

    @property
    def checklist(self):
        """The materials checklist (一次性告知) of this service: one slot per material."""
        return checklist_items(self.materials)


# --------------------------------------------------------------------------------------------------
# Requests


class RequestCounter(models.Model):
    """The last request number used on one day: locked by the UPDATE that increments it."""

    day = models.DateField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.day}: {self.last}"


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted (in progress)")
    SUPPLEMENT_REQUIRED = "supplement_required", _("Supplement required")
    COMPLETED = "completed", _("Completed")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = RequestStatus
REQUEST_TRANSITIONS = Transitions(
    {
        S.SUBMITTED: {S.ACCEPTED, S.REJECTED, S.WITHDRAWN},
        S.ACCEPTED: {S.SUPPLEMENT_REQUIRED, S.COMPLETED, S.REJECTED, S.WITHDRAWN},
        S.SUPPLEMENT_REQUIRED: {S.ACCEPTED, S.REJECTED, S.WITHDRAWN},
    }
)
FINAL_STATUSES = frozenset({S.COMPLETED, S.REJECTED, S.WITHDRAWN})


def unclaimed_q() -> Q:
    """What a handler could claim: open, nobody's, and not a bundle (its items are claimed)."""
    return Q(assignee=None, is_bundle=False) & ~Q(status__in=FINAL_STATUSES)


CLOCK_RUNNING = frozenset({S.ACCEPTED})


def sla_state_q(state: str, now) -> Q:
    """The rows in `state` at `now`: the database twin of `ServiceRequest.sla_state_at`."""
    if state == Lateness.DONE:
        return Q(status__in=FINAL_STATUSES)
    if state == Lateness.PAUSED:
        return Q(status=S.SUPPLEMENT_REQUIRED)
    clock = Q(status=S.ACCEPTED) & lateness_q(state, now)
    return clock | Q(status=S.SUBMITTED) if state == Lateness.ON_TRACK else clock


class ServiceRequest(DetailUrl, Touched):
    """A request (办件). The promised clock starts at acceptance, counts working time only and
    stops while waiting for the applicant's supplement; `due_at` and `risk_at` are stored, so the
    sweep and the queue compare them with the clock instead of recomputing the calendar."""

    TRANSITIONS = REQUEST_TRANSITIONS
    detail_url_name = "services:request-detail"

    number = models.CharField(_("number"), max_length=32, unique=True)
    service = models.ForeignKey(
        ServiceItem, on_delete=models.PROTECT, related_name="requests", verbose_name=_("service")
    )
    parent = optional_reference(
        "self", _("bundle request"), related_name="children", on_delete=models.CASCADE
    )
    is_bundle = models.BooleanField(_("bundle"), default=False, editable=False)
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    enterprise = optional_reference(
        "enterprises.Enterprise", _("enterprise"), related_name="service_requests"
    )
    applicant_name = models.CharField(_("applicant"), max_length=100, blank=True)
    applicant_phone = models.CharField(_("applicant phone"), max_length=32, blank=True)
    description = models.TextField(_("description"), blank=True)
    submitted_by = person(_("submitted by"))
    agent = optional_reference(settings.AUTH_USER_MODEL, _("agent (help and agency)"))
    status = models.CharField(
        _("status"), max_length=24, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED
    )
    assignee = optional_reference(settings.AUTH_USER_MODEL, _("assignee"))
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    handled_by = optional_reference(settings.AUTH_USER_MODEL, _("handled by"))
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The clock: the promised working time, and the moments it reaches the at-risk share and the end.
    time_limit = models.DurationField(_("promised working time"), null=True, blank=True)
    risk_at = models.DateTimeField(_("at risk from"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    paused_total = models.DurationField(_("working time paused"), default=timedelta(0))
    supplement_missing = models.JSONField(_("missing materials"), default=list, blank=True)
    supplement_note = models.TextField(_("supplement note"), blank=True)
    # How many times a supplement was asked for; a second round (二次补正) needs a reason.
    supplement_rounds = models.PositiveSmallIntegerField(_("supplement rounds"), default=0)
    supplement_reason = models.TextField(_("reason for another supplement round"), blank=True)
    result = models.TextField(_("result"), blank=True)
    reject_reason = models.TextField(_("reason for rejection"), blank=True)
    # Set once by the sweep (conditional UPDATE): the at-risk and overdue warnings go out once.
    at_risk_marked_at = models.DateTimeField(null=True, blank=True)
    overdue_marked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        base_manager_name = "objects"  # a deletion nulling a reference to it stamps updated_at
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        indexes = [
            models.Index(fields=["status", "due_at"], name="svcreq_status_due"),
            models.Index(fields=["assignee", "status"], name="svcreq_assignee_status"),
            models.Index(fields=["enterprise", "-submitted_at"], name="svcreq_enterprise"),
            # The lists' orders (checked with EXPLAIN at a million requests, README "Load"): by due
            # time (`by_due_time`: the API, the queue), the open ones of the queue, newest first.
            models.Index(fields=["due_at", "submitted_at", "id"], name="svcreq_by_due"),
            models.Index(
                fields=["due_at", "submitted_at", "id"],
                name="svcreq_open_by_due",
                condition=~Q(status__in=["completed", "rejected", "withdrawn"]) & Q(is_bundle=False),
            ),
            models.Index(fields=["-submitted_at", "-id"], name="svcreq_newest"),
            # Requests by closing day: the dashboard read from the cases (a period's drill-downs,
            # the handling times read whole after a calendar change), without reading every request.
            index_where_set("closed_at", name="svcreq_closed"),
            unmarked_index(
                "risk_at", name="svcreq_risk_unmarked", status="accepted", marker="at_risk_marked_at"
            ),
            unmarked_index(
                "due_at", name="svcreq_due_unmarked", status="accepted", marker="overdue_marked_at"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(enterprise__isnull=False) | ~Q(applicant_name=""), name="svcreq_has_applicant"
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.service}"

    # -- the transition table and guards -----------------------------------------------------------
    def can_transition(self, to: str) -> bool:
        return can_transition(self, to)

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def is_agency(self) -> bool:
        return self.agent_id is not None

    @property
    def can_be_claimed(self) -> bool:
        # Bundle parents follow their children: only the children go through the queue.
        return self.assignee_id is None and not self.is_final and not self.is_bundle

    # -- the clock -------------------------------------------------------------------------------
    def sla_state_at(self, now) -> str:
        """How late the request is (`Lateness`): its clock's lateness while accepted, `PAUSED` while
        waiting for a supplement, `DONE` once final, on track before acceptance."""
        if self.status in FINAL_STATUSES:
            return Lateness.DONE
        if self.status == S.SUPPLEMENT_REQUIRED:
            return Lateness.PAUSED
        if self.status == S.ACCEPTED:
            return lateness_at(now, risk_at=self.risk_at, due_at=self.due_at)
        return Lateness.ON_TRACK

    @property
    def sla_state(self) -> str:
        return self.sla_state_at(timezone.now())

    def get_sla_state_display(self) -> str:
        return Lateness(self.sla_state).label


def material_upload_to(instance, filename: str) -> str:
    """Generated names only: the applicant's file name is kept in the row, never on disk."""
    return stored_name("services", instance.content_type)


class Material(DetailUrl, models.Model):
    """An uploaded file of a request, stored outside static files under a generated name and
    served only through a view that checks the viewer may see the request."""

    detail_url_name = "services:material-download"

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="materials", verbose_name=_("request")
    )
    file = models.FileField(_("file"), upload_to=material_upload_to, max_length=200)
    kind = models.CharField(_("type"), max_length=8, choices=kind_choices(DOCUMENTS))
    content_type = content_type_field(_("content type"))
    original_name = models.CharField(_("file name"), max_length=200)
    # The checklist slot (the material's name in the service's definition); blank: another file.
    slot = models.CharField(_("material of the checklist"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = person()
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self):
        return self.original_name


# --------------------------------------------------------------------------------------------------
# Appointments


class AppointmentSlot(models.Model):
    """A window slot (预约时段) with a capacity; `booked` never exceeds it (database check)."""

    class Kind(models.TextChoices):
        WINDOW = "window", _("Window (office hours)")
        WEEKEND = "weekend", _("Weekend service")
        EXTENDED = "extended", _("Extended hours")
        DOOR_TO_DOOR = "door_to_door", _("Door-to-door service")

    date = models.DateField(_("date"))
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.WINDOW)
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=4)
    booked = models.PositiveSmallIntegerField(_("booked"), default=0)
    department = optional_reference("org.Department", _("window of department"))

    class Meta:
        ordering = ["date", "start", "kind"]
        verbose_name = _("appointment slot")
        verbose_name_plural = _("appointment slots")
        constraints = [
            models.CheckConstraint(
                condition=Q(booked__lte=models.F("capacity")), name="slot_within_capacity"
            ),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="slot_end_after_start"),
            models.UniqueConstraint(fields=["date", "start", "kind", "department"], name="slot_unique"),
        ]

    def __str__(self):
        return f"{self.date} {self.start:%H:%M}–{self.end:%H:%M} {self.get_kind_display()}"

    @property
    def free(self) -> int:
        return max(self.capacity - self.booked, 0)

    @property
    def starts_at(self):
        from datetime import datetime

        return datetime.combine(self.date, self.start, tzinfo=timezone.get_default_timezone())


class Appointment(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")

    slot = models.ForeignKey(
        AppointmentSlot, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("slot")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("enterprise"),
    )
    service = optional_reference(ServiceItem, _("service"))
    booked_by = person()
    address = models.CharField(_("address (door-to-door)"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.BOOKED)
    created_at = models.DateTimeField(_("booked at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["slot__date", "slot__start", "id"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "enterprise"], condition=Q(status="booked"), name="one_booking_per_slot"
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} @ {self.slot}"

    @property
    def can_cancel(self) -> bool:
        return self.status == self.Status.BOOKED and self.slot.starts_at > timezone.now()
