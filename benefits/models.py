"""Enterprise benefits (惠企政策), innovation vouchers (科技创新券) and financing (银企对接).

Money is `Decimal` yuan everywhere (万元 is a display unit). The guarantees that matter are held by
the database, not by forms:
- a policy application is paid once: `Disbursement.application` is unique (the ledger's row);
- one live application per policy and enterprise (a partial unique constraint), so 免申即享
  proposals can be made again without doubling;
- a voucher round never reserves more than its budget (`reserved <= budget`, a CHECK), and an
  enterprise's reservations of one year (`VoucherYear.reserved`) grow only by a conditional UPDATE
  that re-checks the cap under the row's lock, so two applications at once cannot both pass it;
- a voucher's paid amount never exceeds the issued amount (a CHECK).
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from zone_portal.cases.transitions import Transitions
from zone_portal.fields import DetailUrl, optional_reference, period_order, person, unmarked_index
from zone_portal.touch import Touched
from zone_portal.uploads import content_type_field, stored_name

YUAN = {"max_digits": 16, "decimal_places": 2}
ZERO = Decimal("0.00")
VOUCHER_CAP_DEFAULT = Decimal("300000.00")
MIN_EXPERTS_DEFAULT = 2
EXPERT_REVIEW_DAYS = 5  # working days an expert has to review a redemption (default)
SUBSIDY_SHARE_DEFAULT = Decimal("0.50")


def money(value) -> Decimal:
    """A yuan amount to the fen (2 places), from a Decimal, an int or a numeric string."""
    return Decimal(value).quantize(Decimal("0.01"))


# --- policies -----------------------------------------------------------------------------------


class PolicyKind(models.TextChoices):
    SUBSIDY = "subsidy", _("Subsidy")
    REWARD = "reward", _("Reward")
    INTEREST_SUBSIDY = "interest_subsidy", _("Interest subsidy")
    TAX_FEE_REDUCTION = "tax_fee_reduction", _("Tax or fee reduction")


class AmountRule(models.TextChoices):
    FIXED = "fixed", _("Fixed amount")
    PERCENTAGE = "percentage", _("Percentage of a base, with a cap")
    REVIEW = "review", _("Set by review")


# The register's qualifications a policy may require (codes of `enterprises.models.QUALIFICATIONS`).
POLICY_QUALIFICATIONS = ("high_tech", "reserve", "tech_sme", "above_scale")


class Policy(DetailUrl, models.Model):
    """One enterprise-benefit policy: who qualifies, how much, when, with which materials."""

    detail_url_name = "benefits:policy"

    name = models.CharField(_("name"), max_length=200, unique=True)
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("issuing department")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=PolicyKind.choices)
    summary = models.TextField(_("summary"), blank=True)
    # Who qualifies: every condition given must hold (empty: no condition).
    qualifications = models.JSONField(_("qualifications required"), default=list, blank=True)
    parks = models.ManyToManyField("org.Park", blank=True, related_name="+", verbose_name=_("parks"))
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    founded_after = models.DateField(_("founded on or after"), null=True, blank=True)
    # The amount rule.
    amount_rule = models.CharField(_("amount rule"), max_length=16, choices=AmountRule.choices)
    fixed_amount = models.DecimalField(_("fixed amount (yuan)"), null=True, blank=True, **YUAN)
    percentage = models.DecimalField(
        _("percentage of the base"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    cap = models.DecimalField(_("cap (yuan)"), null=True, blank=True, **YUAN)
    # When and how.
    opens_on = models.DateField(_("applications open on"))
    closes_on = models.DateField(_("applications close on"))
    valid_until = models.DateField(_("valid until"))
    materials = models.JSONField(_("required materials"), default=list, blank=True)
    automatic = models.BooleanField(_("granted without application (免申即享)"), default=False)
    review_days = models.PositiveSmallIntegerField(_("review limit (working days)"), default=10)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "id"]
        constraints = [
            period_order("opens_on", "closes_on", name="policy_window_order"),
            models.CheckConstraint(
                condition=~Q(amount_rule="fixed") | Q(fixed_amount__gt=0), name="policy_fixed_has_amount"
            ),
            models.CheckConstraint(
                condition=~Q(amount_rule="percentage") | (Q(percentage__gt=0) & Q(percentage__lte=100)),
                name="policy_percentage_in_range",
            ),
        ]
        verbose_name = _("policy")
        verbose_name_plural = _("policies")

    def __str__(self):
        return self.name

    def is_open(self, today: date) -> bool:
        return self.opens_on <= today <= self.closes_on and today <= self.valid_until

    def amount_for(self, base: Decimal | None) -> Decimal | None:
        """The amount the rule gives for `base` (None: set by review, or no base given)."""
        if self.amount_rule == AmountRule.FIXED:
            return money(self.fixed_amount)
        if self.amount_rule == AmountRule.PERCENTAGE and base is not None:
            amount = money(Decimal(base) * self.percentage / 100)
            return min(amount, money(self.cap)) if self.cap is not None else amount
        return None


class ApplicationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed (免申即享)")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    REVIEWED = "reviewed", _("Reviewed")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")


S = ApplicationStatus
APPLICATION_TRANSITIONS = Transitions(
    {
        S.PROPOSED: {S.REVIEWED, S.REJECTED},
        S.SUBMITTED: {S.ACCEPTED, S.REJECTED},
        S.ACCEPTED: {S.REVIEWED, S.REJECTED},
        S.REVIEWED: {S.APPROVED, S.REJECTED},
        S.APPROVED: {S.PAID},
    }
)
# While the review clock runs (reminders and overdue escalation).
REVIEW_RUNNING = (S.PROPOSED, S.SUBMITTED, S.ACCEPTED)
LIVE_APPLICATION = ~Q(status=S.REJECTED)


class PolicyApplication(DetailUrl, Touched):
    """An application for a policy (or a 免申即享 proposal), on the case engine's clock."""

    Status = ApplicationStatus
    TRANSITIONS = APPLICATION_TRANSITIONS
    detail_url_name = "benefits:application"

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="applications")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=ApplicationStatus.choices)
    base_amount = models.DecimalField(_("base amount (yuan)"), null=True, blank=True, **YUAN)
    requested_amount = models.DecimalField(_("requested amount (yuan)"), null=True, blank=True, **YUAN)
    amount = models.DecimalField(_("decided amount (yuan)"), null=True, blank=True, **YUAN)
    note = models.TextField(_("note"), blank=True)
    reason = models.TextField(_("reason for rejection"), blank=True)
    submitted_by = optional_reference(settings.AUTH_USER_MODEL, _("submitted by"))
    reviewer = optional_reference(settings.AUTH_USER_MODEL, _("reviewer"))
    submitted_at = models.DateTimeField(_("submitted at"))
    risk_at = models.DateTimeField(_("reminder at"))
    due_at = models.DateTimeField(_("review due at"))
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_marked_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "enterprise"], condition=LIVE_APPLICATION, name="one_live_application"
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="amount_not_negative"
            ),
        ]
        indexes = [
            models.Index(
                fields=["risk_at"],
                name="application_remind_due",
                condition=Q(reminded_at=None, status__in=REVIEW_RUNNING),
            ),
            models.Index(
                fields=["due_at"],
                name="application_overdue_due",
                condition=Q(overdue_marked_at=None, status__in=REVIEW_RUNNING),
            ),
        ]
        verbose_name = _("policy application")
        verbose_name_plural = _("policy applications")

    def __str__(self):
        return f"{self.policy} · {self.enterprise}"


class MaterialFile(models.Model):
    """A material uploaded to a case of this app (an application's, a voucher's): the name it was
    uploaded under (shown, never used on disk), the type its content showed, who uploaded it and
    when. Each kind declares its `file`, under a folder of its own."""

    original_name = models.CharField(max_length=200)
    content_type = content_type_field()
    uploaded_by = optional_reference(settings.AUTH_USER_MODEL, _("uploaded by"))
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name


def application_material_path(instance, filename):
    return stored_name("benefits/applications", instance.content_type)


class ApplicationMaterial(MaterialFile):
    """The file in one slot of a policy's material checklist (slot = index in `Policy.materials`)."""

    application = models.ForeignKey(PolicyApplication, on_delete=models.CASCADE, related_name="files")
    slot = models.PositiveSmallIntegerField(_("material"))
    file = models.FileField(upload_to=application_material_path)

    class Meta:
        ordering = ["slot"]
        constraints = [
            models.UniqueConstraint(fields=["application", "slot"], name="one_file_per_material_slot")
        ]


class Disbursement(models.Model):
    """The ledger (兑现台账): one payment of one application, never two (a unique constraint)."""

    application = models.OneToOneField(PolicyApplication, on_delete=models.PROTECT, related_name="payment")
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="payments")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+")
    park = models.ForeignKey("org.Park", on_delete=models.PROTECT, related_name="+")  # as at payment
    amount = models.DecimalField(_("amount (yuan)"), **YUAN)
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    recorded_by = optional_reference(settings.AUTH_USER_MODEL, _("recorded by"))
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-paid_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_positive")]
        indexes = [models.Index(fields=["paid_on"], name="disbursement_paid_on")]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")

    def __str__(self):
        return f"{self.policy} · {self.enterprise} · {self.amount}"


# --- innovation vouchers ------------------------------------------------------------------------


class VoucherPurpose(models.TextChoices):
    RND = "rnd", _("R&D cooperation (合作研发)")
    INSTRUMENTS = "instruments", _("Instruments and equipment (购置仪器设备)")
    TESTING = "testing", _("Testing and inspection (检验检测)")


class VoucherRound(models.Model):
    """A yearly round: its window, its budget, the cap per enterprise and year, the vouchers' validity."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    opens_on = models.DateField(_("applications open on"))
    closes_on = models.DateField(_("applications close on"))
    valid_until = models.DateField(_("vouchers valid until"))
    budget = models.DecimalField(_("budget (yuan)"), **YUAN)
    cap_per_enterprise = models.DecimalField(
        _("cap per enterprise and year (yuan)"), default=VOUCHER_CAP_DEFAULT, **YUAN
    )
    min_experts = models.PositiveSmallIntegerField(_("experts per redemption"), default=MIN_EXPERTS_DEFAULT)
    # What live vouchers of the round hold (applied, issued, redeemed, paid): grows only by a
    # conditional UPDATE, never past the budget (the CHECK is the last word).
    reserved = models.DecimalField(_("reserved (yuan)"), default=ZERO, editable=False, **YUAN)
    city_total = models.DecimalField(
        _("city's total issued (yuan)"),
        null=True,
        blank=True,
        help_text=_("Entered by an administrator."),
        **YUAN,
    )

    class Meta:
        ordering = ["-year", "-opens_on"]
        constraints = [
            models.CheckConstraint(condition=Q(reserved__lte=F("budget")), name="round_within_budget"),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="round_reserved_not_negative"),
            period_order("opens_on", "closes_on", name="round_window_order"),
            models.CheckConstraint(condition=Q(min_experts__gte=1), name="round_min_experts"),
        ]
        verbose_name = _("voucher round")
        verbose_name_plural = _("voucher rounds")

    def __str__(self):
        return self.name

    def is_open(self, today: date) -> bool:
        return self.opens_on <= today <= self.closes_on


class VoucherYear(models.Model):
    """What one enterprise's live vouchers of one year hold: the row the cap is checked on."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    reserved = models.DecimalField(default=ZERO, **YUAN)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="one_voucher_year"),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="voucher_year_not_negative"),
        ]

    def __str__(self):
        return f"{self.enterprise_id}/{self.year}: {self.reserved}"


class VoucherStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    ISSUED = "issued", _("Issued")
    REDEMPTION_SUBMITTED = "redemption_submitted", _("Redemption submitted")
    UNDER_REVIEW = "under_review", _("Expert review")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired")


V = VoucherStatus
VOUCHER_TRANSITIONS = Transitions(
    {
        V.APPLIED: {V.ISSUED, V.REJECTED},
        V.ISSUED: {V.REDEMPTION_SUBMITTED, V.EXPIRED},
        V.REDEMPTION_SUBMITTED: {V.UNDER_REVIEW, V.REJECTED},
        V.UNDER_REVIEW: {V.PAID, V.REJECTED},
    }
)
REDEMPTION_KINDS = {
    "contract": _("Contract"),
    "invoice": _("Invoices"),
    "report": _("Report"),
}


class Voucher(DetailUrl, Touched):
    """An innovation voucher: applied for, issued, redeemed with materials, reviewed, paid."""

    Status = VoucherStatus
    TRANSITIONS = VOUCHER_TRANSITIONS
    detail_url_name = "benefits:voucher"

    round = models.ForeignKey(VoucherRound, on_delete=models.PROTECT, related_name="vouchers")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    purposes = models.JSONField(_("purposes"), default=list)
    amount = models.DecimalField(_("amount (yuan)"), **YUAN)
    status = models.CharField(_("status"), max_length=24, choices=VoucherStatus.choices)
    applied_by = optional_reference(settings.AUTH_USER_MODEL, _("applied by"))
    applied_at = models.DateTimeField(_("applied at"))
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    number = models.CharField(_("voucher number"), max_length=32, blank=True)
    # The end of validity and the reminder points before it (deadlines are data; the sweep reads them).
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    remind_30_at = models.DateTimeField(null=True, blank=True, editable=False)
    remind_7_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_30_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_7_at = models.DateTimeField(null=True, blank=True, editable=False)
    expired_at = models.DateTimeField(null=True, blank=True, editable=False)
    claimed_amount = models.DecimalField(_("amount claimed (yuan)"), null=True, blank=True, **YUAN)
    redemption_note = models.TextField(_("what was done"), blank=True)
    redeemed_at = models.DateTimeField(null=True, blank=True)
    paid_amount = models.DecimalField(_("amount paid (yuan)"), null=True, blank=True, **YUAN)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    reason = models.TextField(_("reason for rejection"), blank=True)

    class Meta:
        ordering = ["-applied_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="voucher_amount_positive"),
            models.CheckConstraint(
                condition=Q(paid_amount__isnull=True)
                | (Q(paid_amount__gte=0) & Q(paid_amount__lte=F("amount"))),
                name="voucher_paid_within_issued",
            ),
        ]
        indexes = [
            unmarked_index(
                "remind_30_at", name="voucher_remind30_due", status="issued", marker="reminded_30_at"
            ),
            unmarked_index(
                "remind_7_at", name="voucher_remind7_due", status="issued", marker="reminded_7_at"
            ),
            models.Index(fields=["expires_at"], name="voucher_expiry_due", condition=Q(status="issued")),
        ]
        verbose_name = _("innovation voucher")
        verbose_name_plural = _("innovation vouchers")

    def __str__(self):
        return self.number or _("Voucher application %(id)s") % {"id": self.pk}

    def purpose_labels(self) -> list[str]:
        return [str(VoucherPurpose(p).label) for p in self.purposes if p in VoucherPurpose.values]


def voucher_material_path(instance, filename):
    return stored_name("benefits/vouchers", instance.content_type)


class VoucherMaterial(MaterialFile):
    """A redemption file: the contract, the invoices, the report."""

    voucher = models.ForeignKey(Voucher, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=16, choices=list(REDEMPTION_KINDS.items()))
    file = models.FileField(upload_to=voucher_material_path)

    class Meta:
        ordering = ["kind", "id"]


class ExpertConflict(models.Model):
    """An expert's declared conflict of interest with an enterprise: never assigned to review it."""

    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="+")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["expert", "enterprise"], name="one_conflict_row")]

    def __str__(self):
        return f"{self.expert} ≠ {self.enterprise}"


class VoucherReview(models.Model):
    """One assigned expert's review of a redemption: a score (0–100) and an opinion once given."""

    voucher = models.ForeignKey(Voucher, on_delete=models.CASCADE, related_name="reviews")
    expert = person()
    assigned_at = models.DateTimeField()
    # The expert's deadline, set at assignment (working days of the calendar): the queue's order.
    due_at = models.DateTimeField(_("review due"), null=True, blank=True, editable=False)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    opinion = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # When the vouchers' sweep told the expert and the administrators that the review is overdue.
    overdue_marked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["id"]
        indexes = [
            # The sweep's claim: the reviews not given yet and not yet told overdue, by deadline.
            models.Index(
                fields=["due_at"],
                name="voucher_review_overdue_due",
                condition=Q(reviewed_at=None, overdue_marked_at=None),
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["voucher", "expert"], name="one_review_per_expert"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=100), name="review_score_range"
            ),
        ]

    def __str__(self):
        return f"{self.voucher} · {self.expert}"


# --- financing ----------------------------------------------------------------------------------


class Bank(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("bank")
        verbose_name_plural = _("banks")

    def __str__(self):
        return self.name


class MatchingEvent(models.Model):
    """A bank–enterprise matching event (银企对接会) and who attended."""

    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    park = optional_reference("org.Park", _("park"))
    banks = models.ManyToManyField(Bank, blank=True, related_name="events")
    enterprises = models.ManyToManyField("enterprises.Enterprise", blank=True, related_name="+")

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("matching event")
        verbose_name_plural = _("matching events")

    def __str__(self):
        return self.title


class CreditLine(models.Model):
    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, related_name="credit_lines")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount (yuan)"), **YUAN)
    granted_on = models.DateField(_("granted on"))
    event = optional_reference(MatchingEvent, _("matching event"), related_name="credit_lines")

    class Meta:
        ordering = ["-granted_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="credit_line_positive")]
        verbose_name = _("credit line")
        verbose_name_plural = _("credit lines")

    def __str__(self):
        return f"{self.bank} · {self.enterprise} · {self.amount}"


class LoanKind(models.TextChoices):
    ORDINARY = "ordinary", _("Loan")
    PATENT_PLEDGE = "patent_pledge", _("Patent-pledge loan (专利质押融资)")


class Loan(DetailUrl, models.Model):
    """A loan drawn; a patent-pledge loan carries its evaluator and the subsidised share of interest."""

    detail_url_name = "benefits:loan"

    kind = models.CharField(_("kind"), max_length=16, choices=LoanKind.choices, default=LoanKind.ORDINARY)
    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, related_name="loans")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+")
    credit_line = optional_reference(CreditLine, _("credit line"), related_name="loans")
    amount = models.DecimalField(_("amount (yuan)"), **YUAN)
    drawn_on = models.DateField(_("drawn on"))
    term_months = models.PositiveSmallIntegerField(_("term (months)"), default=12)
    annual_rate = models.DecimalField(_("annual interest rate (%)"), max_digits=6, decimal_places=3)
    evaluator = models.CharField(_("evaluation agency"), max_length=200, blank=True)
    patents = models.CharField(_("patents pledged"), max_length=500, blank=True)
    subsidy_share = models.DecimalField(
        _("share of interest subsidised"), max_digits=4, decimal_places=2, default=ZERO
    )
    # The difficulties met on the way, as problem tickets (the feedback app is below this one).
    tickets = models.ManyToManyField("feedback.Ticket", blank=True, related_name="+")

    class Meta:
        ordering = ["-drawn_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="loan_positive"),
            models.CheckConstraint(
                condition=Q(subsidy_share__gte=0) & Q(subsidy_share__lte=1), name="loan_subsidy_share_range"
            ),
        ]
        verbose_name = _("loan")
        verbose_name_plural = _("loans")

    def __str__(self):
        return f"{self.bank} · {self.enterprise} · {self.amount}"

    @property
    def interest(self) -> Decimal:
        """Simple interest over the term, to the fen."""
        return money(self.amount * self.annual_rate / 100 * self.term_months / 12)

    @property
    def subsidy_due(self) -> Decimal:
        return money(self.interest * self.subsidy_share)


class SubsidyPayment(models.Model):
    """A payment of a loan's interest subsidy (their sum never exceeds `Loan.subsidy_due`)."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="subsidies")
    amount = models.DecimalField(_("amount (yuan)"), **YUAN)
    paid_on = models.DateField(_("paid on"))
    recorded_by = optional_reference(settings.AUTH_USER_MODEL, _("recorded by"))

    class Meta:
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="subsidy_positive"),
            # A payment is recorded once: a second one for the same loan on the same day is a
            # double entry (a resubmitted form, two clerks at once), whatever the amount.
            models.UniqueConstraint(fields=["loan", "paid_on"], name="one_subsidy_payment_per_loan_day"),
        ]
        verbose_name = _("subsidy payment")
        verbose_name_plural = _("subsidy payments")

    def __str__(self):
        return f"{self.loan} · {self.amount}"
