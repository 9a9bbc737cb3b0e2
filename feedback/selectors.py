"""Every read a user sees: `tickets_visible_to(user)` scoping, lists, the department inbox, the park
board, joint meetings, and the dashboard statistics (conditional aggregation, two queries)."""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from enterprises.selectors import enterprises_served_by
from zone_portal.access import get_visible_or_404
from zone_portal.accounts.roles import Role
from zone_portal.events.log import events_for
from zone_portal.filters import filter_given
from zone_portal.ratings.selectors import rated, with_rating

from .models import (
    ActionItem,
    AgendaItem,
    Category,
    CategoryDepartment,
    Extension,
    JointMeeting,
    Ticket,
    TicketAttachment,
    Whistle,
)

DONE = (Ticket.Status.RESOLVED, Ticket.Status.CLOSED, Ticket.Status.CLOSED_UNCONFIRMED)
FINISHED = (Ticket.Status.CLOSED, Ticket.Status.CLOSED_UNCONFIRMED)


def tickets_visible_to(user):
    """The tickets `user` may read. Administrators and leaders: all. Enterprise staff: their
    enterprises'. Chief service officers: their enterprises' and the ones they hold. Park staff:
    their parks' and the unrouted hotline tickets. Department officers: the ones their department
    was whistled to or given an action item on. Anyone: what they raised (supervisors, hotline)."""
    qs = Ticket.objects.all()
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.is_zone_admin or user.has_role(Role.LEADER):
        return qs
    visible = Q(raised_by=user)
    if user.has_role(Role.HOTLINE):
        visible |= Q(intake_client=user)
    if user.has_role(Role.ENTERPRISE_STAFF) and user.enterprise_ids:
        visible |= Q(enterprise_id__in=user.enterprise_ids)
    if user.has_role(Role.CSO):
        visible |= Q(owner=user) | Q(enterprise_id__in=enterprises_served_by(user))
    if user.has_role(Role.PARK_DIRECTOR, Role.PARK_OFFICER):
        visible |= Q(park_id__in=user.park_ids) | Q(park=None)
    if user.has_role(Role.DEPARTMENT_OFFICER) and user.department_ids:
        visible |= Q(
            Exists(Whistle.objects.filter(ticket=OuterRef("pk"), department_id__in=user.department_ids))
        ) | Q(Exists(ActionItem.objects.filter(ticket=OuterRef("pk"), department_id__in=user.department_ids)))
    return qs.filter(visible)


def ticket_list(user, *, filters: dict | None = None, now=None):
    """The user's visible tickets with what a list shows (one query), filtered:
    `tier`, `status`, `category`, `department` (code), `park` (code), `enterprise` (id),
    `overdue` (bool), `mine` (bool: held by me, whistled to my department, or raised by me)."""
    filters = filters or {}
    now = now or timezone.now()
    qs = filter_given(
        tickets_visible_to(user).select_related("enterprise", "park", "owner"),
        tier=filters.get("tier"),
        status=filters.get("status"),
        category=filters.get("category"),
        park__code=filters.get("park"),
        enterprise_id=filters.get("enterprise"),
    )
    if filters.get("department"):
        qs = filter_department(qs, filters["department"])
    if filters.get("overdue") is not None:
        qs = filter_overdue(qs, filters["overdue"], now=now)
    if filters.get("mine"):
        qs = filter_mine(qs, user)
    return qs


# What a row of the ticket list shows (number, title, category, enterprise, tier, holder, deadline,
# lateness badge): never the description, the resolution or the holder's password hash.
TICKET_ROW_FIELDS = (
    "number",
    "title",
    "category",
    "tier",
    "status",
    "created_at",
    "due_at",
    "remind_at",
    "enterprise_id",
    "park_id",
    "owner_id",
    "enterprise__name",
    "owner__username",
    "owner__display_name",
)


def ticket_rows(qs):
    """`qs` narrowed to what a row of the list shows (`TICKET_ROW_FIELDS`), two joins for names."""
    return qs.select_related(None).select_related("enterprise", "owner").only(*TICKET_ROW_FIELDS)


def filter_department(qs, code: str):
    return qs.filter(Exists(Whistle.objects.filter(ticket=OuterRef("pk"), department__code=code)))


def filter_overdue(qs, overdue: bool, *, now=None):
    late = Q(status=Ticket.Status.OPEN, due_at__lte=now or timezone.now())
    return qs.filter(late) if overdue else qs.exclude(late)


def filter_mine(qs, user):
    """Held by me, raised by me, my enterprise's, or whistled to my department and not answered."""
    mine = Q(owner=user) | Q(raised_by=user)
    if user.has_role(Role.ENTERPRISE_STAFF):
        mine |= Q(enterprise_id__in=user.enterprise_ids)
    if user.department_ids and user.has_role(Role.DEPARTMENT_OFFICER):
        mine |= Q(
            Exists(
                Whistle.objects.filter(
                    ticket=OuterRef("pk"), department_id__in=user.department_ids, status__in=Whistle.PENDING
                )
            )
        )
    return qs.filter(mine)


def _with_details(qs):
    """Everything a ticket's page and API detail show, its one rating (`rating_score`,
    `rating_comment`) included."""
    return (
        with_rating(qs)
        .select_related("enterprise", "park", "owner", "project", "resolved_by", "raised_by")
        .prefetch_related(
            Prefetch(
                "whistles",
                queryset=Whistle.objects.select_related(
                    "department", "reported_by", "answered_by", "whistled_by"
                ),
            ),
            Prefetch("extensions", queryset=Extension.objects.select_related("requested_by", "decided_by")),
            Prefetch(
                "action_items", queryset=ActionItem.objects.select_related("department", "meeting", "done_by")
            ),
            "attachments",
        )
    )


def ticket_for(user, pk, *, details: bool = False) -> Ticket:
    """The ticket `pk` if the user may see it (with everything its page and API detail show, if
    asked); Http404 alike for missing and not theirs."""
    visible = tickets_visible_to(user)
    return get_visible_or_404(_with_details(visible) if details else visible, pk)


def ticket_attachment_for(user, ticket_id, pk) -> TicketAttachment:
    """A file of the ticket `ticket_id` if the user may see that ticket; Http404 alike for
    missing and not theirs."""
    visible = TicketAttachment.objects.filter(ticket__in=tickets_visible_to(user).filter(pk=ticket_id))
    return get_visible_or_404(visible, pk)


def ticket_after_action(user, pk: int) -> Ticket:
    """The ticket an action just changed, for the answer to that action: the actor may have routed
    it out of their own sight (to another park), and still sees the result of their own act."""
    found = _with_details(tickets_visible_to(user)).filter(pk=pk).first()
    return found or _with_details(Ticket.objects.all()).get(pk=pk)


def ticket_events(ticket):
    return events_for(ticket)


def whistles_for_departments(user, *, pending_only=True):
    """The department inbox: whistles to the user's departments, those to report on first, the
    newest first (a new whistle is always on the first page; the late ones are marked and have a
    filter of their own, `whistles_filtered(late=True)`)."""
    qs = Whistle.objects.filter(department_id__in=user.department_ids).select_related(
        "ticket", "ticket__enterprise", "department"
    )
    if pending_only:
        qs = qs.filter(status__in=Whistle.PENDING, ticket__status=Ticket.Status.OPEN)
    return qs.order_by("status", "-whistled_at", "-id")


def whistles_filtered(qs, *, q: str = "", status: str = "", late: bool = False, now=None):
    """The department inbox's filters: search (number, title, enterprise), status, late only."""
    now = now or timezone.now()
    if q:
        qs = qs.filter(
            Q(ticket__number__icontains=q)
            | Q(ticket__title__icontains=q)
            | Q(ticket__enterprise__name__icontains=q)
        )
    if status in Whistle.Status.values:
        qs = qs.filter(status=status)
    if late:
        qs = qs.filter(
            Q(status=Whistle.Status.WHISTLED, report_due_at__lte=now)
            | Q(status=Whistle.Status.REPORTED, answer_due_at__lte=now)
        )
    return qs


def action_items_for_departments(user, *, open_only=True):
    qs = ActionItem.objects.filter(department_id__in=user.department_ids).select_related(
        "ticket", "department", "meeting"
    )
    if open_only:
        qs = qs.filter(status=ActionItem.Status.OPEN)
    return qs.order_by("due_at", "id")


def park_board(user, *, park_ids=None):
    """The park director's board: open tier-1 and tier-2 tickets of their parks (and the unrouted
    hotline tickets), by deadline, with their whistles in one more query."""
    park_ids = user.park_ids if park_ids is None else park_ids
    scope = Q(park_id__in=park_ids) | Q(park=None)
    if user.is_zone_admin:
        scope = Q()
    return (
        Ticket.objects.filter(scope, status=Ticket.Status.OPEN, tier__in=(1, 2))
        .select_related("enterprise", "owner", "park")
        .prefetch_related(Prefetch("whistles", queryset=Whistle.objects.select_related("department")))
        .order_by("due_at", "id")
    )


def park_board_filtered(qs, *, q: str = "", tier: str = "", category: str = "", late: bool = False, now=None):
    """The park board's filters: search (number, title, enterprise), tier, category, late only."""
    now = now or timezone.now()
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(title__icontains=q) | Q(enterprise__name__icontains=q))
    if tier in ("1", "2"):
        qs = qs.filter(tier=int(tier))
    if category in Category.values:
        qs = qs.filter(category=category)
    if late:
        qs = qs.filter(due_at__lte=now)
    return qs


def category_default_departments() -> dict[str, set[str]]:
    """{category: codes of its default departments}: the whistle dialog ticks them beforehand."""
    defaults: dict[str, set[str]] = {}
    for category, code in CategoryDepartment.objects.values_list("category", "department__code"):
        defaults.setdefault(category, set()).add(code)
    return defaults


def public_notices(*, park_ids=None):
    """Departments under public notice (通报): whistled, not reported, past the notice time."""
    qs = Whistle.objects.filter(noticed_at__isnull=False, status=Whistle.Status.WHISTLED).select_related(
        "department", "ticket"
    )
    if park_ids is not None:
        qs = qs.filter(ticket__park_id__in=park_ids)
    return qs.order_by("noticed_at", "id")


def meetings_visible_to(user):
    """Leaders, administrators and park staff see every joint meeting; department officers the
    meetings that gave their department an action item."""
    qs = JointMeeting.objects.select_related("chair")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.is_zone_admin or user.has_role(Role.LEADER, Role.PARK_DIRECTOR, Role.PARK_OFFICER):
        return qs
    if user.has_role(Role.DEPARTMENT_OFFICER):
        return qs.filter(
            Exists(ActionItem.objects.filter(meeting=OuterRef("pk"), department_id__in=user.department_ids))
        )
    return qs.none()


def meeting_for(user, pk) -> JointMeeting:
    """The joint meeting `pk` with its agenda and action items if the user may see it; Http404
    alike for missing and not theirs."""
    visible = meetings_visible_to(user).prefetch_related(
        Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("ticket", "ticket__enterprise")),
        Prefetch(
            "action_items", queryset=ActionItem.objects.select_related("ticket", "department", "done_by")
        ),
    )
    return get_visible_or_404(visible, pk)


def action_items_visible_to(user):
    """The joint meetings' action items on the tickets the user may see."""
    return ActionItem.objects.filter(ticket__in=tickets_visible_to(user))


def action_item_for(user, pk) -> ActionItem:
    """The action item `pk` if the user may see its ticket; Http404 alike for missing and not theirs."""
    return get_visible_or_404(action_items_visible_to(user), pk)


def tier3_waiting():
    """Open tier-3 tickets not on a scheduled meeting's agenda yet (the next meeting takes them)."""
    return (
        Ticket.objects.filter(status=Ticket.Status.OPEN, tier=3)
        .exclude(agenda_items__meeting__status=JointMeeting.Status.SCHEDULED)
        .select_related("enterprise", "park")
    )


# --------------------------------------------------------------------------- statistics


def _rate(numerator: int, denominator: int) -> Decimal | None:
    """A percentage with one decimal, or None when nothing was counted (no "0 %" out of nothing)."""
    if not denominator:
        return None
    return (Decimal(100) * numerator / denominator).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def ticket_stats(
    *,
    start: datetime,
    end: datetime,
    park=None,
    department=None,
    category: str | None = None,
    now: datetime | None = None,
) -> dict:
    """The dashboard figures for the tickets received in [start, end), optionally of one park,
    one department (whistled to it or given a meeting action item) or one category. Two queries.

    - received; resolved (办结: resolved, closed or closed unconfirmed); resolution rate (办结率) =
      resolved ÷ received; on time = resolved without ever passing a deadline, rate ÷ resolved;
    - the three rates (三率): response rate (响应率) = responded ÷ received; solution rate (解决率) =
      confirmed solved ÷ finished (closed + closed unconfirmed); satisfaction rate (满意率) = rated
      "basically satisfied" (3) or better ÷ rated;
    - reopened (at least once); by tier: how many of them are at each tier now (and still open);
    - overdue now: open tickets past their deadline at `now`, whenever received.
    Rates are percentages with one decimal, None when the denominator is zero.
    """
    now = now or timezone.now()
    scope = Q()
    if park is not None:
        scope &= Q(park=park)
    if category:
        scope &= Q(category=category)
    if department is not None:
        scope &= Q(Exists(Whistle.objects.filter(ticket=OuterRef("pk"), department=department))) | Q(
            Exists(ActionItem.objects.filter(ticket=OuterRef("pk"), department=department))
        )
    cohort = Ticket.objects.filter(scope, created_at__gte=start, created_at__lt=end)
    open_ = Q(status=Ticket.Status.OPEN)
    figures = cohort.aggregate(
        received=Count("pk"),
        resolved=Count("pk", filter=Q(status__in=DONE)),
        on_time=Count("pk", filter=Q(status__in=DONE, was_overdue=False)),
        responded=Count("pk", filter=Q(acknowledged_at__isnull=False)),
        confirmed=Count("pk", filter=Q(status=Ticket.Status.CLOSED)),
        finished=Count("pk", filter=Q(status__in=FINISHED)),
        rated=Count("pk", filter=Q(rated(Ticket))),
        satisfied=Count("pk", filter=Q(rated(Ticket, score__gte=3))),
        reopened=Count("pk", filter=Q(reopen_count__gt=0)),
        tier_1=Count("pk", filter=Q(tier=1)),
        tier_2=Count("pk", filter=Q(tier=2)),
        tier_3=Count("pk", filter=Q(tier=3)),
        open_tier_1=Count("pk", filter=open_ & Q(tier=1)),
        open_tier_2=Count("pk", filter=open_ & Q(tier=2)),
        open_tier_3=Count("pk", filter=open_ & Q(tier=3)),
    )
    overdue_now = Ticket.objects.filter(scope, open_, due_at__lte=now).count()
    return {
        "received": figures["received"],
        "resolved": figures["resolved"],
        "resolution_rate": _rate(figures["resolved"], figures["received"]),
        "on_time": figures["on_time"],
        "on_time_rate": _rate(figures["on_time"], figures["resolved"]),
        "responded": figures["responded"],
        "response_rate": _rate(figures["responded"], figures["received"]),
        "confirmed": figures["confirmed"],
        "solution_rate": _rate(figures["confirmed"], figures["finished"]),
        "rated": figures["rated"],
        "satisfaction_rate": _rate(figures["satisfied"], figures["rated"]),
        "reopened": figures["reopened"],
        "overdue_now": overdue_now,
        "by_tier": {
            tier: {"total": figures[f"tier_{tier}"], "open": figures[f"open_tier_{tier}"]}
            for tier in (1, 2, 3)
        },
    }


def home_counts(user) -> dict:
    """The few numbers of the feedback home panel, in one query. Every number counts open or
    resolved tickets: saying so, as two conditions (`IN` would not match the partial indexes'
    predicates), lets PostgreSQL read those through their partial indexes instead of every ticket
    (an administrator's home: 213 ms of a 294 ms page at a million tickets)."""
    qs = tickets_visible_to(user).filter(Q(status=Ticket.Status.OPEN) | Q(status=Ticket.Status.RESOLVED))
    now = timezone.now()
    return qs.aggregate(
        open=Count("pk", filter=Q(status=Ticket.Status.OPEN)),
        mine=Count("pk", filter=Q(status=Ticket.Status.OPEN, owner=user)),
        awaiting_confirmation=Count("pk", filter=Q(status=Ticket.Status.RESOLVED)),
        overdue=Count("pk", filter=Q(status=Ticket.Status.OPEN, due_at__lte=now)),
    )


def tickets_awaiting_confirmation(user):
    """The resolved problems `user` may read that wait for the enterprise's confirmation, the
    nearest confirmation deadline first."""
    return (
        tickets_visible_to(user)
        .filter(status=Ticket.Status.RESOLVED)
        .only("pk", "number", "title", "confirm_due_at", "status")
        .order_by("confirm_due_at", "pk")
    )


def leader_desk(user, *, now=None) -> dict:
    """A leader's own page: the tier-3 problems on the leaders' desk (open, by deadline), the
    extensions waiting for a decision on them, and the next joint meeting."""
    now = now or timezone.now()
    escalated = (
        tickets_visible_to(user)
        .filter(status=Ticket.Status.OPEN, tier=3)
        .select_related("enterprise", "park")
        .order_by("due_at", "pk")
    )
    extensions = (
        Extension.objects.filter(status=Extension.Status.PENDING, ticket__in=escalated.values("pk"))
        .select_related("ticket", "requested_by")
        .order_by("pk")
    )
    meeting = (
        meetings_visible_to(user)
        .filter(status=JointMeeting.Status.SCHEDULED, starts_at__gte=now)
        .order_by("starts_at", "pk")
        .first()
    )
    return {
        "escalated": list(escalated[:20]),
        "escalated_count": escalated.count(),
        "extensions": list(extensions[:20]),
        "meeting": meeting,
    }


def project_tickets(project, user) -> dict:
    """The problem tickets raised on this project that `user` may see, and how many are solved
    (resolved or closed: the source's "difficulties solved"); the panel on the project's page."""
    tickets = tickets_visible_to(user).filter(project=project)
    counts = tickets.aggregate(total=Count("pk"), solved=Count("pk", filter=Q(status__in=DONE)))
    return {"items": list(tickets.order_by("-id")[:50]), **counts}


def whistles_visible_to(user):
    """Whistles follow their ticket: those of the tickets `user` may read."""
    return Whistle.objects.filter(ticket__in=tickets_visible_to(user).values("pk"))


def attachments_visible_to(user):
    """A ticket's files follow the ticket; downloads ask this selector."""
    from .models import TicketAttachment

    return TicketAttachment.objects.filter(ticket__in=tickets_visible_to(user).values("pk"))
