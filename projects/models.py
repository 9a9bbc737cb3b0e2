"""Key projects (重点项目): the "six ones", milestones, the ledger and the supervision cycles.

Values that can be derived (cumulative investment, delayed / at risk, scores) are computed by the
selectors from the rows here, never typed in.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zone_portal.cases.transitions import Transitions
from zone_portal.fields import DetailUrl, person
from zone_portal.one_row import OneRow
from zone_portal.uploads import content_type_field, stored_name

# The service trio (项目服务三人组): which department each of the three members comes from.
TEAM_DEPARTMENTS = {
    "investment_member": "investment",
    "service_member": "enterprise_service",
    "platform_member": "platform",
}


class Stage(models.TextChoices):
    NEGOTIATING = "negotiating", _("Negotiating")
    SIGNED = "signed", _("Signed")
    CONSTRUCTION_STARTED = "construction_started", _("Construction started")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    COMPLETED = "completed", pgettext_lazy("project stage", "Completed")
    IN_PRODUCTION = "in_production", _("In production")
    SUSPENDED = "suspended", _("Suspended")


# The forward path; `suspended` is reachable from every stage before production and returns to
# the stage it left (stored in `suspended_from`).
STAGE_FLOW = [
    Stage.NEGOTIATING,
    Stage.SIGNED,
    Stage.CONSTRUCTION_STARTED,
    Stage.UNDER_CONSTRUCTION,
    Stage.COMPLETED,
    Stage.IN_PRODUCTION,
]
# In production and suspended lead nowhere by the table: resuming goes back to `suspended_from`,
# see `Project.allowed_stages`.
STAGE_TRANSITIONS = Transitions(
    {
        Stage.NEGOTIATING: {Stage.SIGNED, Stage.SUSPENDED},
        Stage.SIGNED: {Stage.CONSTRUCTION_STARTED, Stage.SUSPENDED},
        Stage.CONSTRUCTION_STARTED: {Stage.UNDER_CONSTRUCTION, Stage.SUSPENDED},
        Stage.UNDER_CONSTRUCTION: {Stage.COMPLETED, Stage.SUSPENDED},
        Stage.COMPLETED: {Stage.IN_PRODUCTION, Stage.SUSPENDED},
    },
    field="stage",
)
# Stages in which a weekly supervision record (周督导) is due.
SUPERVISED_STAGES = frozenset({Stage.CONSTRUCTION_STARTED, Stage.UNDER_CONSTRUCTION})


def _team_member(verbose_name, related_name: str = "+") -> models.ForeignKey:
    """One of the project's team: an account, kept while the project names it."""
    return person(verbose_name, null=True, related_name=related_name)


class Project(DetailUrl, models.Model):
    """A key project (重点项目) with its "six ones" (六个一), all required:

    the project itself, one responsible park, one assigned leader, one ledger (the `ledger_entries`),
    one service team (three members from three departments) and one completion goal.
    """

    detail_url_name = "projects:detail"

    name = models.CharField(_("name"), max_length=200)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("investor"),
    )
    park = models.ForeignKey(
        "org.Park", on_delete=models.PROTECT, related_name="projects", verbose_name=_("park")
    )
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    content = models.TextField(_("construction content"), blank=True)
    total_investment = models.DecimalField(
        _("total investment (yuan)"), max_digits=16, decimal_places=2, default=Decimal("0")
    )
    leader = _team_member(_("assigned leader"), related_name="led_projects")
    investment_member = _team_member(_("investment department member"))
    service_member = _team_member(_("enterprise service department member"))
    platform_member = _team_member(_("platform department member"))
    goal = models.TextField(_("completion goal"), blank=True)
    target_date = models.DateField(_("target completion date"), null=True)
    stage = models.CharField(_("stage"), max_length=32, choices=Stage.choices, default=Stage.NEGOTIATING)
    suspended_from = models.CharField(_("suspended from"), max_length=32, choices=Stage.choices, blank=True)
    stage_changed_on = models.DateField(_("stage changed on"), null=True)
    # The first day of construction: weekly supervision is due from the first full week after it.
    construction_started_on = models.DateField(_("construction started on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["stage"], name="project_stage")]
        verbose_name = _("key project")
        verbose_name_plural = _("key projects")

    def __str__(self):
        return self.name

    @property
    def team(self) -> list:
        return [self.investment_member, self.service_member, self.platform_member]

    @property
    def team_ids(self) -> list[int]:
        return [self.investment_member_id, self.service_member_id, self.platform_member_id]

    @property
    def is_supervised(self) -> bool:
        return self.stage in SUPERVISED_STAGES

    def allowed_stages(self) -> list[str]:
        if self.stage == Stage.SUSPENDED:
            return [self.suspended_from] if self.suspended_from else []
        return [s for s in Stage.values if s in STAGE_TRANSITIONS.targets(self.stage)]

    def can_change_stage(self, to_stage: str) -> bool:
        return to_stage in self.allowed_stages()


class Milestone(models.Model):
    """A milestone (节点): a planned date, and the actual date once reached.

    A planned date passed without an actual date makes the project delayed; the sweep records each
    such milestone once per planned date (`delay_flagged_for`).
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(_("name"), max_length=200)
    planned_date = models.DateField(_("planned date"))
    actual_date = models.DateField(_("actual date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    delay_flagged_for = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["planned_date", "id"]
        indexes = [
            # The delay sweep's scan: open milestones only.
            models.Index(fields=["planned_date"], condition=Q(actual_date=None), name="milestone_open"),
        ]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return f"{self.name} ({self.planned_date})"

    def is_delayed_on(self, today: date) -> bool:
        return self.actual_date is None and self.planned_date < today

    @property
    def days_late(self) -> int | None:
        """Days the milestone was reached after its planned date (negative: early)."""
        if self.actual_date is None:
            return None
        return (self.actual_date - self.planned_date).days


class LedgerEntry(models.Model):
    """One dated line of the project ledger (台账): investment completed in the period, overall
    progress at that date, problems met. Cumulative figures are computed from these rows."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="ledger_entries")
    entry_date = models.DateField(_("date"))
    investment_completed = models.DecimalField(
        _("investment completed (yuan)"),
        max_digits=16,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    progress_percent = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MaxValueValidator(100)]
    )
    problems = models.TextField(_("problems"), blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = person(null=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["entry_date", "id"]
        indexes = [models.Index(fields=["project", "entry_date"], name="ledger_project_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(investment_completed__gte=0), name="ledger_amount_nonnegative"
            ),
            models.CheckConstraint(condition=Q(progress_percent__lte=100), name="ledger_progress_max_100"),
        ]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")

    def __str__(self):
        return f"{self.project} {self.entry_date}"


def ledger_photo_path(instance, filename):
    """A generated name on disk; the uploader's name and suffix are never used."""
    return stored_name(f"projects/{instance.entry.project_id}/ledger", instance.content_type)


class LedgerPhoto(models.Model):
    entry = models.ForeignKey(LedgerEntry, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("photo"), upload_to=ledger_photo_path)
    content_type = content_type_field(_("content type"))
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("ledger photo")
        verbose_name_plural = _("ledger photos")

    def __str__(self):
        return self.file.name


def week_start(day: date) -> date:
    """The Monday of `day`'s week: supervision weeks run Monday to Sunday."""
    return day - timedelta(days=day.weekday())


class Supervision(models.Model):
    """A weekly supervision record (周督导): who went, what they found, which problems remain."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="supervisions")
    week_start = models.DateField(_("week of"), db_index=True)
    supervised_on = models.DateField(_("date"))
    supervisor = person(_("supervised by"))
    findings = models.TextField(_("supervision findings"))
    problems = models.TextField(_("problems"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-supervised_on", "-id"]
        indexes = [models.Index(fields=["project", "week_start"], name="supervision_project_week")]
        verbose_name = _("weekly supervision")
        verbose_name_plural = _("weekly supervisions")

    def __str__(self):
        return f"{self.project} {self.supervised_on}"


class SupervisionGap(models.Model):
    """The weekly sweep's flag: a supervised project had no supervision record in that week.

    Unique per (project, week), so overlapping sweeps flag a week once. A record entered later for
    that week does not delete the flag: it stays part of the project's history and its score.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="supervision_gaps")
    week_start = models.DateField(_("week of"))
    flagged_at = models.DateTimeField(_("flagged at"), auto_now_add=True)

    class Meta:
        ordering = ["-week_start"]
        constraints = [
            models.UniqueConstraint(fields=["project", "week_start"], name="supervision_gap_once_per_week")
        ]
        verbose_name = _("missing weekly supervision")
        verbose_name_plural = _("missing weekly supervisions")

    def __str__(self):
        return f"{self.project} {self.week_start}"


SCORE_FIELDS = ("progress_score", "investment_score", "quality_score", "safety_score", "service_score")
SCORE_MAX = 20

# The dates a project may carry: none before the zone's records begin, none beyond twenty years
# ahead. Outside that they are typing mistakes, and dates at the ends of the calendar break charts.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_YEARS = 20


def latest_date(today: date | None = None) -> date:
    return (today or timezone.localdate()) + timedelta(days=round(365.25 * LATEST_YEARS))


def _score_field(label):
    return models.PositiveSmallIntegerField(label, validators=[MaxValueValidator(SCORE_MAX)])


class SiteObservation(models.Model):
    """A monthly site observation (月观摩): five scores of at most 20 points each, 100 in total."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="observations")
    month = models.DateField(_("month"))  # always the first day of the month
    observed_on = models.DateField(_("date"))
    observer = person(_("observed by"))
    progress_score = _score_field(_("progress"))
    investment_score = _score_field(_("investment"))
    quality_score = _score_field(_("quality"))
    safety_score = _score_field(_("safety"))
    service_score = _score_field(_("service score"))
    remarks = models.TextField(_("remarks"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-month", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "month"], name="observation_once_per_month"),
            models.CheckConstraint(
                condition=Q(progress_score__lte=SCORE_MAX)
                & Q(investment_score__lte=SCORE_MAX)
                & Q(quality_score__lte=SCORE_MAX)
                & Q(safety_score__lte=SCORE_MAX)
                & Q(service_score__lte=SCORE_MAX),
                name="observation_scores_max_20",
            ),
        ]
        verbose_name = _("monthly site observation")
        verbose_name_plural = _("monthly site observations")

    def __str__(self):
        return f"{self.project} {self.month:%Y-%m}"

    @property
    def total_score(self) -> int:
        return sum(getattr(self, f) for f in SCORE_FIELDS)


class ProjectSettings(OneRow):
    """Administrator-editable numbers of the projects app (one row)."""

    at_risk_days = models.PositiveSmallIntegerField(
        _("at risk: days before a milestone's planned date"),
        default=14,
        help_text=_("A project is at risk when an open milestone falls due within this many days."),
    )

    class Meta:
        verbose_name = _("project settings")
        verbose_name_plural = _("project settings")
