"""Problems (诉求) and their three-tier escalation: "park whistles, departments report".

A ticket climbs three tiers (DOMAIN.md): 1 the enterprise's officer and park solve it on the spot,
2 the park director whistles departments that must report and answer, 3 the district joint
meeting assigns action items. Every deadline is a column (`*_remind_at` at 75 %, `*_due_at`), and
every "already done" marker of the sweep is a column too (`*_reminded_at`, `*_overdue_at`), so the
sweep is a set of conditional UPDATEs comparing columns with the clock (see `sweep.py`).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zone_portal.cases.lateness import Lateness, lateness_at
from zone_portal.cases.transitions import Transitions, can_transition
from zone_portal.fields import (
    at_risk_ratio_field,
    index_where_set,
    nullable_person,
    optional_reference,
    person,
    unmarked_index,
)
from zone_portal.touch import Touched
from zone_portal.uploads import content_type_field, stored_name


class Category(models.TextChoices):
    LAND = "land", _("Land and planning")
    TAX = "tax", _("Tax")
    FINANCING = "financing", _("Financing")
    UTILITIES = "utilities", _("Power and utilities")
    PERMITS = "permits", _("Permits")
    TALENT = "talent", _("Talent")
    POLICY = "policy", _("Policy")
    SAFETY = "safety", _("Work safety")
    OTHER = "other", _("Other")


# Defaults installed by the data migration and the demo data; administrators edit the rows.
DEFAULT_CATEGORY_DEPARTMENTS = {
    "land": ["land"],
    "tax": ["tax"],
    "financing": ["enterprise_service"],
    "utilities": ["power"],
    "permits": ["approval"],
    "talent": ["innovation"],
    "policy": ["enterprise_service"],
    "safety": ["emergency"],
    "other": [],
}


class Tier(models.IntegerChoices):
    PARK = 1, _("Tier 1 · solved on the spot by the park")
    WHISTLE = 2, _("Tier 2 · park whistles, departments report")
    MEETING = 3, _("Tier 3 · district joint meeting")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    CRITICAL = "critical", _("Critical")


class Source(models.TextChoices):
    ENTERPRISE = "enterprise", _("Raised by the enterprise")
    VISIT = "visit", _("Found on a visit")
    SUPERVISOR = "supervisor", _("Social supervisor")
    HOTLINE = "hotline", _("12345 hotline")
    PROJECT = "project", _("Key project")
    PARK = "park", _("Park")


class EscalationPolicy(models.Model):
    """The deadlines of one tier, for every category (blank) or for one category.

    Durations are in working time (7 h per working day). The sweep and the actions read the row for
    (tier, category), else (tier, ""), else `DEFAULTS`.
    """

    tier = models.PositiveSmallIntegerField(_("tier"), choices=Tier.choices)
    category = models.CharField(
        _("category"),
        max_length=16,
        choices=Category.choices,
        blank=True,
        help_text=_("Blank: every category without a policy of its own."),
    )
    acknowledge_hours = models.DecimalField(
        _("acknowledge within (working hours)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    resolve_days = models.DecimalField(
        _("resolve within (working days)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    report_days = models.DecimalField(
        _("departments report within (working days)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    answer_days = models.DecimalField(
        _("departments answer within (working days)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    notice_days = models.DecimalField(
        _("public notice after the report deadline (working days)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
    )
    action_days = models.DecimalField(
        _("meeting action items within (working days)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    confirm_days = models.DecimalField(
        _("enterprise confirms within (working days)"), max_digits=6, decimal_places=2, default=Decimal(3)
    )
    at_risk_ratio = at_risk_ratio_field(_("remind when this share of a deadline is used"))

    # The DOMAIN.md table. Tier 3 has no overall deadline by default: its action items carry them.
    DEFAULTS = {
        1: {"acknowledge_hours": Decimal(2), "resolve_days": Decimal(3)},
        2: {
            "report_days": Decimal(1),
            "answer_days": Decimal(5),
            "resolve_days": Decimal(7),
            "notice_days": Decimal(5),
        },
        3: {"action_days": Decimal(10)},
    }

    class Meta:
        ordering = ["tier", "category"]
        constraints = [
            models.UniqueConstraint(fields=["tier", "category"], name="escalation_policy_unique"),
            models.CheckConstraint(
                condition=Q(at_risk_ratio__gt=0) & Q(at_risk_ratio__lt=1), name="escalation_policy_ratio"
            ),
        ]
        verbose_name = _("escalation policy")
        verbose_name_plural = _("escalation policies")

    def __str__(self):
        return f"{self.get_tier_display()} · {self.get_category_display() or _('all categories')}"

    @classmethod
    def default_for(cls, tier: int) -> "EscalationPolicy":
        return cls(tier=tier, category="", **cls.DEFAULTS[tier])


class CategoryDepartment(models.Model):
    """A department whistled automatically when a ticket of this category is overdue at tier 1."""

    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    department = models.ForeignKey(
        "org.Department", on_delete=models.CASCADE, related_name="+", verbose_name=_("department")
    )

    class Meta:
        ordering = ["category", "department__code"]
        constraints = [
            models.UniqueConstraint(fields=["category", "department"], name="category_department_unique")
        ]
        verbose_name = _("default department of a category")
        verbose_name_plural = _("default departments of categories")

    def __str__(self):
        return f"{self.get_category_display()} → {self.department}"


class Ticket(Touched):
    """A problem an enterprise raised (诉求), with the deadlines of its current tier as columns."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved, awaiting confirmation")
        CLOSED = "closed", _("Closed")
        CLOSED_UNCONFIRMED = "closed_unconfirmed", _("Closed, not confirmed")

    # The one status table: `ticket_resolve`, `ticket_confirm` and the sweep's confirmation
    # timeout move through it (`zone_portal.cases.transitions`).
    TRANSITIONS = Transitions(
        {
            Status.OPEN: {Status.RESOLVED},
            Status.RESOLVED: {Status.CLOSED, Status.OPEN, Status.CLOSED_UNCONFIRMED},
            Status.CLOSED: set(),
            Status.CLOSED_UNCONFIRMED: set(),
        }
    )
    # The verbs that change the status are allowed when the table allows their target; the others
    # work on an open problem, and a comment also on one awaiting confirmation (any status the
    # table still moves on from).
    VERB_TARGETS = {"resolve": Status.RESOLVED, "confirm": Status.CLOSED}

    # Unique by a constraint rather than unique=True: no pattern (LIKE) index on PostgreSQL, which no
    # query uses and every sweep's climb would maintain.
    number = models.CharField(_("number"), max_length=20, null=True, blank=True)
    enterprise = optional_reference(
        "enterprises.Enterprise",
        _("enterprise"),
        related_name="tickets",
        db_index=False,  # ticket_enterprise_created leads with it
    )
    park = optional_reference(
        "org.Park",
        _("park"),
        related_name="tickets",
        db_index=False,  # ticket_park_status leads with it
        help_text=_("Empty while a hotline ticket of an unknown enterprise waits for the parks to route it."),
    )
    project = optional_reference(
        "projects.Project",
        _("key project"),
        related_name="tickets",
        on_delete=models.SET_NULL,
        db_index=False,  # ticket_project, partial: most tickets have no project
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("problem description"))
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.ENTERPRISE)
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    raised_by = nullable_person(db_index=False)  # ticket_raised_by, partial (hotline tickets have none)
    # Hotline intake: (client, key) answers the same ticket however often it is sent.
    intake_client = optional_reference(settings.AUTH_USER_MODEL, db_index=False)  # ticket_intake_unique
    intake_key = models.CharField(max_length=100, null=True, blank=True)

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    tier = models.PositiveSmallIntegerField(_("tier"), choices=Tier.choices, default=Tier.PARK)
    owner = nullable_person(
        _("held by"),
        related_name="owned_tickets",
        db_index=False,  # ticket_owner_status leads with it
    )
    created_at = models.DateTimeField(_("received at"), default=timezone.now)
    tier_started_at = models.DateTimeField(_("tier started at"), default=timezone.now)
    deadline_round = models.PositiveIntegerField(
        default=0, help_text="Bumped whenever the deadlines are reset; part of the sweep's dedupe keys."
    )

    # Tier 1: acknowledge (first response) within 2 working hours.
    acknowledged_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    ack_remind_at = models.DateTimeField(null=True, blank=True)
    ack_due_at = models.DateTimeField(_("respond by"), null=True, blank=True)
    ack_reminded_at = models.DateTimeField(null=True, blank=True)
    ack_overdue_at = models.DateTimeField(null=True, blank=True)
    # The current tier's resolve deadline.
    remind_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(_("resolve by"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_at = models.DateTimeField(null=True, blank=True)
    was_overdue = models.BooleanField(default=False)

    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = nullable_person(db_index=False)  # ticket_resolved_by, partial (open tickets have none)
    resolution = models.TextField(_("resolution"), blank=True)
    confirm_due_at = models.DateTimeField(_("confirm by"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("reopened"), default=0)

    class Meta:
        base_manager_name = "objects"  # a deletion nulling a reference to it stamps updated_at
        ordering = ["-created_at", "-id"]
        constraints = [
            # Partial: only hotline deliveries carry a key (NULLs never conflict anyway), so the
            # other tickets' writes do not maintain it.
            models.UniqueConstraint(
                fields=["intake_client", "intake_key"],
                name="ticket_intake_unique",
                condition=Q(intake_key__isnull=False),
            ),
            models.CheckConstraint(condition=Q(tier__gte=1) & Q(tier__lte=3), name="ticket_tier_range"),
            models.UniqueConstraint(fields=["number"], name="ticket_number_unique"),
        ]
        indexes = [
            # One partial index per sweep step: a sweep with nothing due reads empty index ranges.
            unmarked_index(
                "ack_remind_at",
                name="ticket_ack_remind",
                status="open",
                marker=("acknowledged_at", "ack_reminded_at"),
            ),
            unmarked_index(
                "ack_due_at",
                name="ticket_ack_due",
                status="open",
                marker=("acknowledged_at", "ack_overdue_at"),
            ),
            unmarked_index("remind_at", name="ticket_remind", status="open", marker="reminded_at"),
            unmarked_index("due_at", name="ticket_due", status="open", marker="overdue_at"),
            models.Index(
                fields=["confirm_due_at"], name="ticket_confirm_due", condition=Q(status="resolved")
            ),
            models.Index(fields=["park", "status", "tier"], name="ticket_park_status"),
            # The staff's ticket list, by deadline (the page's order; EXPLAIN at a million tickets).
            models.Index(fields=["due_at", "-id"], name="ticket_by_due"),
            models.Index(fields=["enterprise", "created_at"], name="ticket_enterprise_created"),
            models.Index(fields=["owner", "status"], name="ticket_owner_status"),
            models.Index(fields=["created_at"], name="ticket_created"),
            # The dashboard counts the open tickets live, by park and tier, and which are overdue.
            models.Index(fields=["park", "tier", "due_at"], name="ticket_open", condition=Q(status="open")),
            # The park board: the open tickets by deadline. Through `ticket_by_due` PostgreSQL walked
            # every ticket's deadline to find a park's two dozen open ones (1.8 s at a million);
            # here it walks the open ones only (EXPLAIN at a million tickets, 12,000 open).
            models.Index(fields=["due_at", "id"], name="ticket_open_by_due", condition=Q(status="open")),
            # Tickets by resolving day: the dashboard read from the cases, and its drill-downs.
            index_where_set("resolved_at", name="ticket_resolved"),
            # … and by closing day: the ratings' coverage counts a ticket on the day it closed.
            index_where_set("closed_at", name="ticket_closed"),
            # The references that are mostly empty are indexed only where set (what deleting the
            # referenced row looks up), so the sweep's UPDATEs of open tickets don't maintain them.
            index_where_set("project", name="ticket_project"),
            index_where_set("raised_by", name="ticket_raised_by"),
            index_where_set("resolved_by", name="ticket_resolved_by"),
        ]
        verbose_name = _("problem ticket")
        verbose_name_plural = _("problem tickets")

    def __str__(self):
        return f"{self.number or '—'} {self.title}"

    def can(self, verb: str) -> bool:
        if verb in self.VERB_TARGETS:
            return can_transition(self, self.VERB_TARGETS[verb])
        if verb == "comment":
            return bool(self.TRANSITIONS.targets(self.status))
        return self.status == self.Status.OPEN

    def can_climb(self) -> bool:
        return self.status == self.Status.OPEN and self.tier < Tier.MEETING

    def is_overdue(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.OPEN and self.due_at is not None and self.due_at <= now

    def sla_state(self, now=None) -> str:
        """How late the problem is (`Lateness`: on track, at risk from its reminder, overdue, or
        done once no longer open), for the `sla sla-*` badge."""
        if self.status != self.Status.OPEN:
            return Lateness.DONE
        return lateness_at(now or timezone.now(), risk_at=self.remind_at, due_at=self.due_at)


class Whistle(Touched):
    """One department summoned to a ticket (吹哨), with its own report and answer deadlines."""

    class Status(models.TextChoices):
        WHISTLED = "whistled", _("Whistled, not reported")
        REPORTED = "reported", _("Reported, working")
        ANSWERED = "answered", _("Answered")
        RETURNED = "returned", _("Returned: not our responsibility")
        CANCELLED = "cancelled", _("Withdrawn")

    TRANSITIONS = Transitions(
        {
            Status.WHISTLED: {Status.REPORTED, Status.RETURNED, Status.CANCELLED},
            Status.REPORTED: {Status.ANSWERED, Status.RETURNED, Status.CANCELLED},
            Status.ANSWERED: {Status.WHISTLED},
            Status.RETURNED: {Status.WHISTLED},
            Status.CANCELLED: {Status.WHISTLED},
        }
    )
    PENDING = (Status.WHISTLED, Status.REPORTED)

    # Both indexed through whistle_one_per_department and whistle_department_status.
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="whistles", db_index=False)
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
        db_index=False,
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.WHISTLED)
    round = models.PositiveIntegerField(default=1, help_text="Bumped when the department is whistled again.")
    note = models.TextField(_("note"), blank=True)
    whistled_by = nullable_person(db_index=False)  # whistle_whistled_by, partial (automatic ones have none)
    whistled_at = models.DateTimeField(_("whistled at"), default=timezone.now)
    report_remind_at = models.DateTimeField(null=True, blank=True)
    report_due_at = models.DateTimeField(_("report by"), null=True, blank=True)
    report_reminded_at = models.DateTimeField(null=True, blank=True)
    report_overdue_at = models.DateTimeField(null=True, blank=True)
    notice_at = models.DateTimeField(null=True, blank=True)
    noticed_at = models.DateTimeField(_("publicly noticed at"), null=True, blank=True)
    answer_remind_at = models.DateTimeField(null=True, blank=True)
    answer_due_at = models.DateTimeField(_("answer by"), null=True, blank=True)
    answer_reminded_at = models.DateTimeField(null=True, blank=True)
    answer_overdue_at = models.DateTimeField(null=True, blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    reported_by = nullable_person(_("officer in charge"), db_index=False)  # whistle_reported_by, partial
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = nullable_person(db_index=False)  # whistle_answered_by, partial
    answer = models.TextField(_("answer"), blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)

    class Meta:
        base_manager_name = "objects"  # a deletion nulling a reference to it stamps updated_at
        ordering = ["whistled_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "department"], name="whistle_one_per_department")
        ]
        indexes = [
            # Whistles by whistling day: the dashboard read from the cases, and its drill-downs.
            models.Index(fields=["whistled_at"], name="whistle_whistled"),
            index_where_set("noticed_at", name="whistle_noticed"),
            unmarked_index(
                "report_remind_at",
                name="whistle_report_remind",
                status="whistled",
                marker="report_reminded_at",
            ),
            unmarked_index(
                "report_due_at", name="whistle_report_due", status="whistled", marker="report_overdue_at"
            ),
            unmarked_index("notice_at", name="whistle_notice", status="whistled", marker="noticed_at"),
            models.Index(
                fields=["answer_remind_at"],
                name="whistle_answer_remind",
                condition=Q(status__in=["whistled", "reported"], answer_reminded_at=None),
            ),
            models.Index(
                fields=["answer_due_at"],
                name="whistle_answer_due",
                condition=Q(status__in=["whistled", "reported"], answer_overdue_at=None),
            ),
            models.Index(fields=["department", "status"], name="whistle_department_status"),
            # Empty while whistled (and always for automatic whistles): indexed only where set.
            index_where_set("whistled_by", name="whistle_whistled_by"),
            index_where_set("reported_by", name="whistle_reported_by"),
            index_where_set("answered_by", name="whistle_answered_by"),
        ]
        verbose_name = _("whistled department")
        verbose_name_plural = _("whistled departments")

    def __str__(self):
        return f"{self.ticket_id} → {self.department_id} ({self.status})"

    def can_become(self, status: str) -> bool:
        return can_transition(self, status)

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING

    def overdue_deadline(self, now=None) -> str | None:
        """The deadline ("report" or "answer") that passed without the step, by the clock or as the
        sweep marked it; None when the department is in time."""
        now = now or timezone.now()
        if self.status == self.Status.WHISTLED and (
            self.report_overdue_at or (self.report_due_at and self.report_due_at <= now)
        ):
            return "report"
        if self.is_pending and (self.answer_overdue_at or (self.answer_due_at and self.answer_due_at <= now)):
            return "answer"
        return None


class Extension(models.Model):
    """A request to move the current tier's deadline (延期), decided by a park director or a leader."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="extensions")
    days = models.DecimalField(_("working days"), max_digits=5, decimal_places=1)
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    requested_by = person()
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = optional_reference(settings.AUTH_USER_MODEL)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"], condition=Q(status="pending"), name="extension_one_pending"
            ),
            models.CheckConstraint(condition=Q(days__gt=0), name="extension_days_positive"),
        ]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")

    def __str__(self):
        return f"{self.ticket_id} +{self.days}d ({self.status})"


class JointMeeting(models.Model):
    """A district joint meeting (区级联席会议): tier-3 tickets fill its agenda, minutes assign actions."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held, minutes recorded")

    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    chair = person(_("chair"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    minutes = models.TextField(_("minutes"), blank=True)
    held_at = models.DateTimeField(_("held at"), null=True, blank=True)
    tickets = models.ManyToManyField(Ticket, through="AgendaItem", related_name="meetings")

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["starts_at"], name="meeting_next", condition=Q(status="scheduled"))]
        verbose_name = _("joint meeting")
        verbose_name_plural = _("joint meetings")

    def __str__(self):
        return f"{self.title} {self.starts_at:%Y-%m-%d}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(JointMeeting, on_delete=models.CASCADE, related_name="agenda_items")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="agenda_items")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "ticket"], name="agenda_item_unique")]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self):
        return f"{self.meeting_id}: {self.ticket_id}"


class ActionItem(Touched):
    """A decision of the meeting's minutes: one department, one task, one deadline, tracked to done."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    meeting = models.ForeignKey(JointMeeting, on_delete=models.CASCADE, related_name="action_items")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="action_items")
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    description = models.TextField(_("task"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    remind_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(_("due at"))
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_at = models.DateTimeField(_("flagged overdue at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = nullable_person()
    done_note = models.TextField(_("result"), blank=True)

    class Meta:
        base_manager_name = "objects"  # a deletion nulling a reference to it stamps updated_at
        ordering = ["due_at", "id"]
        indexes = [
            unmarked_index("remind_at", name="action_item_remind", status="open", marker="reminded_at"),
            unmarked_index("due_at", name="action_item_due", status="open", marker="overdue_at"),
            models.Index(fields=["department", "status"], name="action_item_department"),
        ]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self):
        return self.description[:60]

    def is_overdue(self, now=None) -> bool:
        return self.status == self.Status.OPEN and self.due_at <= (now or timezone.now())


def attachment_path(instance, filename):
    """A generated name on disk; the name the uploader gave is kept in the row for display."""
    return stored_name("feedback", instance.content_type)


class TicketAttachment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = content_type_field(_("content type"))
    uploaded_by = person()
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name


class EventKind(models.TextChoices):
    """The kinds of events a ticket's timeline shows (zone_portal.events rows with these `kind`s)."""

    CREATED = "created", _("Raised")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    WHISTLED = "whistled", _("Department whistled")
    REPORTED = "reported", _("Department reported")
    ANSWERED = "answered", _("Department answered")
    RETURNED = "returned", _("Department returned it")
    WHISTLE_CANCELLED = "whistle_cancelled", _("Whistle withdrawn")
    REMINDER = "reminder", _("Reminder (催办)")
    OVERDUE = "overdue", _("Overdue")
    PUBLICLY_NOTICED = "publicly_noticed", _("Public notice (通报)")
    ESCALATED = "escalated", _("Escalated")
    AGENDA_ADDED = "agenda_added", _("Put on the joint meeting's agenda")
    ACTION_ASSIGNED = "action_assigned", _("Action item assigned")
    ACTION_DONE = "action_done", _("Action item done")
    EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
    EXTENSION_APPROVED = "extension_approved", _("Extension approved")
    EXTENSION_REFUSED = "extension_refused", _("Extension refused")
    REASSIGNED = "reassigned", _("Returned to the park for re-routing")
    RESOLVED = "resolved", _("Resolved")
    CONFIRMED = "confirmed", _("Confirmed solved")
    REOPENED = "reopened", _("Not solved: reopened")
    CLOSED_UNCONFIRMED = "closed_unconfirmed", _("Closed without confirmation")
    COMMENT = "comment", _("Comment")
    ATTACHMENT = "attachment", _("Attachment added")
    MEETING_SCHEDULED = "meeting_scheduled", _("Meeting scheduled")
    MINUTES_RECORDED = "minutes_recorded", _("Minutes recorded")


DEADLINE_LABELS = {
    "acknowledge": _("response deadline"),
    "resolve": _("resolution deadline"),
    "report": _("report deadline"),
    "answer": _("answer deadline"),
    "action": _("action item deadline"),
}
