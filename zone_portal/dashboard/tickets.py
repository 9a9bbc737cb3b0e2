"""The problem tickets part of the dashboard (诉求: received, resolved, the three rates, overdue).

The definitions are the feedback app's (`feedback.selectors.ticket_stats`): the cohort is the
tickets received in the period; resolved (办结) = resolved, closed or closed unconfirmed; resolution
rate = resolved ÷ received; on time = resolved without ever passing a deadline, ÷ resolved; response
rate = first response given ÷ received; solution rate = confirmed solved ÷ finished; satisfaction =
rated 3 or better ÷ rated; overdue now = open past the current deadline, whenever received.

`ticket_stats` answers one scope in two queries; the dashboard also compares every park and every
department, so it reads the same definitions grouped: tickets by (park, tier, with a project or
not), whistles and meeting action items by department — three queries for the whole zone, whatever
the number of tickets, parks or departments. A test checks that both give the same numbers.
"""

from collections import defaultdict

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncWeek

from feedback.models import ActionItem, Ticket, Whistle
from feedback.selectors import DONE, FINISHED
from services.models import Rating
from zone_portal.worktime.calendar import ZONE

from .rates import rate

TIERS = (1, 2, 3)
OPEN = Q(status=Ticket.Status.OPEN)


def ticket_conditions(period, now, prefix: str = "") -> dict[str, Q]:
    """The counted conditions on a ticket; `prefix` reads them through a relation (`ticket__`)."""

    def q(**lookups) -> Q:
        return Q(**{f"{prefix}{key}": value for key, value in lookups.items()})

    received = q(created_at__gte=period.start, created_at__lt=period.end)
    open_ = q(status=Ticket.Status.OPEN)
    conditions = {
        "received": received,
        "resolved": received & q(status__in=DONE),
        "unresolved": received & ~q(status__in=DONE),
        "on_time": received & q(status__in=DONE, was_overdue=False),
        "late": received & q(status__in=DONE, was_overdue=True),
        "responded": received & q(acknowledged_at__isnull=False),
        "not_responded": received & q(acknowledged_at__isnull=True),
        "confirmed": received & q(status=Ticket.Status.CLOSED),
        "finished": received & q(status__in=FINISHED),
        "rated": received & q(score__isnull=False),
        "satisfied": received & q(score__gte=3),
        "unsatisfied": received & q(score__lt=3),
        "reopened": received & q(reopen_count__gt=0),
        "overdue_now": open_ & q(due_at__lte=now),
        "open_now": open_,
    }
    for tier in TIERS:
        conditions[f"overdue_tier_{tier}"] = conditions["overdue_now"] & q(tier=tier)
    return conditions


TICKET_COUNTS = (
    "received",
    "resolved",
    "on_time",
    "responded",
    "confirmed",
    "finished",
    "rated",
    "satisfied",
    "reopened",
    "overdue_now",
    "open_now",
    *(f"overdue_tier_{tier}" for tier in TIERS),
)
COUNTS = TICKET_COUNTS


def whistle_conditions(period, now) -> dict[str, Q]:
    """A department's own deadlines when whistled: report (报到) and answer, and public notices.
    A deadline counts once it has passed (within the period's whistles); cancelled whistles and
    returned ones (not the department's responsibility) owe no answer."""
    whistled = Q(whistled_at__gte=period.start, whistled_at__lt=period.end)
    report_due = whistled & Q(report_due_at__lt=now) & ~Q(status=Whistle.Status.CANCELLED)
    answer_due = (
        whistled
        & Q(answer_due_at__lt=now)
        & ~Q(status__in=[Whistle.Status.CANCELLED, Whistle.Status.RETURNED])
    )
    reported_on_time = report_due & Q(reported_at__lte=F("report_due_at"))
    answered_on_time = answer_due & Q(answered_at__lte=F("answer_due_at"))
    return {
        "whistled": whistled,
        "report_due": report_due,
        "reported_on_time": reported_on_time,
        "reported_late": report_due & ~Q(reported_at__lte=F("report_due_at")),
        "answer_due": answer_due,
        "answered_on_time": answered_on_time,
        "answered_late": answer_due & ~Q(answered_at__lte=F("answer_due_at")),
        "noticed": Q(noticed_at__gte=period.start, noticed_at__lt=period.end),
        "pending_overdue": Q(status=Whistle.Status.WHISTLED, report_due_at__lte=now)
        | Q(status__in=Whistle.PENDING, answer_due_at__lte=now),
    }


WHISTLE_COUNTS = (
    "whistled",
    "report_due",
    "reported_on_time",
    "answer_due",
    "answered_on_time",
    "noticed",
    "pending_overdue",
)


def with_rates(totals: dict) -> dict:
    totals["resolution_rate"] = rate(totals["resolved"], totals["received"])
    totals["on_time_rate"] = rate(totals["on_time"], totals["resolved"])
    totals["response_rate"] = rate(totals["responded"], totals["received"])
    totals["solution_rate"] = rate(totals["confirmed"], totals["finished"])
    totals["satisfaction_rate"] = rate(totals["satisfied"], totals["rated"])
    totals["overdue"] = totals["overdue_now"]
    totals["overdue_by_tier"] = {str(tier): totals[f"overdue_tier_{tier}"] for tier in TIERS}
    return totals


def _sum(cells, names=COUNTS) -> dict:
    totals = dict.fromkeys(names, 0)
    for cell in cells:
        for name in names:
            totals[name] += cell[name] or 0
    return totals


def ticket_cells(period, now) -> list[dict]:
    """Tickets grouped by (park, tier), with the project difficulties (问题 of key projects) counted
    apart: one query over the whole zone."""
    conditions = ticket_conditions(period, now)
    return list(
        Ticket.objects.filter(conditions["received"] | conditions["open_now"])
        .values("park_id", "tier")
        .annotate(
            with_project=Count("id", filter=Q(project__isnull=False) & conditions["received"]),
            project_resolved=Count("id", filter=Q(project__isnull=False) & conditions["resolved"]),
            **{name: Count("id", filter=conditions[name]) for name in COUNTS},
        )
        .order_by()
    )


def ticket_score_cells(period) -> list[dict]:
    """Scores of tickets closed in the period that are not in the shared ratings (好差评) table —
    tickets rated before the feedback app handed its ratings over — per park and level: counted
    with the ratings, once."""
    shared = Rating.objects.filter(content_type__app_label="feedback", content_type__model="ticket")
    return list(
        Ticket.objects.filter(score__isnull=False, closed_at__gte=period.start, closed_at__lt=period.end)
        .exclude(pk__in=shared.values("object_id"))
        .values("park_id", "score")
        .annotate(n=Count("id"))
        .order_by()
    )


def department_ticket_cells(period, now) -> list[dict]:
    """Per department: the tickets whistled to it (one whistle per ticket and department) plus
    those given it only through a meeting action item, and its whistles' own deadlines. Two queries."""
    ticket = ticket_conditions(period, now, prefix="ticket__")
    whistle = whistle_conditions(period, now)
    whistles = {
        row["department_id"]: row
        for row in Whistle.objects.filter(
            ticket["received"]
            | ticket["open_now"]
            | whistle["whistled"]
            | whistle["noticed"]
            | Q(status__in=Whistle.PENDING)
        )
        .values("department_id")
        .annotate(
            **{name: Count("id", filter=ticket[name]) for name in TICKET_COUNTS},
            **{name: Count("id", filter=whistle[name]) for name in WHISTLE_COUNTS},
        )
        .order_by()
    }
    only_actions = ActionItem.objects.exclude(
        Exists(Whistle.objects.filter(ticket=OuterRef("ticket"), department=OuterRef("department")))
    )
    actions = {
        row["department_id"]: row
        for row in only_actions.filter(ticket["received"] | ticket["open_now"])
        .values("department_id")
        .annotate(**{name: Count("ticket_id", distinct=True, filter=ticket[name]) for name in TICKET_COUNTS})
        .order_by()
    }
    cells = defaultdict(dict)
    for source in (whistles, actions):
        for department_id, row in source.items():
            cell = cells[department_id]
            for key, value in row.items():
                if key != "department_id":
                    cell[key] = cell.get(key, 0) + (value or 0)
    return dict(cells)


def department_totals(cell: dict | None) -> dict:
    totals = {name: (cell or {}).get(name, 0) for name in [*TICKET_COUNTS, *WHISTLE_COUNTS]}
    totals = with_rates(totals)
    totals["report_on_time_rate"] = rate(totals["reported_on_time"], totals["report_due"])
    totals["answer_on_time_rate"] = rate(totals["answered_on_time"], totals["answer_due"])
    return totals


def ticket_weeks(qs, period) -> list[dict]:
    """Received and resolved per week of the period (resolved counted in the week it was resolved)."""
    received = Q(created_at__gte=period.start, created_at__lt=period.end)
    resolved = Q(status__in=DONE, resolved_at__gte=period.start, resolved_at__lt=period.end)
    rows = (
        qs.filter(received | resolved)
        .annotate(
            received_week=TruncWeek("created_at", tzinfo=ZONE),
            resolved_week=TruncWeek("resolved_at", tzinfo=ZONE),
        )
        .values("received_week", "resolved_week")
        .annotate(received=Count("id", filter=received), resolved=Count("id", filter=resolved))
        .order_by()
    )
    weeks = {monday: {"week": monday.isoformat(), "received": 0, "resolved": 0} for monday in period.weeks()}
    for row in rows:
        if row["received"]:
            weeks[row["received_week"].astimezone(ZONE).date()]["received"] += row["received"]
        if row["resolved"]:
            weeks[row["resolved_week"].astimezone(ZONE).date()]["resolved"] += row["resolved"]
    return list(weeks.values())


def tickets_in_scope(scope):
    """The tickets a scope counts (the `ticket_stats` scoping)."""
    if scope.department is not None:
        return Ticket.objects.filter(
            Q(Exists(Whistle.objects.filter(ticket=OuterRef("pk"), department=scope.department)))
            | Q(Exists(ActionItem.objects.filter(ticket=OuterRef("pk"), department=scope.department)))
        )
    if scope.park is not None:
        return Ticket.objects.filter(park=scope.park)
    return Ticket.objects.all()


def ticket_figures(scope, period, cells, department_cells) -> dict:
    """The tickets part of a summary, from the grouped cells."""
    if scope.department is not None:
        figures = department_totals(department_cells.get(scope.department.pk))
    else:
        mine = [c for c in cells if scope.park is None or c["park_id"] == scope.park.pk]
        figures = with_rates(_sum(mine, TICKET_COUNTS))
    return figures


def by_park_rows(cells, park_id) -> dict:
    return with_rates(_sum([c for c in cells if c["park_id"] == park_id], TICKET_COUNTS))


def project_difficulties(cells, park_id=None) -> dict:
    mine = [c for c in cells if park_id is None or c["park_id"] == park_id]
    received = sum(c["with_project"] for c in mine)
    resolved = sum(c["project_resolved"] for c in mine)
    return {"received": received, "resolved": resolved, "rate": rate(resolved, received)}
