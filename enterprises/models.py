from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zone_portal.cases.transitions import Transitions
from zone_portal.fields import nullable_person, optional_reference, person

from .uscc import uscc_validate

# The qualification filters the directory and the API offer (the "four service goals" + reserve list).
QUALIFICATIONS = {
    "high_tech": _("High-tech enterprise"),
    "reserve": _("High-tech reserve"),
    "tech_sme": _("Tech SME"),
    "above_scale": _("Above designated size"),
}


class EnterpriseQuerySet(models.QuerySet):
    def with_qualification(self, code: str, *, today: date | None = None):
        """Enterprises holding qualification `code` today (see QUALIFICATIONS)."""
        return self.filter(Enterprise.qualification_q(code, today=today or timezone.localdate()))

    def with_officer(self, officer):
        """The enterprises `officer` (a user or an id) serves now."""
        return self.filter(pk__in=CsoAssignment.objects.served_by(officer))

    def with_cso(self, has: bool):
        held = CsoAssignment.objects.held(OuterRef("pk"))
        return self.filter(held) if has else self.exclude(held)


class Enterprise(models.Model):
    """An enterprise registered in the zone: its register entry and its four service goals."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        MOVED_OUT = "moved_out", _("Moved out")
        DEREGISTERED = "deregistered", _("Deregistered")

    TRANSITIONS = Transitions(
        {
            Status.ACTIVE: {Status.MOVED_OUT, Status.DEREGISTERED},
            Status.MOVED_OUT: {Status.ACTIVE, Status.DEREGISTERED},
        }
    )

    name = models.CharField(_("name"), max_length=200)
    # Search keys for people who type pinyin ("zjkj" for 中金科技); written by the actions that
    # write `name`, never derived in save() (see enterprises/pinyin.py).
    name_pinyin = models.CharField(_("name in pinyin"), max_length=800, blank=True, editable=False)
    name_initials = models.CharField(_("pinyin initials"), max_length=200, blank=True, editable=False)
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[uscc_validate]
    )
    park = models.ForeignKey(
        "org.Park", on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("park")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    legal_representative = models.CharField(_("legal representative"), max_length=100, blank=True)
    registered_capital = models.DecimalField(
        _("registered capital (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    founded_on = models.DateField(_("founding date"), null=True, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)

    # The four service goals (一二三四 method) and the reserve list.
    patents = models.PositiveIntegerField(_("patents"), default=0)
    tech_sme_year = models.PositiveSmallIntegerField(
        _("tech SME year"),
        null=True,
        blank=True,
        help_text=_("Year of the latest tech SME (科技型中小企业) evaluation the enterprise passed."),
    )
    is_above_scale = models.BooleanField(_("above designated size"), default=False)
    high_tech_certificate = models.CharField(_("high-tech certificate number"), max_length=50, blank=True)
    high_tech_expires_on = models.DateField(_("high-tech certificate expires on"), null=True, blank=True)
    is_high_tech_reserve = models.BooleanField(_("on the high-tech reserve list"), default=False)

    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now, editable=False)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        ordering = ["name_pinyin", "id"]
        indexes = [
            # Default directory order (Chinese names sort by pinyin) and prefix search on both keys.
            models.Index(fields=["name_pinyin", "id"], name="enterprise_pinyin_order"),
            models.Index(fields=["name_initials"], name="enterprise_initials"),
            models.Index(fields=["park", "status"], name="enterprise_park_status"),
        ]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self):
        return self.name

    # Qualifications are recognised as of a date; one definition serves the row and the filters.
    @staticmethod
    def qualification_q(code: str, *, today: date) -> Q:
        if code == "high_tech":
            return ~Q(high_tech_certificate="") & Q(high_tech_expires_on__gte=today)
        if code == "reserve":
            return Q(is_high_tech_reserve=True)
        if code == "tech_sme":
            # The evaluation is yearly; last year's list stands until this year's is published.
            return Q(tech_sme_year__gte=today.year - 1)
        if code == "above_scale":
            return Q(is_above_scale=True)
        raise ValueError(code)

    def is_high_tech(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            bool(self.high_tech_certificate)
            and bool(self.high_tech_expires_on)
            and self.high_tech_expires_on >= today
        )

    def is_tech_sme(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.tech_sme_year is not None and self.tech_sme_year >= today.year - 1

    def qualification_codes(self, today: date | None = None) -> list[str]:
        held = {
            "high_tech": self.is_high_tech(today),
            "reserve": self.is_high_tech_reserve,
            "tech_sme": self.is_tech_sme(today),
            "above_scale": self.is_above_scale,
        }
        return [code for code, yes in held.items() if yes]

    def clean(self):
        if self.high_tech_certificate and not self.high_tech_expires_on:
            raise ValidationError(
                {"high_tech_expires_on": _("A high-tech certificate needs its expiry date.")}
            )

    def qualification_labels(self, today: date | None = None) -> list[str]:
        return [QUALIFICATIONS[code] for code in self.qualification_codes(today)]

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


# Register fields by who may change them (the permission module combines them per user).
REGISTER_FIELDS = (
    "name",
    "uscc",
    "park",
    "legal_representative",
    "registered_capital",
    "address",
    "industry",
    "founded_on",
    "contact_name",
    "contact_phone",
    "contact_email",
)
QUALIFICATION_FIELDS = (
    "patents",
    "tech_sme_year",
    "is_above_scale",
    "high_tech_certificate",
    "high_tech_expires_on",
    "is_high_tech_reserve",
)
OWNER_FIELDS = ("address", "industry", "contact_name", "contact_phone", "contact_email")


class EnterpriseMembership(models.Model):
    """A user's account at an enterprise; enterprise staff see only their enterprises' data."""

    class Kind(models.TextChoices):
        OWNER = "owner", _("Owner")
        STAFF = "staff", _("Staff")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enterprise_memberships"
    )
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="memberships")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.STAFF)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "enterprise"], name="membership_unique")]
        verbose_name = _("enterprise membership")
        verbose_name_plural = _("enterprise memberships")

    def __str__(self):
        return f"{self.user} @ {self.enterprise}"


class CsoAssignmentQuerySet(models.QuerySet):
    def current(self):
        """The open assignments: who serves each enterprise now (the one definition; read it
        through `enterprises.selectors`: `enterprise_current_cso`, `enterprises_served_by`,
        `officer_serves`, `current_cso_id`, `has_current_cso`)."""
        return self.filter(ended_at=None)

    def served_by(self, officer):
        """The ids of the enterprises `officer` (a user or an id) serves now, as a subquery."""
        return self.current().filter(officer=officer).values("enterprise_id")

    def held(self, enterprise):
        """Whether the enterprise at `enterprise` (an id or an outer reference) has an officer now,
        as an Exists."""
        return Exists(self.current().filter(enterprise=enterprise))


class CsoAssignment(models.Model):
    """Who is an enterprise's chief service officer (首席服务员), and since when.

    At most one open row (ended_at is null) per enterprise, enforced by the database.
    """

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="cso_assignments")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cso_assignments"
    )
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    assigned_by = nullable_person()

    objects = CsoAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise"], condition=Q(ended_at=None), name="one_active_cso"),
        ]
        indexes = [models.Index(fields=["officer"], condition=Q(ended_at=None), name="cso_active_by_officer")]
        verbose_name = _("chief service officer assignment")
        verbose_name_plural = _("chief service officer assignments")

    def __str__(self):
        return f"{self.officer} → {self.enterprise}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class Visit(models.Model):
    """A visit (走访) by an officer to an enterprise, with what was found.

    A finding that needs departments becomes a feedback ticket: the feedback app links to a visit
    through `enterprises.selectors.visit_ticket_draft(visit)` (see ARCHITECTURE.md).
    """

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="visits", verbose_name=_("enterprise")
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="enterprise_visits",
        verbose_name=_("officer"),
    )
    visited_on = models.DateField(_("visit date"))
    participants = models.CharField(_("people met"), max_length=300, blank=True)
    findings = models.TextField(_("findings"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["enterprise", "-visited_on"], name="visit_enterprise_date")]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")

    def __str__(self):
        return f"{self.enterprise} {self.visited_on:%Y-%m-%d}"


class AccountRequest(models.Model):
    """A company asking for an enterprise account on the public page; a clerk decides.

    For an enterprise already in the register, the clerk's approval creates the account only: the
    enterprise's owner (or, without one, its registered contact) confirms the link (`link`).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    class Link(models.TextChoices):
        WAITING = "waiting", _("Waiting for the enterprise to confirm")
        CONFIRMED = "confirmed", _("Confirmed by the enterprise")
        DECLINED = "declined", _("Declined by the enterprise")

    uscc = models.CharField(_("unified social credit code"), max_length=18, validators=[uscc_validate])
    enterprise_name = models.CharField(_("enterprise name"), max_length=200)
    contact_name = models.CharField(_("contact person"), max_length=100)
    phone = models.CharField(_("phone"), max_length=32)
    email = models.EmailField(_("email"), blank=True)
    username = models.CharField(_("username"), max_length=150)
    # The requester chooses a password on the public page; only its hash is kept until approval.
    password_hash = models.CharField(max_length=128, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now, editable=False)
    # Where the public page was posted from: the page accepts only a few requests per address.
    address = models.GenericIPAddressField(null=True, blank=True, editable=False)
    reviewed_by = nullable_person()
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    refusal_reason = models.CharField(_("reason for refusal"), max_length=300, blank=True)
    enterprise = optional_reference(Enterprise, on_delete=models.SET_NULL)
    user = nullable_person()
    # Blank for a request that registered its enterprise (nobody else to ask).
    link = models.CharField(_("link to the enterprise"), max_length=16, choices=Link.choices, blank=True)
    # Who was asked to confirm: the owner's username or the registered contact email, for the clerk.
    link_asked = models.CharField(_("confirmation asked of"), max_length=254, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open request per company: a second submission waits for the first decision.
            models.UniqueConstraint(
                fields=["uscc"], condition=Q(status="pending"), name="one_pending_request"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="account_request_queue"),
            models.Index(
                fields=["address", "created_at"],
                name="account_request_address",
                condition=Q(address__isnull=False),
            ),
        ]
        verbose_name = _("account request")
        verbose_name_plural = _("account requests")

    def __str__(self):
        return f"{self.enterprise_name} ({self.uscc})"

    def can_review(self) -> bool:
        return self.status == self.Status.PENDING

    def can_decide_link(self) -> bool:
        return self.status == self.Status.APPROVED and self.link == self.Link.WAITING


class EnterpriseImport(models.Model):
    """An uploaded register file and its progress: validate → preview → confirm → import.

    Both phases run as Celery tasks; the import itself is one transaction (all rows or none).
    """

    class Status(models.TextChoices):
        VALIDATING = "validating", _("Validating")
        VALIDATED = "validated", _("Ready to import")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    file = models.FileField(_("file"), upload_to="enterprises/imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    uploaded_by = person(_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.VALIDATING)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    valid_rows = models.PositiveIntegerField(_("valid rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("processed rows"), default=0)
    imported_rows = models.PositiveIntegerField(_("imported rows"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    # Row numbers the preview refused: the import skips exactly these.
    skipped_rows = models.JSONField(default=list, blank=True, editable=False)
    preview = models.JSONField(default=list, blank=True, editable=False)
    # Messages are written in the uploader's language.
    language = models.CharField(max_length=16, blank=True, editable=False)
    failure = models.TextField(_("failure"), blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("enterprise import")
        verbose_name_plural = _("enterprise imports")

    def __str__(self):
        return self.original_name

    @property
    def is_working(self) -> bool:
        return self.status in {self.Status.VALIDATING, self.Status.QUEUED, self.Status.RUNNING}

    @property
    def progress_percent(self) -> int:
        total = (
            self.valid_rows if self.status in {self.Status.QUEUED, self.Status.RUNNING} else self.total_rows
        )
        if self.status in {self.Status.VALIDATED, self.Status.DONE}:
            return 100
        return min(100, int(self.processed_rows * 100 / total)) if total else 0

    def can_confirm(self) -> bool:
        return self.status == self.Status.VALIDATED and self.valid_rows > 0

    # A job no worker has taken up this long after it was queued: the page says so instead of
    # showing a bar that never moves (`dev.py up` not running, the worker stopped).
    WORKER_WAIT = timedelta(seconds=15)

    @property
    def waiting_for_worker(self) -> bool:
        if self.status == self.Status.VALIDATING and self.heartbeat_at is None:
            since = self.created_at
        elif self.status == self.Status.QUEUED:
            since = self.heartbeat_at or self.created_at
        else:
            return False
        return timezone.now() - since > self.WORKER_WAIT


# How the enterprise's timeline names its events (the event log stores the stable `kind`).
EVENT_LABELS = {
    "enterprise_created": _("Registered"),
    "enterprise_imported": _("Registered from an imported file"),
    "enterprise_updated": _("Register entry changed"),
    "qualifications_changed": _("Qualifications changed"),
    "status_changed": _("Status changed"),
    "cso_assigned": _("Chief service officer assigned"),
    "cso_handed_over": _("Handed over to another officer"),
    "cso_released": _("Officer assignment ended"),
    "visit_logged": _("Visit logged"),
    "staff_added": _("Staff account added"),
    "staff_removed": _("Staff account removed"),
    "account_request_approved": _("Account request approved"),
    "account_request_refused": _("Account request refused"),
    "account_link_confirmed": _("Account link confirmed by the enterprise"),
    "account_link_declined": _("Account link declined by the enterprise"),
    "account_request_submitted": _("Account requested"),
}
