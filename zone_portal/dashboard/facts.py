"""What the dashboard counts, fact by fact, as grouped counts per local day.

A **fact** is one grouped count over one kind of case, anchored on one of its date-times: tickets by
the day they were received, requests by the day they were filed, and again by the day they were
closed, and so on. `Fact.cells(days, now)` answers, for each day and each key (park, tier, service…),
how many cases of that day meet each of the fact's conditions. Those conditions depend only on the
case as it stands, never on the period asked for, so a day's counts can be summed into any period:
rollup.py keeps them per day in `DailyCount` and reads days whose cases changed since live, with the
very same `cells`.

What depends on the clock instead ("overdue now", "open now") is not a fact: the selectors count it
live over the open cases, which the partial indexes keep small. The one exception are the whistled
departments' deadlines ("report due" = its deadline has passed): a whistle's day records, in
`stale_after`, the next of its deadlines still to come, and is read live once that moment passes.

The definitions are those of the modules that read them (tickets.py, selectors.py) and of the
feedback app (`feedback.selectors.ticket_stats`); a test checks rollup and live agree.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Case, Count, Exists, F, IntegerField, Min, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from feedback.models import ActionItem, Ticket, Whistle
from services.models import RequestStatus, ServiceRequest
from zone_portal.ratings.models import Rating
from zone_portal.ratings.selectors import rated
from zone_portal.worktime.calendar import ZONE

from . import tickets
from .workclock import handling_cells


class Kind:
    """How a request row counts: a standalone filing, a bundle filing, or an item of a bundle."""

    SINGLE = 0
    BUNDLE = 1
    ITEM = 2


def kind_expression():
    return Case(
        When(parent__isnull=False, then=Value(Kind.ITEM)),
        When(is_bundle=True, then=Value(Kind.BUNDLE)),
        default=Value(Kind.SINGLE),
        output_field=IntegerField(),
    )


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZONE)


def day_runs(days: Iterable[date]) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) runs: [1, 2, 3, 7] → [(1, 3), (7, 7)]."""
    runs: list[list[date]] = []
    for day in sorted(set(days)):
        if runs and (day - runs[-1][1]).days == 1:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return [(first, last) for first, last in runs]


def days_q(anchor: str, days: Iterable[date]) -> Q:
    """The rows whose anchor falls on one of `days` (local dates): one index range per run of days."""
    condition = Q(pk__in=[])  # no day: no row
    for first, last in day_runs(days):
        condition |= Q(
            **{f"{anchor}__gte": day_start(first), f"{anchor}__lt": day_start(last + timedelta(1))}
        )
    return condition


def _day_filter(qs: QuerySet, anchor: str, days: Iterable[date] | None) -> QuerySet:
    """The rows whose anchor falls on one of `days`; None: every row."""
    return qs if days is None else qs.filter(days_q(anchor, days))


@dataclass(frozen=True)
class Fact:
    """One grouped count (see the module's docstring).

    `source()` gives the rows with every key available under its name; `conditions(now)` maps each
    count to the condition a row must meet (None: every row of the day); `stale(now)` optionally
    gives aggregates whose smallest value is the moment the counts would change by themselves.
    """

    name: str
    anchor: str
    keys: tuple[str, ...]
    source: Callable[[], QuerySet]
    conditions: Callable[[datetime], dict]
    counted: str = "pk"
    distinct: bool = False
    stale: Callable[[datetime], dict] | None = None

    @property
    def counts(self) -> tuple[str, ...]:
        return tuple(self.conditions(datetime.min).keys())

    def cells(self, days: Iterable[date] | None, now: datetime) -> list[dict]:
        qs = self.source().annotate(day=TruncDate(self.anchor, tzinfo=ZONE))
        qs = _day_filter(qs, self.anchor, days)
        aggregates = {
            name: Count(self.counted, filter=condition, distinct=self.distinct)
            for name, condition in self.conditions(now).items()
        }
        stale = self.stale(now) if self.stale else {}
        rows = list(qs.values("day", *self.keys).annotate(**aggregates, **stale).order_by())
        for row in rows:
            moments = [row.pop(name) for name in stale]
            row["stale_after"] = min((m for m in moments if m is not None), default=None)
        return rows


@dataclass(frozen=True)
class FactUnion:
    """One fact counted from several sources whose rows never overlap (summed per day and key)."""

    name: str
    keys: tuple[str, ...]
    parts: tuple[Fact, ...]

    @property
    def counts(self) -> tuple[str, ...]:
        return self.parts[0].counts

    def cells(self, days, now) -> list[dict]:
        return merge_cells((part.cells(days, now) for part in self.parts), ("day", *self.keys), self.counts)


@dataclass(frozen=True)
class HandlingFact:
    """Completed requests by closing day and key, and by their handling time in whole working
    minutes (`minutes` is the last key): the medians are read from these histograms."""

    name: str
    keys: tuple[str, ...] = ("service_id", "department_id", "park_id", "kind", "minutes")
    counts: tuple[str, ...] = ("n",)
    anchor: str = "closed_at"

    def cells(self, days, now) -> list[dict]:
        days = sorted(set(days)) if days is not None else None
        rows = _day_filter(_completed_requests(), "closed_at", days)
        return handling_cells(rows, keys=self.keys[:-1], days=days)


def merge_cells(sources: Iterable[list[dict]], keys: tuple[str, ...], counts: tuple[str, ...]) -> list[dict]:
    """Sum the counts of cells that share `keys` (stale_after: the earliest)."""
    merged: dict[tuple, dict] = {}
    for cells in sources:
        for cell in cells:
            key = tuple(cell[k] for k in keys)
            into = merged.get(key)
            if into is None:
                merged[key] = {**{k: cell[k] for k in keys}, **{c: cell.get(c) or 0 for c in counts}}
                merged[key]["stale_after"] = cell.get("stale_after")
                continue
            for c in counts:
                into[c] += cell.get(c) or 0
            stale = [m for m in (into.get("stale_after"), cell.get("stale_after")) if m is not None]
            into["stale_after"] = min(stale, default=None)
    return list(merged.values())


# --------------------------------------------------------------------------------------------------
# The facts


def _requests():
    return ServiceRequest.objects.annotate(kind=kind_expression(), park_id=F("enterprise__park_id"))


def _completed_requests():
    return _requests().filter(
        status=RequestStatus.COMPLETED, accepted_at__isnull=False, closed_at__isnull=False
    )


def request_filed_state() -> dict:
    """What counts of a request on the day it was filed (None: every request)."""
    return {"submitted": None, "agency": Q(agent__isnull=False)}


def request_closed_state() -> dict:
    """What counts of a request on the day it was closed, as it stands now."""
    completed = Q(status=RequestStatus.COMPLETED)
    return {
        "completed": completed,
        "on_time": completed & Q(closed_at__lte=F("due_at")),
        "late": completed & Q(closed_at__gt=F("due_at")),
        "rated": completed & Q(rated(ServiceRequest)),  # one index probe per row
        "rejected": Q(status=RequestStatus.REJECTED),
    }


def _ticket_conditions(now):
    state = tickets.ticket_state()
    with_project = Q(project__isnull=False)
    return {**state, "with_project": with_project, "project_resolved": with_project & state["resolved"]}


def _whistle_conditions(now):
    conditions = tickets.whistle_state(now)
    return {name: conditions[name] for name in WHISTLE_COUNTS}


WHISTLE_COUNTS = ("whistled", "report_due", "reported_on_time", "answer_due", "answered_on_time")


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


def _scores(now):
    from .selectors import SCORES

    return {f"score_{s}": Q(score=s) for s in SCORES}


def _dept_ticket_parts(name: str, anchor: str, conditions, only: Q | None = None) -> tuple[Fact, ...]:
    only = only or Q()
    return (
        Fact(
            name=name,
            anchor=f"ticket__{anchor}",
            keys=("department_id",),
            source=lambda: Whistle.objects.filter(only),
            conditions=conditions("ticket__"),
        ),
        Fact(
            name=name,
            anchor=f"ticket__{anchor}",
            keys=("department_id",),
            source=lambda: action_only().filter(only),
            conditions=conditions("ticket__"),
            counted="ticket_id",
            distinct=True,
        ),
    )


def _everything(name):
    return lambda now: {name: None}


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
    source=lambda: Ticket.objects.filter(status__in=tickets.DONE),
    conditions=_everything("resolved"),
)
DEPT_TICKET = FactUnion(
    name="dept_ticket",
    keys=("department_id",),
    parts=_dept_ticket_parts(
        "dept_ticket", "created_at", lambda prefix: lambda now: tickets.ticket_state(prefix)
    ),
)
DEPT_TICKET_RESOLVED = FactUnion(
    name="dept_ticket_resolved",
    keys=("department_id",),
    parts=_dept_ticket_parts(
        "dept_ticket_resolved",
        "resolved_at",
        lambda prefix: _everything("resolved"),
        only=Q(ticket__status__in=tickets.DONE),
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
    conditions=_everything("noticed"),
)
REQUEST_KEYS = ("service_id", "department_id", "park_id", "kind")
REQUEST_SUBMITTED = Fact(
    name="request_submitted",
    anchor="submitted_at",
    keys=REQUEST_KEYS,
    source=_requests,
    conditions=lambda now: request_filed_state(),
)
REQUEST_CLOSED = Fact(
    name="request_closed",
    anchor="closed_at",
    keys=REQUEST_KEYS,
    source=lambda: _requests().filter(status__in=(RequestStatus.COMPLETED, RequestStatus.REJECTED)),
    conditions=lambda now: request_closed_state(),
)
HANDLING = HandlingFact(name="handling")
RATING = Fact(
    name="rating",
    anchor="created_at",
    keys=("handler_department_id", "park_id"),
    source=lambda: Rating.objects.annotate(park_id=F("enterprise__park_id")),
    conditions=_scores,
)

FACTS = {
    fact.name: fact
    for fact in (
        TICKET,
        TICKET_RESOLVED,
        DEPT_TICKET,
        DEPT_TICKET_RESOLVED,
        WHISTLE,
        NOTICE,
        REQUEST_SUBMITTED,
        REQUEST_CLOSED,
        HANDLING,
        RATING,
    )
}


@dataclass
class ChangedDays:
    """Days to recompute, per fact, gathered from the cases that changed."""

    days: dict[str, set[date]] = field(default_factory=lambda: defaultdict(set))

    def add(self, names: Iterable[str], *moments) -> None:
        for moment in moments:
            if moment is not None:
                day = timezone.localtime(moment, ZONE).date()
                for name in names:
                    self.days[name].add(day)


TICKET_FACTS = ("ticket", "dept_ticket")
RESOLVED_FACTS = ("ticket_resolved", "dept_ticket_resolved")
REQUEST_FACTS = ("request_closed", "handling")


def touched_days(since: datetime) -> ChangedDays:
    """The days each fact must recompute because a case changed after `since` (seven queries).

    A ticket names its received, resolved and closed days; a whistle or meeting action item its
    ticket's days and its own; a rating its own day and its case's closing day. (A reopened
    ticket's earlier resolved day is gone from the row: rollup.py marks it before the save.)
    """
    touched = ChangedDays()
    new_ratings = Rating.objects.filter(updated_at__gt=since)
    tickets_changed = Ticket.objects.filter(updated_at__gt=since)
    tickets_rated = Ticket.objects.filter(
        pk__in=new_ratings.filter(content_type__app_label="feedback", content_type__model="ticket").values(
            "object_id"
        )
    )
    for rows in (tickets_changed, tickets_rated):
        for created, resolved in rows.values_list("created_at", "resolved_at"):
            touched.add(TICKET_FACTS, created)
            touched.add(RESOLVED_FACTS, resolved)
    for created, resolved, whistled, noticed in Whistle.objects.filter(updated_at__gt=since).values_list(
        "ticket__created_at", "ticket__resolved_at", "whistled_at", "noticed_at"
    ):
        touched.add(("dept_ticket",), created)
        touched.add(("dept_ticket_resolved",), resolved)
        touched.add(("whistle",), whistled)
        touched.add(("notice",), noticed)
    for created, resolved in ActionItem.objects.filter(updated_at__gt=since).values_list(
        "ticket__created_at", "ticket__resolved_at"
    ):
        touched.add(("dept_ticket",), created)
        touched.add(("dept_ticket_resolved",), resolved)
    requests_rated = ServiceRequest.objects.filter(
        pk__in=new_ratings.filter(
            content_type__app_label="services", content_type__model="servicerequest"
        ).values("object_id")
    )
    for rows in (ServiceRequest.objects.filter(updated_at__gt=since), requests_rated):
        for submitted, closed in rows.values_list("submitted_at", "closed_at"):
            touched.add(("request_submitted",), submitted)
            touched.add(REQUEST_FACTS, closed)
    for (created,) in new_ratings.values_list("created_at"):
        touched.add(("rating",), created)
    return touched
