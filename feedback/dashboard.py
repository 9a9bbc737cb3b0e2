"""What the problems (诉求) count on the dashboards: their facts, their section, their columns of the
comparisons, the whistled departments' part of the scoreboard, their drill-downs, and the project
difficulties added to the key projects' section. Imported by the dashboard's AppConfig.

The definitions are this app's (`feedback.selectors.ticket_stats`): the cohort is the tickets
received in the period; resolved (办结) = resolved, closed or closed unconfirmed; resolution
rate = resolved ÷ received; on time = resolved without ever passing a deadline, ÷ resolved; response
rate = first response given ÷ received; solution rate = confirmed solved ÷ finished; satisfaction =
rated 3 or better ÷ rated; overdue now = open past the current deadline, whenever received.

`ticket_stats` answers one scope in two queries; the dashboard also compares every park and every
department, so it reads the same definitions grouped: tickets by (park, tier), whistles and meeting
action items by department — the cohorts from the daily rollups, what is open now from the open
tickets, whatever the number of tickets, parks or departments. A test checks that both give the
same numbers.

A whistle's counts change by themselves when one of its deadlines passes ("report due"): it
records, in `stale_after`, the next of its deadlines still to come, and counts as changed once
that moment passes.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, F, Min, OuterRef, Q
from django.db.models.signals import pre_delete
from django.utils.translation import gettext_lazy as _

from zone_portal.dashboard import rollup
from zone_portal.dashboard.drilldown import Metric, Source, drilldown_register
from zone_portal.dashboard.exports import rate_cell
from zone_portal.dashboard.facts import (
    Fact,
    FactUnion,
    changes_register,
    counts_sum,
    everything,
    fact_register,
    merge_cells,
)
from zone_portal.dashboard.parts import Part, Weight, part_register
from zone_portal.dashboard.rates import rate
from zone_portal.dashboard.scope import Scope
from zone_portal.dashboard.weeks import WeeklyTrend
from zone_portal.ratings.dashboard import rating_deletions_mark, ratings_changed
from zone_portal.ratings.selectors import rated

from .models import ActionItem, Ticket, Whistle
from .selectors import DONE, FINISHED

# --------------------------------------------------------------------------------------------------
# Definitions

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

    received = period.at_times(f"{prefix}created_at")
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
    whistled = period.at_times("whistled_at")
    conditions = {
        name: whistled if state is None else whistled & state for name, state in whistle_state(now).items()
    }
    conditions["noticed"] = period.at_times("noticed_at")
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


def ticket_cells(period, now, dirty) -> list[dict]:
    """Tickets grouped by (park, tier), with the project difficulties (问题 of key projects) counted
    apart: the cohort received in the period (rollups) and the open ones now (one query)."""
    cohort = rollup.read(TICKET, period, dirty, now)
    open_now = (
        Ticket.objects.filter(status=Ticket.Status.OPEN)
        .values("park_id", "tier")
        .annotate(**{name: Count("id", filter=q) for name, q in open_conditions(now).items()})
        .order_by()
    )
    return merge_cells([cohort, list(open_now)], ("park_id", "tier"), (*TICKET.counts, *OPEN_COUNTS))


def department_ticket_cells(period, now, dirty) -> dict[int, dict]:
    """Per department: the tickets whistled to it (one whistle per ticket and department) plus
    those given it only through a meeting action item, and its whistles' own deadlines: four
    rollup reads, and three queries over what is open now."""
    open_tickets = open_conditions(now, prefix="ticket__")
    whistles_open = (
        Whistle.objects.filter(ticket__status=Ticket.Status.OPEN)
        .values("department_id")
        .annotate(**{name: Count("id", filter=q) for name, q in open_tickets.items()})
        .order_by()
    )
    actions_open = (
        action_only()
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
    parts = [
        rollup.read(DEPT_TICKET, period, dirty, now),
        rollup.read(WHISTLE, period, dirty, now),
        rollup.read(NOTICE, period, dirty, now),
        list(whistles_open),
        list(actions_open),
        list(pending),
    ]
    cells = merge_cells(parts, ("department_id",), (*TICKET_COUNTS, *WHISTLE_COUNTS))
    return {cell["department_id"]: cell for cell in cells}


def department_totals(cell: dict | None) -> dict:
    totals = {name: (cell or {}).get(name, 0) for name in [*TICKET_COUNTS, *WHISTLE_COUNTS]}
    totals = with_rates(totals)
    totals["report_on_time_rate"] = rate(totals["reported_on_time"], totals["report_due"])
    totals["answer_on_time_rate"] = rate(totals["answered_on_time"], totals["answer_due"])
    return totals


def ticket_weeks(scope, period, now, dirty) -> list[dict]:
    """Received and resolved per week of the period (resolved counted in the week it was
    resolved), for the tickets the scope counts: two rollup reads."""
    if scope.department is not None:
        received_fact, resolved_fact = DEPT_TICKET, DEPT_TICKET_RESOLVED
        where = {"department_id": {scope.department.pk}}
    else:
        received_fact, resolved_fact = TICKET, TICKET_RESOLVED
        where = {"park_id": {scope.park.pk}} if scope.park is not None else {}
    return rollup.weekly(
        ((received_fact, "received"), (resolved_fact, "resolved")), period, dirty, now, where=where
    )


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
        figures = with_rates(counts_sum(mine, TICKET_COUNTS))
    return figures


def by_park_rows(cells, park_id) -> dict:
    return with_rates(counts_sum([c for c in cells if c["park_id"] == park_id], TICKET_COUNTS))


def project_difficulties(cells, park_id=None) -> dict:
    mine = [c for c in cells if park_id is None or c["park_id"] == park_id]
    received = sum(c["with_project"] for c in mine)
    resolved = sum(c["project_resolved"] for c in mine)
    return {"received": received, "resolved": resolved, "rate": rate(resolved, received)}


# --------------------------------------------------------------------------------------------------
# Facts


def _ticket_conditions(now):
    state = ticket_state()
    with_project = Q(project__isnull=False)
    return {**state, "with_project": with_project, "project_resolved": with_project & state["resolved"]}


def _whistle_conditions(now):
    conditions = whistle_state(now)
    return {name: conditions[name] for name in WHISTLE_FACT_COUNTS}


WHISTLE_FACT_COUNTS = ("whistled", "report_due", "reported_on_time", "answer_due", "answered_on_time")


def _whistle_stale(now):
    """The next report or answer deadline still to come, among the whistles still owing one."""
    live = ~Q(status=Whistle.Status.CANCELLED)
    return {
        "next_report_due": Min("report_due_at", filter=live & Q(report_due_at__gte=now)),
        "next_answer_due": Min(
            "answer_due_at", filter=live & ~Q(status=Whistle.Status.RETURNED) & Q(answer_due_at__gte=now)
        ),
    }


def action_only():
    """Meeting action items of a department that was not whistled to the same ticket."""
    return ActionItem.objects.exclude(
        Exists(Whistle.objects.filter(ticket=OuterRef("ticket"), department=OuterRef("department")))
    )


def _dept_ticket_parts(name: str, anchor: str, conditions, only: Q | None = None) -> tuple[Fact, ...]:
    only = only or Q()
    return (
        Fact(
            name=name,
            anchor=f"ticket__{anchor}",
            keys=("department_id",),
            source=lambda: Whistle.objects.filter(only),
            conditions=conditions("ticket__"),
            unit="ticket_id",  # a ticket's change (status, rating) recounts its departments
        ),
        Fact(
            name=name,
            anchor=f"ticket__{anchor}",
            keys=("department_id",),
            source=lambda: action_only().filter(only),
            conditions=conditions("ticket__"),
            counted="ticket_id",
            distinct=True,
            unit="ticket_id",
        ),
    )


TICKET = Fact(
    name="ticket",
    anchor="created_at",
    keys=("park_id", "tier"),
    source=Ticket.objects.all,
    conditions=_ticket_conditions,
)
TICKET_RESOLVED = Fact(
    name="ticket_resolved",
    anchor="resolved_at",
    keys=("park_id",),
    source=lambda: Ticket.objects.filter(status__in=DONE),
    conditions=everything("resolved"),
)
DEPT_TICKET = FactUnion(
    name="dept_ticket",
    keys=("department_id",),
    parts=_dept_ticket_parts("dept_ticket", "created_at", lambda prefix: lambda now: ticket_state(prefix)),
)
DEPT_TICKET_RESOLVED = FactUnion(
    name="dept_ticket_resolved",
    keys=("department_id",),
    parts=_dept_ticket_parts(
        "dept_ticket_resolved",
        "resolved_at",
        lambda prefix: everything("resolved"),
        only=Q(ticket__status__in=DONE),
    ),
)
WHISTLE = Fact(
    name="whistle",
    anchor="whistled_at",
    keys=("department_id",),
    source=Whistle.objects.all,
    conditions=_whistle_conditions,
    stale=_whistle_stale,
)
NOTICE = Fact(
    name="notice",
    anchor="noticed_at",
    keys=("department_id",),
    source=lambda: Whistle.objects.filter(noticed_at__isnull=False),
    conditions=everything("noticed"),
)


TICKET_FACTS = ("ticket", "dept_ticket", "ticket_resolved", "dept_ticket_resolved")
DEPARTMENT_FACTS = ("dept_ticket", "dept_ticket_resolved")  # their case: the ticket
WHISTLE_FACTS = ("whistle", "notice")  # their case: the whistle


def _touched(since, touched) -> None:
    """The cases changed after `since` (four queries): tickets changed or rated; a whistle or a
    meeting action item changes its ticket's department counts, and a whistle its own."""
    touched.add(TICKET_FACTS, *Ticket.objects.filter(updated_at__gt=since).values_list("pk", flat=True))
    touched.add(TICKET_FACTS, *ratings_changed(Ticket, since).values_list("object_id", flat=True))
    for pk, ticket in Whistle.objects.filter(updated_at__gt=since).values_list("pk", "ticket_id"):
        touched.add(DEPARTMENT_FACTS, ticket)
        touched.add(WHISTLE_FACTS, pk)
    touched.add(
        DEPARTMENT_FACTS, *ActionItem.objects.filter(updated_at__gt=since).values_list("ticket_id", flat=True)
    )


# What no `updated_at` tells: a case deleted (a rating deleted: `rating_deletions_mark` below).


def _ticket_deleting(sender, instance, **kwargs):
    rollup.mark(TICKET_FACTS, instance.pk)


def _ticket_part_deleting(sender, instance, **kwargs):
    """A whistle or a meeting action item: its ticket's department counts, and a whistle's own."""
    rollup.mark(DEPARTMENT_FACTS, instance.ticket_id)
    if isinstance(instance, Whistle):
        rollup.mark(WHISTLE_FACTS, instance.pk)


# --------------------------------------------------------------------------------------------------
# The part


@dataclass(frozen=True)
class TicketRows:
    cells: list  # tickets by (park, tier): the cohort and what is open now
    departments: dict  # per department (when the comparison asks)


def _read(period, now, dirty, *, departments=True) -> TicketRows:
    return TicketRows(
        cells=ticket_cells(period, now, dirty),
        departments=department_ticket_cells(period, now, dirty) if departments else {},
    )


def _figures(scope, reading) -> dict:
    rows = reading.rows["tickets"]
    problems = ticket_figures(scope, reading.period, rows.cells, rows.departments)
    problems["by_week"] = ticket_weeks(scope, reading.period, reading.now, reading.dirty)
    return problems


def _park_columns(park_id, reading) -> tuple[dict, bool]:
    problems = by_park_rows(reading.rows["tickets"].cells, park_id)
    columns = {
        "tickets_received": problems["received"],
        "tickets_resolved": problems["resolved"],
        "resolution_rate": problems["resolution_rate"],
        "tickets_on_time_rate": problems["on_time_rate"],
        "tickets_overdue": problems["overdue_now"],
    }
    return columns, bool(problems["received"] or problems["open_now"])


def _department_columns(department_id, reading) -> tuple[dict, dict, bool]:
    problems = department_totals(reading.rows["tickets"].departments.get(department_id))
    columns = {
        "tickets_received": problems["received"],
        "tickets_resolved": problems["resolved"],
        "resolution_rate": problems["resolution_rate"],
        "whistled": problems["whistled"],
        "report_on_time_rate": problems["report_on_time_rate"],
        "answer_on_time_rate": problems["answer_on_time_rate"],
        "whistles_overdue": problems["pending_overdue"],
        "noticed": problems["noticed"],
    }
    rates = {
        "whistle_report_on_time": problems["report_on_time_rate"],
        "whistle_answer_on_time": problems["answer_on_time_rate"],
    }
    return columns, rates, bool(problems["received"] or problems["whistled"] or problems["pending_overdue"])


def _public(reading) -> dict:
    problems = ticket_figures(Scope(), reading.period, reading.rows["tickets"].cells, {})
    return {
        "received": problems["received"],
        "resolved": problems["resolved"],
        "resolution_rate": problems["resolution_rate"],
        "on_time_rate": problems["on_time_rate"],
        "response_rate": problems["response_rate"],
        "satisfaction_rate": problems["satisfaction_rate"],
    }


def _headline(scope, period, now, dirty) -> dict:
    if scope.department is not None:
        fact, where = DEPT_TICKET, {"department_id": {scope.department.pk}}
    else:
        fact, where = TICKET, {"park_id": {scope.park.pk}} if scope.park else {}
    cohort = rollup.totals(fact, ("received", "resolved"), period, dirty, now, where=where)
    overdue = open_conditions(now)["overdue_now"]
    problems = {**cohort, "overdue_now": tickets_in_scope(scope).filter(overdue).count()}
    problems["resolution_rate"] = rate(problems["resolved"], problems["received"])
    return {"tickets": problems}


def _complete(scope, reading, summary) -> None:
    """The key projects' difficulties are the problems raised on a project."""
    if summary.get("projects") is not None:
        summary["projects"]["difficulties"] = project_difficulties(
            reading.rows["tickets"].cells, scope.park.pk if scope.park else None
        )


# --------------------------------------------------------------------------------------------------
# Drill-downs


def _ticket_rows(metric, scope, period, *, now, tier=None, project=False, without_park=False, **filters):
    qs = tickets_in_scope(scope).filter(ticket_conditions(period, now)[metric.condition])
    if tier is not None:
        qs = qs.filter(tier=tier)
    if project:
        qs = qs.filter(project__isnull=False)
    if without_park and scope.kind == "zone":
        qs = qs.filter(park__isnull=True)
    return qs.select_related("enterprise", "park", "owner").order_by("due_at", "-created_at", "-id")


def _whistle_rows(metric, scope, period, *, now, **filters):
    qs = Whistle.objects.filter(whistle_conditions(period, now)[metric.condition])
    qs = scope.narrow(qs, department="department", park="ticket__park")
    return qs.select_related("ticket", "department").order_by("-whistled_at", "-id")


METRICS = {
    "tickets-received": Metric(_("Problems received"), "tickets", "received"),
    "tickets-resolved": Metric(_("Problems resolved"), "tickets", "resolved"),
    "tickets-unresolved": Metric(_("Problems received and not resolved"), "tickets", "unresolved"),
    "tickets-late": Metric(_("Problems resolved after a deadline passed"), "tickets", "late"),
    "tickets-not-responded": Metric(_("Problems without a first response"), "tickets", "not_responded"),
    "tickets-unsatisfied": Metric(_("Problems rated below basically satisfied"), "tickets", "unsatisfied"),
    "tickets-reopened": Metric(_("Problems reopened"), "tickets", "reopened"),
    "tickets-overdue": Metric(_("Problems overdue now"), "tickets", "overdue_now"),
    "tickets-open": Metric(_("Problems open now"), "tickets", "open_now"),
    "whistles": Metric(_("Whistles to departments"), "whistles", "whistled"),
    "whistles-reported-late": Metric(_("Whistles reported late"), "whistles", "reported_late"),
    "whistles-answered-late": Metric(_("Whistles answered late"), "whistles", "answered_late"),
    "whistles-noticed": Metric(_("Whistles under public notice"), "whistles", "noticed"),
    "whistles-overdue": Metric(_("Whistles overdue now"), "whistles", "pending_overdue"),
}


# --------------------------------------------------------------------------------------------------
# The page's chart and rates, the export's rows and sheet


# The page's chart of the weeks, its table and the export's sheet (`ticket_weeks`' counts).
TREND = WeeklyTrend(
    part="tickets",
    chart="ticket_trend",
    title=_("Problems received and resolved by week"),
    sheet_title=_("Problems by week"),
    series=((_("Received"), "received"), (_("Resolved"), "resolved")),
)


def _rates(problems) -> list[tuple]:
    """First on the rates chart; the resolution rate leaves place 11 for the start-up bundles'."""
    return [
        (10, _("Resolution rate (办结率)"), problems["resolution_rate"], "tickets-unresolved"),
        (12, _("Problems resolved on time"), problems["on_time_rate"], "tickets-late"),
        (12, _("Response rate (响应率)"), problems["response_rate"], "tickets-not-responded"),
        (12, _("Solution rate (解决率)"), problems["solution_rate"], "tickets-resolved"),
        (12, _("Satisfaction rate (满意率)"), problems["satisfaction_rate"], "tickets-unsatisfied"),
    ]


def _overview(problems, scope) -> list[tuple]:
    """First in the export's overview; a department's whistles last (after the ratings' rows)."""
    rows = [
        (_("Problems received"), problems["received"]),
        (_("Problems resolved"), problems["resolved"]),
        (_("Resolution rate (办结率)"), rate_cell(problems["resolution_rate"])),
        (_("Problems resolved on time"), rate_cell(problems["on_time_rate"])),
        (_("Response rate (响应率)"), rate_cell(problems["response_rate"])),
        (_("Solution rate (解决率)"), rate_cell(problems["solution_rate"])),
        (_("Satisfaction rate (满意率)"), rate_cell(problems["satisfaction_rate"])),
        (_("Reopened"), problems["reopened"]),
        (_("Problems overdue now"), problems["overdue"]),
        *[
            (_("Problems overdue now, tier %(tier)s") % {"tier": tier}, n)
            for tier, n in problems["overdue_by_tier"].items()
        ],
    ]
    whistles = []
    if scope.department is not None:
        whistles = [
            (_("Whistled"), problems["whistled"]),
            (_("Reported on time"), rate_cell(problems["report_on_time_rate"])),
            (_("Answered on time"), rate_cell(problems["answer_on_time_rate"])),
            (_("Whistles overdue now"), problems["pending_overdue"]),
            (_("Public notices (通报)"), problems["noticed"]),
        ]
    return [(10, *row) for row in rows] + [(39, *row) for row in whistles]


def _sheets(problems) -> list[tuple]:
    return [TREND.sheet(10, problems)]


# --------------------------------------------------------------------------------------------------
# Registration

fact_register(TICKET, TICKET_RESOLVED, DEPT_TICKET, DEPT_TICKET_RESOLVED, WHISTLE, NOTICE)
changes_register(_touched)
pre_delete.connect(_ticket_deleting, sender=Ticket, dispatch_uid="rollup_ticket_deleting")
pre_delete.connect(_ticket_part_deleting, sender=Whistle, dispatch_uid="rollup_whistle_deleting")
pre_delete.connect(_ticket_part_deleting, sender=ActionItem, dispatch_uid="rollup_action_deleting")
# A ticket's rating: the ticket counts as rated on the day it was received.
rating_deletions_mark(Ticket, TICKET_FACTS)
part_register(
    Part(
        name="tickets",
        order=10,
        template="feedback/_dashboard.html",
        read=_read,
        figures=_figures,
        park_columns=_park_columns,
        department_columns=_department_columns,
        weights={
            "whistle_report_on_time": Weight(20, _("whistles reported on time")),
            "whistle_answer_on_time": Weight(20, _("whistles answered on time")),
        },
        public=_public,
        headline=_headline,
        complete=_complete,
        page=TREND.page,
        rates=_rates,
        overview=_overview,
        sheets=_sheets,
    )
)
drilldown_register(
    {
        "tickets": Source(_ticket_rows, "feedback/_drill_tickets.html"),
        "whistles": Source(_whistle_rows, "feedback/_drill_whistles.html"),
    },
    METRICS,
)
