"""Good/bad ratings (好差评) and the rectifications (整改) a bad review opens: one piece of the
foundation for every kind of case.

A rating points at the rated case through a generic foreign key, so a service request, a problem
ticket or any later kind of case is rated with the same rows, the same `Score` and the same
rectification flow. Nothing here knows the domain apps: the caller passes the case and who handled
it; an app declares its cases rateable in `registry.py` to have them counted in the coverage.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zone_portal.cases.transitions import Transitions, can_transition
from zone_portal.fields import optional_reference, person
from zone_portal.touch import Touched

from .registry import rectification_url


class Score(models.IntegerChoices):
    """The five levels of the zone's good/bad ratings (好差评); 1 and 2 are bad reviews (差评)."""

    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    BASICALLY_SATISFIED = 3, _("Basically satisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


BAD_SCORES = frozenset({Score.DISSATISFIED, Score.VERY_DISSATISFIED})


class Rating(Touched):
    """One rating of one finished case (a service request or a problem ticket): at most one."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("content_type", "object_id")
    score = models.PositiveSmallIntegerField(_("score"), choices=Score.choices)
    comment = models.TextField(_("comment"), blank=True)
    rater = person(_("rated by"))
    enterprise = optional_reference("enterprises.Enterprise", _("enterprise"), related_name="ratings")
    handler = optional_reference(settings.AUTH_USER_MODEL, _("handler"))
    handler_department = optional_reference("org.Department", _("handler department"), related_name="ratings")
    case_label = models.CharField(_("case"), max_length=200, blank=True)
    case_url = models.CharField(_("case link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("rated at"), default=timezone.now)

    class Meta:
        base_manager_name = "objects"  # a deletion nulling a reference to it stamps updated_at
        ordering = ["-created_at", "-id"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="one_rating_per_case"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"),
        ]
        # Ratings given in a period (the drill-downs; a summary read from the cases): by day given.
        indexes = [models.Index(fields=["created_at"], name="rating_created")]

    def __str__(self):
        return f"{self.case_label} · {self.get_score_display()}"

    @property
    def is_bad(self) -> bool:
        return self.score in BAD_SCORES


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("To verify")
    FIXING = "fixing", _("Being fixed")
    REPLIED = "replied", _("Replied, callback due")
    CALLED_BACK = "called_back", _("Called back, awaiting the enterprise")
    CLOSED = "closed", _("Closed")
    APPEALED = "appealed", _("Appealed")
    VOIDED = "voided", _("Voided on appeal")


R = RectificationStatus
RECTIFICATION_TRANSITIONS = Transitions(
    {
        R.OPEN: {R.FIXING, R.REPLIED, R.APPEALED},  # verify (or fix at once), or appeal
        R.FIXING: {R.REPLIED, R.APPEALED},
        R.REPLIED: {R.CALLED_BACK},
        R.CALLED_BACK: {R.CLOSED, R.FIXING},  # the enterprise is satisfied, or not
        R.APPEALED: {R.VOIDED, R.OPEN, R.FIXING},  # upheld, or back where it was
    }
)
RECTIFICATION_FINAL = frozenset({R.CLOSED, R.VOIDED})


class FixScore(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class Rectification(models.Model):
    """The rectification (整改) a bad review opens, owned by the handler's department
    (谁办理谁负责): verify, fix and reply, call back, and the enterprise rates the fix."""

    TRANSITIONS = RECTIFICATION_TRANSITIONS

    rating = models.OneToOneField(
        Rating, on_delete=models.PROTECT, related_name="rectification", verbose_name=_("rating")
    )
    department = optional_reference(
        "org.Department", _("responsible department"), related_name="rectifications"
    )
    handler = optional_reference(settings.AUTH_USER_MODEL, _("handler"))
    status = models.CharField(_("status"), max_length=16, choices=RectificationStatus.choices, default=R.OPEN)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    verify_due_at = models.DateTimeField(_("verify by"))
    fix_due_at = models.DateTimeField(_("fix and reply by"))
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    finding = models.TextField(_("finding"), blank=True)
    fixed_at_once = models.BooleanField(_("fixed at once"), default=False)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    called_back_at = models.DateTimeField(_("called back at"), null=True, blank=True)
    callback_note = models.TextField(_("callback note"), blank=True)
    fix_score = models.CharField(
        _("enterprise's rating of the fix"), max_length=24, choices=FixScore.choices, blank=True
    )
    fix_comment = models.TextField(_("comment on the fix"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    appeal_reason = models.TextField(_("appeal reason"), blank=True)
    appeal_from = models.CharField(max_length=16, blank=True)
    appeal_decision = models.TextField(_("appeal decision"), blank=True)
    appeal_decided_by = optional_reference(settings.AUTH_USER_MODEL)
    verify_overdue_marked_at = models.DateTimeField(null=True, blank=True)
    fix_overdue_marked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["fix_due_at", "id"]
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        indexes = [
            models.Index(fields=["department", "status"], name="rect_department_status"),
            models.Index(
                fields=["verify_due_at"],
                name="rect_verify_unmarked",
                condition=Q(verify_overdue_marked_at=None),
            ),
            models.Index(
                fields=["fix_due_at"], name="rect_fix_unmarked", condition=Q(fix_overdue_marked_at=None)
            ),
        ]

    def __str__(self):
        return f"{_('Rectification')} #{self.pk} · {self.rating.case_label}"

    def get_absolute_url(self):
        return rectification_url(self.pk)

    def can_transition(self, to: str) -> bool:
        return can_transition(self, to)

    @property
    def is_final(self) -> bool:
        return self.status in RECTIFICATION_FINAL

    def current_due_at(self):
        """The deadline that matters now: verification first, then the fix and reply."""
        if self.status == R.OPEN:
            return self.verify_due_at
        if self.status in (R.FIXING, R.APPEALED):
            return self.fix_due_at
        return None

    def is_overdue_at(self, now) -> bool:
        due = self.current_due_at()
        return bool(due and now >= due)

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_at(timezone.now())


RECTIFICATION_OVERDUE_Q = {
    "verify": Q(status=R.OPEN),
    "fix": Q(status__in=[R.OPEN, R.FIXING, R.APPEALED]),
}
