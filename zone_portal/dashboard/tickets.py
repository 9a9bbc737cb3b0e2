"""The problem tickets part of the dashboard (诉求: received, resolved, the three rates, overdue).

The definitions are the feedback app's (`feedback.selectors.ticket_stats`): the cohort is the
tickets received in the period; resolved (办结) = resolved, closed or closed unconfirmed; resolution
rate = resolved ÷ received; on time = resolved without ever passing a deadline, ÷ resolved; response
rate = first response given ÷ received; solution rate = confirmed solved ÷ finished; satisfaction =
rated 3 or better ÷ rated; overdue now = open past the current deadline, whenever received.

`ticket_stats` answers one scope in two queries; the dashboard also compares every park and every
department, so it reads the same definitions grouped: tickets by (park, tier), whistles and meeting
action items by department — the cohorts from the daily rollups (facts.py, rollup.py), what is
open now from the open tickets, whatever the number of tickets, parks or departments. A test checks
that both give the same numbers.
"""

from datetime import timedelta

from django.db.models import Count, Exists, F, OuterRef, Q

from feedback.models import ActionItem, Ticket, Whistle
from feedback.selectors import DONE, FINISHED
from zone_portal.ratings.selectors import rated

from .rates import rate

TIERS = (1, 2, 3)
OPEN = Q(status=Ticket.Status.OPEN)


def ticket_state(prefix: str = "") -> dict:
    """What counts of a ticket as it stands now, whenever it was received (None: every ticket);
    `prefix` reads them through a relation (`ticket__`). The cohort counts of the dashboard."""

    def q(**lookups) -> Q:
        return Q(**{f"{prefix}{key}": value for key, value in lookups.items()})

    return {
        "received": None,
        "resolved": q(status__in=DONE),
        "on_time": q(status__in=DONE, was_overdue=False),
        "responded": q(acknowledged_at__isnull=False),
        "confirmed": q(status=Ticket.Status.CLOSED),
        "finished": q(status__in=FINISHED),
        "rated": Q(rated(Ticket, f"{prefix}pk")),  # the ticket's one rating
        "satisfied": Q(rated(Ticket, f"{prefix}pk", score__gte=3)),
        "reopened": q(reopen_count__gt=0),
    }


def open_conditions(now, prefix: str = "") -> dict[str, Q]:
    """What counts of an open ticket at `now`: overdue (past its current deadline), by tier."""
    open_ = Q(**{f"{prefix}status": Ticket.Status.OPEN})
    overdue = open_ & Q(**{f"{prefix}due_at__lte": now})
    conditions = {"overdue_now": overdue, "open_now": open_}
    for tier in TIERS:
        conditions[f"overdue_tier_{tier}"] = overdue & Q(**{f"{prefix}tier": tier})
    return conditions


OPEN_COUNTS = tuple(open_conditions(None))


def ticket_conditions(period, now, prefix: str = "") -> dict[str, Q]:
    """The counted conditions on a ticket over a period (the cohort received in it) and at `now`;
    `prefix` reads them through a relation (`ticket__`)."""

    def q(**lookups) -> Q:
        return Q(**{f"{prefix}{key}": value for key, value in lookups.items()})

    received = q(created_at__gte=period.start, created_at__lt=period.end)
    conditions = {
        name: received if state is None else received & state for name, state in ticket_state(prefix).items()
    }
    conditions.update(
        unresolved=received & ~q(status__in=DONE),
        late=received & q(status__in=DONE, was_overdue=True),
        not_responded=received & q(acknowledged_at__isnull=True),
        unsatisfied=received & Q(rated(Ticket, f"{prefix}pk", score__lt=3)),
        **open_conditions(now, prefix),
    )
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


def whistle_state(now) -> dict:
    """A department's own deadlines when whistled, for a whistle as it stands at `now` (None:
    every whistle): report (报到) and answer. A deadline counts once it has passed; cancelled
    whistles and returned ones (not the department's responsibility) owe no answer."""
    report_due = Q(report_due_at__lt=now) & ~Q(status=Whistle.Status.CANCELLED)
    answer_due = Q(answer_due_at__lt=now) & ~Q(status__in=[Whistle.Status.CANCELLED, Whistle.Status.RETURNED])
    return {
        "whistled": None,
        "report_due": report_due,
        "reported_on_time": report_due & Q(reported_at__lte=F("report_due_at")),
        "reported_late": report_due & ~Q(reported_at__lte=F("report_due_at")),
        "answer_due": answer_due,
        "answered_on_time": answer_due & Q(answered_at__lte=F("answer_due_at")),
        "answered_late": answer_due & ~Q(answered_at__lte=F("answer_due_at")),
    }


def whistle_pending_overdue(now) -> Q:
    return Q(status=Whistle.Status.WHISTLED, report_due_at__lte=now) | Q(
        status__in=Whistle.PENDING, answer_due_at__lte=now
    )


def whistle_conditions(period, now) -> dict[str, Q]:
    """The whistles of the period (see `whistle_state`), public notices of the period, and the
    whistles past a deadline now."""
    whistled = Q(whistled_at__gte=period.start, whistled_at__lt=period.end)
    conditions = {
        name: whistled if state is None else whistled & state for name, state in whistle_state(now).items()
    }
    conditions["noticed"] = Q(noticed_at__gte=period.start, noticed_at__lt=period.end)
    conditions["pending_overdue"] = whistle_pending_overdue(now)
    return conditions


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


def ticket_cells(period, now, dirty) -> list[dict]:
    """Tickets grouped by (park, tier), with the project difficulties (问题 of key projects) counted
    apart: the cohort received in the period (rollups) and the open ones now (one query)."""
    from . import facts, rollup

    cohort = rollup.read(facts.TICKET, period, dirty, now)
    open_now = (
        Ticket.objects.filter(status=Ticket.Status.OPEN)
        .values("park_id", "tier")
        .annotate(**{name: Count("id", filter=q) for name, q in open_conditions(now).items()})
        .order_by()
    )
    return facts.merge_cells(
        [cohort, list(open_now)], ("park_id", "tier"), (*facts.TICKET.counts, *OPEN_COUNTS)
    )


def department_ticket_cells(period, now, dirty) -> dict[int, dict]:
    """Per department: the tickets whistled to it (one whistle per ticket and department) plus
    those given it only through a meeting action item, and its whistles' own deadlines: four
    rollup reads, and three queries over what is open now."""
    from . import facts, rollup

    open_tickets = open_conditions(now, prefix="ticket__")
    whistles_open = (
        Whistle.objects.filter(ticket__status=Ticket.Status.OPEN)
        .values("department_id")
        .annotate(**{name: Count("id", filter=q) for name, q in open_tickets.items()})
        .order_by()
    )
    actions_open = (
        facts.action_only()
        .filter(ticket__status=Ticket.Status.OPEN)
        .values("department_id")
        .annotate(**{name: Count("ticket_id", distinct=True, filter=q) for name, q in open_tickets.items()})
        .order_by()
    )
    pending = (
        Whistle.objects.filter(status__in=Whistle.PENDING)
        .values("department_id")
        .annotate(pending_overdue=Count("id", filter=whistle_pending_overdue(now)))
        .order_by()
    )
    names = (*TICKET_COUNTS, *WHISTLE_COUNTS)
    parts = [
        rollup.read(facts.DEPT_TICKET, period, dirty, now),
        rollup.read(facts.WHISTLE, period, dirty, now),
        rollup.read(facts.NOTICE, period, dirty, now),
        list(whistles_open),
        list(actions_open),
        list(pending),
    ]
    cells = {}
    for part in parts:
        for row in part:
            cell = cells.setdefault(row["department_id"], dict.fromkeys(names, 0))
            for name in names:
                cell[name] += row.get(name) or 0
    return cells


def department_totals(cell: dict | None) -> dict:
    totals = {name: (cell or {}).get(name, 0) for name in [*TICKET_COUNTS, *WHISTLE_COUNTS]}
    totals = with_rates(totals)
    totals["report_on_time_rate"] = rate(totals["reported_on_time"], totals["report_due"])
    totals["answer_on_time_rate"] = rate(totals["answered_on_time"], totals["answer_due"])
    return totals


def ticket_weeks(scope, period, now, dirty) -> list[dict]:
    """Received and resolved per week of the period (resolved counted in the week it was
    resolved), for the tickets the scope counts: two rollup reads."""
    from . import facts, rollup

    if scope.department is not None:
        received_fact, resolved_fact = facts.DEPT_TICKET, facts.DEPT_TICKET_RESOLVED
        where = {"department_id": {scope.department.pk}}
    else:
        received_fact, resolved_fact = facts.TICKET, facts.TICKET_RESOLVED
        where = {"park_id": {scope.park.pk}} if scope.park is not None else {}
    weeks = {monday: {"week": monday.isoformat(), "received": 0, "resolved": 0} for monday in period.weeks()}
    for fact, name in ((received_fact, "received"), (resolved_fact, "resolved")):
        for row in rollup.read(fact, period, dirty, now, by=("day",), where=where):
            monday = row["day"] - timedelta(days=row["day"].weekday())
            weeks[monday][name] += row[name]
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
