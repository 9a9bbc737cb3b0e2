"""Social supervision (issue 17, parts 1 and 2): the roster of social supervisors, their
observations of blocking points (堵点、难点、痛点) and the answers, and the departments' and
parks' indicators (指标考核) with their monthly entries and quarterly results.

An observation is a case on the engine of `zone_portal.cases`: its status table is the guard, its
clock (`risk_at`, `due_at`) is stored on the row — the answer's deadline while it waits for an
answer, the rectification's deadline while it is tracked — and `deadline_round` numbers the
occurrences so that the sweep's reminder and escalation happen once per deadline.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from zone_portal.cases.transitions import Transitions, can_transition
from zone_portal.fields import (
    DetailUrl,
    at_risk_ratio_field,
    optional_reference,
    period_order,
    person,
    working_days_field,
)
from zone_portal.one_row import OneRow
from zone_portal.touch import Touched
from zone_portal.uploads import content_type_field, stored_name

# --------------------------------------------------------------------------------------------------
# Settings an administrator edits (one row each), never constants


class SupervisionSettings(OneRow):
    """The numbers of supervision: how long an observation waits for its answer, when it is at
    risk, and how many indicators each group has by default (10 / 5 / 2)."""

    answer_days = working_days_field(_("working days to answer an observation"), "3")
    at_risk_ratio = at_risk_ratio_field(_("at-risk ratio"))
    quantitative_count = models.PositiveSmallIntegerField(_("quantitative indicators"), default=10)
    key_count = models.PositiveSmallIntegerField(_("key or difficult indicators"), default=5)
    highlight_count = models.PositiveSmallIntegerField(_("highlight indicators"), default=2)

    class Meta:
        verbose_name = _("supervision settings")
        verbose_name_plural = _("supervision settings")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="supervision_settings_single_row")]

    def __str__(self):
        return str(_("Supervision settings"))

    def group_count(self, group: str) -> int:
        return {
            IndicatorGroup.QUANTITATIVE: self.quantitative_count,
            IndicatorGroup.KEY: self.key_count,
            IndicatorGroup.HIGHLIGHT: self.highlight_count,
        }[group]


class RankingWeight(models.Model):
    """The weight of one part of the quarterly 四比四看 department score (rates and indicators):
    an administrator's setting that overrides the default the dashboard part declares."""

    part = models.SlugField(_("part"), max_length=48, unique=True)
    weight = models.PositiveSmallIntegerField(_("weight"), validators=[MaxValueValidator(100)])

    class Meta:
        ordering = ["part"]
        verbose_name = _("ranking weight")
        verbose_name_plural = _("ranking weights")

    def __str__(self):
        return f"{self.part}: {self.weight}"


# --------------------------------------------------------------------------------------------------
# The roster


class Supervisor(models.Model):
    """A social supervisor (政务服务社会监督员) of the roster: an account with the supervisor role,
    a term of office and how to reach them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="supervisor",
        verbose_name=_("account"),
    )
    name = models.CharField(_("name"), max_length=100)
    organisation = models.CharField(_("work unit"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=32)
    term_start = models.DateField(_("term from"))
    term_end = models.DateField(_("term until"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("social supervisor")
        verbose_name_plural = _("social supervisors")
        constraints = [period_order("term_start", "term_end", name="supervisor_term_order")]

    def __str__(self):
        return self.name

    def in_office_on(self, day) -> bool:
        return self.active and self.term_start <= day <= self.term_end


# --------------------------------------------------------------------------------------------------
# Observations


class ObservationCategory(models.TextChoices):
    BLOCKING = "blocking", _("Blocking point (堵点)")
    DIFFICULTY = "difficulty", _("Difficult point (难点)")
    PAIN = "pain", _("Pain point (痛点)")


class Place(models.TextChoices):
    HALL_WINDOW = "hall_window", _("A window of the service hall")
    PARK_OFFICE = "park_office", _("A park office")
    DEPARTMENT = "department", _("A department")


class ObservationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting an answer")
    TRACKING = "tracking", _("Being rectified (tracked)")
    RESOLVED = "resolved", _("Rectified")


OS = ObservationStatus
OBSERVATION_TRANSITIONS = Transitions(
    {
        OS.SUBMITTED: {OS.RESOLVED, OS.TRACKING},  # fixed at once (立行立改), or tracked to the end
        OS.TRACKING: {OS.RESOLVED},
        OS.RESOLVED: set(),
    }
)
CLOCK_RUNNING = (OS.SUBMITTED, OS.TRACKING)


class Observation(DetailUrl, Touched):
    """A social supervisor's observation of a blocking point, answered by the service center (no
    department) or by the department it is assigned to."""

    TRANSITIONS = OBSERVATION_TRANSITIONS
    detail_url_name = "supervision:observation"

    supervisor = person(_("filed by"))
    category = models.CharField(_("category"), max_length=16, choices=ObservationCategory.choices)
    place = models.CharField(_("place"), max_length=16, choices=Place.choices)
    place_detail = models.CharField(_("where exactly"), max_length=100, blank=True)
    park = optional_reference("org.Park", _("park"))
    department = optional_reference(
        "org.Department",
        _("answering department"),
        related_name="observations",
        help_text=_("Empty: the service center answers."),
    )
    enterprise = optional_reference("enterprises.Enterprise", _("enterprise concerned"))
    observed_at = models.DateTimeField(_("observed at"))
    description = models.TextField(_("description"))
    status = models.CharField(
        _("status"), max_length=16, choices=ObservationStatus.choices, default=OS.SUBMITTED
    )
    created_at = models.DateTimeField(_("filed at"), default=timezone.now)
    # The answer: measures, fixed at once or tracked with a deadline
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = optional_reference(settings.AUTH_USER_MODEL, _("answered by"))
    measures = models.TextField(_("rectification measures"), blank=True)
    fixed_at_once = models.BooleanField(_("fixed at once (立行立改)"), default=False)
    rectify_by = models.DateTimeField(_("rectify by"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("rectified at"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)
    # The clock of the engine: the answer's deadline, then the rectification's
    risk_at = models.DateTimeField(_("at risk from"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    deadline_round = models.PositiveSmallIntegerField(default=1)
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_at = models.DateTimeField(_("escalated as overdue at"), null=True, blank=True)
    was_overdue = models.BooleanField(_("was overdue"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("supervision", "observation")
        verbose_name_plural = pgettext_lazy("supervision", "observations")
        indexes = [
            models.Index(fields=["risk_at"], name="obs_remind_unmarked", condition=Q(reminded_at=None)),
            models.Index(fields=["due_at"], name="obs_overdue_unmarked", condition=Q(overdue_at=None)),
            models.Index(fields=["department", "status"], name="obs_department_status"),
            models.Index(fields=["supervisor", "-created_at"], name="obs_supervisor"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(place="park_office") | Q(park__isnull=False), name="obs_park_office_has_park"
            ),
            models.CheckConstraint(
                condition=~Q(place="department") | Q(department__isnull=False), name="obs_department_place"
            ),
        ]

    def __str__(self):
        return f"{pgettext('supervision', 'Observation')} #{self.pk} · {self.get_category_display()}"

    def can(self, to_status: str) -> bool:
        return can_transition(self, to_status)

    @property
    def is_overdue(self) -> bool:
        return self.status in CLOCK_RUNNING and self.due_at is not None and self.due_at <= timezone.now()


def photo_upload_to(instance, filename: str) -> str:
    """A generated name: the extension of the detected type, never the uploader's name."""
    return stored_name("supervision/photos", instance.content_type)


def evidence_upload_to(instance, filename: str) -> str:
    return stored_name("supervision/evidence", instance.evidence_type)


class ObservationPhoto(models.Model):
    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("photo"), upload_to=photo_upload_to, max_length=200)
    content_type = content_type_field()
    name = models.CharField(_("name"), max_length=200, blank=True)
    uploaded_by = person()
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("observation photo")
        verbose_name_plural = _("observation photos")

    def __str__(self):
        return self.name or f"photo {self.pk}"


# --------------------------------------------------------------------------------------------------
# Indicators (指标考核)


class IndicatorGroup(models.TextChoices):
    QUANTITATIVE = "quantitative", _("Quantitative (量化指标)")
    KEY = "key", _("Key or difficult (重点难点)")
    HIGHLIGHT = "highlight", _("Highlight (亮点)")


class Measure(models.TextChoices):
    PORTAL = "portal", _("From the portal's own figures")
    ENTRY = "entry", _("Entered monthly with evidence")


class Combine(models.TextChoices):
    SUM = "sum", _("Sum of the months")
    AVERAGE = "average", _("Average of the months")


class Indicator(models.Model):
    """One indicator of a department or a park for a year: the quarterly target, its weight, and
    how it is measured (a portal figure, or monthly entries confirmed by an administrator)."""

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    department = optional_reference("org.Department", _("department"), related_name="indicators")
    park = optional_reference("org.Park", _("park"), related_name="indicators")
    group = models.CharField(_("group"), max_length=16, choices=IndicatorGroup.choices)
    name = models.CharField(_("name"), max_length=200)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    target = models.DecimalField(
        _("quarterly target"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    unit = models.CharField(_("unit"), max_length=20)
    measure = models.CharField(_("measured"), max_length=8, choices=Measure.choices)
    source = models.CharField(_("portal figure"), max_length=40, blank=True)
    combine = models.CharField(
        _("months combined as"), max_length=8, choices=Combine.choices, default=Combine.SUM
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["year", "department_id", "park_id", "group", "order", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=Q(department__isnull=False, park__isnull=True)
                | Q(department__isnull=True, park__isnull=False),
                name="indicator_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(measure="entry", source="") | (Q(measure="portal") & ~Q(source="")),
                name="indicator_source_iff_portal",
            ),
        ]

    def __str__(self):
        return f"{self.year} · {self.owner} · {self.name}"

    @property
    def owner(self):
        return self.department or self.park


class EntryStatus(models.TextChoices):
    ENTERED = "entered", _("Entered, to confirm")
    CONFIRMED = "confirmed", _("Confirmed")
    RETURNED = "returned", _("Returned for correction")


E = EntryStatus
ENTRY_TRANSITIONS = Transitions(
    {E.ENTERED: {E.CONFIRMED, E.RETURNED, E.ENTERED}, E.RETURNED: {E.ENTERED}, E.CONFIRMED: set()}
)


class IndicatorEntry(Touched):
    """The value of an entered indicator for one month, with its evidence; counted once an
    administrator confirms it."""

    TRANSITIONS = ENTRY_TRANSITIONS

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="entries")
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    note = models.TextField(_("note"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to=evidence_upload_to, max_length=200, blank=True)
    evidence_type = models.CharField(max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=EntryStatus.choices, default=E.ENTERED)
    entered_by = person()
    entered_at = models.DateTimeField(default=timezone.now)
    decided_by = optional_reference(settings.AUTH_USER_MODEL, _("confirmed by"))
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["indicator_id", "month"]
        verbose_name = _("indicator entry")
        verbose_name_plural = _("indicator entries")
        constraints = [models.UniqueConstraint(fields=["indicator", "month"], name="one_entry_per_month")]

    def __str__(self):
        return f"{self.indicator.name} · {self.month}"


class IndicatorResult(models.Model):
    """An indicator's scored quarter: the figure, its attainment against the target (capped at
    100 %) and the weighted points; written by `indicators_score_quarter`."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="results")
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    actual = models.DecimalField(_("actual"), max_digits=14, decimal_places=4, null=True, blank=True)
    attainment = models.DecimalField(_("attainment"), max_digits=7, decimal_places=4, null=True, blank=True)
    points = models.DecimalField(_("points"), max_digits=9, decimal_places=4, null=True, blank=True)
    scored_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["indicator_id", "quarter"]
        verbose_name = _("indicator result")
        verbose_name_plural = _("indicator results")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "quarter"], name="one_result_per_quarter")
        ]

    def __str__(self):
        return f"{self.indicator} · Q{self.quarter}"
