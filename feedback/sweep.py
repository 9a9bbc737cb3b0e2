"""The deadline sweep: reconcile the tickets with the clock, set-based and exactly once.

Every deadline is a column and so is every "already done" mark (`*_reminded_at`, `*_overdue_at`,
`noticed_at`, a tier change). Each kind of change is one step, run in its own transaction on the
cases' sweep step (`zone_portal.cases.sweep`):

1. one conditional `UPDATE … WHERE <deadline> <= now AND <mark> IS NULL … RETURNING id` claims the
   rows (`sweep_claim`, over a partial index, so a sweep with nothing due reads empty index
   ranges; it stamps `updated_at`); statuses come from the models' transition tables;
2. for the claimed ids only, `INSERT … SELECT` writes what follows from the change: whistles for
   the category's default departments, agenda items, and through the foundation's writers
   (`events_record_from_sql`, `notify_from_sql`) events and notifications, all keyed by
   `zone_portal.cases.keys` under unique constraints (`ON CONFLICT DO NOTHING`).

Why this is exactly once: two sweeps at once both run the UPDATE, the second waits for the first's
row locks and then re-checks its WHERE against the committed row, which no longer matches (READ
COMMITTED); a crash inside a step rolls the whole step back, claim included, and the next run
does it again; a crash between steps leaves the finished steps committed and marked. The number
of statements depends on the steps that found work, never on how many rows they found.

What it costs (see the README's benchmark): the written rows themselves, each with its indexes
and, at COMMIT, its deferred foreign-key checks. So the statements read no more than they must: the
claimed ids come back as one array literal (not thousands of constants to plan) in `= ANY(…)`,
each source carries the ticket columns its audiences need (no audience joins the tickets again),
the new holder of a climbing ticket comes from a per-park CTE computed once, and the references
that are empty on most written rows are indexed only where set (`models.py`).

The SQL is portable between PostgreSQL and SQLite ≥ 3.35 (RETURNING, ON CONFLICT, CTEs); the only
dialect differences are in `_Sql.ids` and `_Sql.json`. An automatic climb enters the next tier as
`ticket_escalate` does: the columns of `tiers.tier_entry` and the holder of `tiers.park_holders`.
"""

import functools
import json
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, F, Value, When
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone, translation

from enterprises.models import EnterpriseMembership
from zone_portal.cases.keys import dedupe_key_sql
from zone_portal.cases.sweep import sweep_claim, sweep_claim_compiled
from zone_portal.cases.transitions import transition_q
from zone_portal.events.log import events_record_from_sql
from zone_portal.notifications.actions import notify_from_sql, recipient_key_sql
from zone_portal.notifications.messages import message_render
from zone_portal.org.models import Department

from . import notices
from .audiences import (
    ADMINISTRATORS,
    DEPARTMENT_OFFICERS,
    PARK_DIRECTORS,
    PARK_LEADERS,
    SUPERIORS,
    directors_hold_sql,
)
from .deadlines import Policies, whistle_columns
from .models import (
    ActionItem,
    AgendaItem,
    CategoryDepartment,
    EventKind,
    JointMeeting,
    Ticket,
    Tier,
    Whistle,
)
from .tiers import park_holders, tier_entry, zone_holder


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


class _Sql:
    """Table names, the sweep's clock, and the few dialect differences."""

    def __init__(self, now: datetime):
        self.now = now
        self.pg = connection.vendor == "postgresql"
        self.ticket = _table(Ticket)
        self.whistle = _table(Whistle)
        self.item = _table(ActionItem)
        self.agenda = _table(AgendaItem)
        self.meeting = _table(JointMeeting)
        self.cat_dept = _table(CategoryDepartment)
        self.department = _table(Department)
        self.membership = _table(EnterpriseMembership)
        self.url_prefix = reverse("feedback:list")
        self._policies = None

    @property
    def policies(self) -> Policies:
        if self._policies is None:
            self._policies = Policies()
        return self._policies

    def ts(self, value):
        return connection.ops.adapt_datetimefield_value(value)

    def ids(self, column: str, ids: list[int]) -> tuple[str, list]:
        """`column` is one of `ids`, with one parameter however many ids there are.

        On PostgreSQL the ids travel as one array literal: a Python list would become `ARRAY[…]` of
        10,000 constants to parse and plan one by one (≈ 25 ms a statement). A condition, not a
        join with `unnest(…)`: a join's plan depends on the other side's estimate, and one
        misestimated filter (the new whistles' `whistled_at = now`) made it a nested loop over
        10,000 × 10,000 rows; `= ANY(…)` is an index condition or a hashed filter, never worse.
        """
        if self.pg:
            return f"{column} = ANY(%s::bigint[])", ["{" + ",".join(str(int(i)) for i in ids) + "}"]
        return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(list(ids))]

    def json(self, **pairs: str) -> str:
        """A JSON object built in SQL from column expressions (keys are our own constants)."""
        fn = "jsonb_build_object" if self.pg else "json_object"
        return f"{fn}(" + ", ".join(f"'{key}', {expr}" for key, expr in pairs.items()) + ")"

    def by_category(self, column: str, tier: int, value_of) -> tuple[str, list]:
        """A deadline that depends on the category's policy, as a CASE over the few categories that
        have a policy of their own (the values are computed once per policy, not per row)."""
        default = value_of(self.policies.for_(tier, ""))
        own = [(c, value_of(self.policies.for_(tier, c))) for c in self.policies.categories_with_own(tier)]
        values = [default] + [v for _, v in own]
        if all(v is None for v in values):
            return "NULL", []
        if not own:
            return "%s", [self.ts(default)]
        sql = "CASE " + column + " " + " ".join("WHEN %s THEN %s" for _ in own) + " ELSE %s END"
        params = []
        for category, value in own:
            params += [category, self.ts(value)]
        return sql, params + [self.ts(default)]

    def by_category_expression(self, column: str, tier: int, value_of):
        """`by_category` as an ORM expression of the ticket's `column` over its `category`, for a
        claim's SET."""
        default = value_of(self.policies.for_(tier, ""))
        own = [(c, value_of(self.policies.for_(tier, c))) for c in self.policies.categories_with_own(tier)]
        if not own:
            return default
        field = Ticket._meta.get_field(column)
        return Case(
            *[When(category=c, then=Value(v, output_field=field)) for c, v in own],
            default=Value(default, output_field=field),
            output_field=field,
        )

    # -- audiences: (ticket_id, ref, body, label, user_id) for the rows of a source `src`, which
    # carries the ticket's columns the audiences need (see `_Step.TICKET`), so that no audience
    # joins the tickets again.

    @staticmethod
    def _row(src: str) -> str:
        return f"{src}.ticket_id, {src}.ref, {src}.body, {src}.label"

    def holders(self, src: str = "src") -> tuple[str, list]:
        """The owner, and the park directors when they hold it too (as `actions.holders`)."""
        directors, params = PARK_DIRECTORS.sql(src, self._row(src), directors_hold_sql(src))
        owner = (
            f"SELECT {self._row(src)}, {src}.owner_id AS user_id FROM {src} WHERE {src}.owner_id IS NOT NULL"
        )
        return f"{owner} UNION {directors}", params

    def park_directors(self, src: str = "src") -> tuple[str, list]:
        return PARK_DIRECTORS.sql(src, self._row(src))

    def park_leaders(self, src: str = "src") -> tuple[str, list]:
        """The park's leaders, else every leader (as `actions.park_leaders`)."""
        return PARK_LEADERS.sql(src, self._row(src))

    def admins(self, src: str = "src") -> tuple[str, list]:
        return ADMINISTRATORS.sql(src, self._row(src))

    def superiors(self, src: str = "src") -> tuple[str, list]:
        """Who hears that a ticket is overdue, by tier (`audiences.SUPERIORS`, as `actions.superiors`)."""
        parts = [
            audience.sql(src, self._row(src), f"{src}.tier = {int(tier)}")
            for tier, audience in SUPERIORS.items()
        ]
        return " UNION ".join(sql for sql, _ in parts), [p for _, params in parts for p in params]

    def department_officers(self, src: str = "src") -> tuple[str, list]:
        return DEPARTMENT_OFFICERS.sql(src, self._row(src))

    def enterprise_and_resolver(self, src: str = "src") -> tuple[str, list]:
        return (
            f"SELECT {self._row(src)}, m.user_id FROM {src} JOIN {self.membership} m ON m.enterprise_id = {src}.enterprise_id "
            f"UNION SELECT {self._row(src)}, {src}.resolved_by_id FROM {src} WHERE {src}.resolved_by_id IS NOT NULL",
            [],
        )

    def meeting_chair(self, src: str = "src") -> tuple[str, list]:
        return (
            f"SELECT {self._row(src)}, m.chair_id AS user_id FROM {src} JOIN {self.meeting} m ON m.id = {src}.meeting_id",
            [],
        )


class _Step:
    """One kind of change: the claim, then its effects over the claimed ids, in one transaction.
    A step names the rows it claims (`due()`, a queryset) and the mark it sets (`mark()`)."""

    def __init__(self, sql: _Sql):
        self.sql = sql

    def run(self) -> int:
        with transaction.atomic():
            ids = self.claim()
            if ids:
                self.effects(ids)
        return len(ids)

    def claim(self) -> list[int]:
        # The statement is the same at every run but for the clock: compiled once per process.
        return sweep_claim_compiled(type(self), lambda now: (self.due(now), self.mark(now)), now=self.sql.now)

    def execute(self, query: str, params) -> list:
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            return cursor.fetchall() if cursor.description else []

    # -- effects, given `src`: a SELECT of (ticket_id, ref, …) over the claimed rows

    def events(self, src: tuple[str, list], *, kind, suffix, data=None, from_state="''", to_state="''"):
        s = self.sql
        events_record_from_sql(
            model=Ticket,
            with_sql=f"WITH src AS ({src[0]})",
            with_params=src[1],
            select=(
                f"SELECT src.ticket_id AS object_id, %s AS kind, {from_state} AS from_state, "
                f"{to_state} AS to_state, %s AS at, {data or s.json()} AS data, "
                f"src.ref || ':' || %s AS dedupe_key FROM src"
            ),
            params=[str(kind), s.ts(s.now), suffix],
        )

    def notify(self, src: tuple[str, list], audiences: list[tuple[str, list]], *, code, kind, suffix):
        """Notify each audience member once per claimed row with the message `code` (`notices.py`:
        "<what> · <ticket>", the ticket as the parameter `label`, `src.body` as `text`); each
        audience is (SQL, parameters). The title is also stored in the portal's language."""
        s = self.sql
        # the title in the portal's language without its problem: "<what> · "
        prefix, _body = message_render(code, {"label": ""}, language=settings.LANGUAGE_CODE)
        # The audiences carry what the notification needs (the ticket's label included), so
        # neither `src` (a CTE, without indexes) nor the tickets are joined back.
        key = recipient_key_sql("a.ref || ':' || %s", "a.user_id")
        notify_from_sql(
            with_sql=f"WITH src AS ({src[0]})",
            with_params=src[1],
            select=(
                f"SELECT a.user_id AS recipient_id, %s AS kind, substr(%s || a.label, 1, 200) AS title, "
                f"a.body AS body, %s || a.ticket_id || '/' AS url, %s AS created_at, {key} AS dedupe_key, "
                f"%s AS code, {s.json(label='a.label', text='a.body')} AS params "
                f"FROM ({' UNION '.join(sql for sql, _ in audiences)}) a"
            ),
            params=[
                f"feedback_{kind}",
                prefix,
                s.url_prefix,
                s.ts(s.now),
                suffix,
                code,
                *(p for _, params in audiences for p in params),
            ],
        )

    # What every source carries of its ticket, for the audiences and the notification's title.
    # Whistles and action items reach their ticket by a LEFT JOIN on its primary key (the
    # reference is NOT NULL, so it is the same join): PostgreSQL then drops the join from the
    # statements that use none of these columns (the events).
    TICKET = (
        "t.owner_id, t.tier, t.park_id, t.enterprise_id, t.resolved_by_id, t.category, "
        "t.number || ' ' || t.title AS label"
    )

    def ticket_src(self, ids) -> tuple[str, list]:
        s = self.sql
        cond, params = s.ids("t.id", ids)
        ref = dedupe_key_sql(Ticket, "t.id", round_sql="t.deadline_round")
        return (
            f"SELECT t.id AS ticket_id, {ref} AS ref, '' AS body, {self.TICKET} FROM {s.ticket} t WHERE {cond}",
            params,
        )

    def whistle_src(self, ids) -> tuple[str, list]:
        s = self.sql
        cond, params = s.ids("w.id", ids)
        ref = dedupe_key_sql(Whistle, "w.id", round_sql="w.round")
        return (
            f"SELECT w.ticket_id, {ref} AS ref, d.name AS body, w.department_id, "
            f"d.code AS department_code, d.name AS department_name, {self.TICKET} "
            f"FROM {s.whistle} w JOIN {s.department} d ON d.id = w.department_id "
            f"LEFT JOIN {s.ticket} t ON t.id = w.ticket_id WHERE {cond}",
            params,
        )

    def item_src(self, ids) -> tuple[str, list]:
        s = self.sql
        cond, params = s.ids("i.id", ids)
        ref = dedupe_key_sql(ActionItem, "i.id")
        return (
            f"SELECT i.ticket_id, {ref} AS ref, d.name AS body, i.department_id, i.meeting_id, "
            f"d.code AS department_code, d.name AS department_name, {self.TICKET} "
            f"FROM {s.item} i JOIN {s.department} d ON d.id = i.department_id "
            f"LEFT JOIN {s.ticket} t ON t.id = i.ticket_id WHERE {cond}",
            params,
        )

    def department_data(self, deadline: str) -> str:
        return self.sql.json(
            deadline=f"'{deadline}'", department="src.department_code", department_name="src.department_name"
        )


# --------------------------------------------------------------------------- ticket deadlines

OPEN = Ticket.objects.filter(status=Ticket.Status.OPEN)


class _Marked(_Step):
    """A step over rows whose deadline (`deadline_column`) has passed: its claim sets their one
    "already done" column (`mark_column`) to the sweep's clock."""

    mark_column: str
    deadline_column: str

    def passed(self, rows, now):
        """The rows of `rows` whose deadline has passed and that are not marked yet."""
        return rows.filter(**{self.mark_column: None, f"{self.deadline_column}__lte": now})

    def mark(self, now):
        return {self.mark_column: now}


class _TicketDeadline(_Marked):
    """A ticket's deadline (`deadline_column`) passed: marked, an event of `event_kind` saying which
    `deadline`, and the message `code` to each of `audiences` (`_Sql`'s audience methods)."""

    deadline: str  # "acknowledge" or "resolve", in the event's data
    suffix: str  # of the dedupe keys
    event_kind = EventKind.REMINDER
    audiences = (_Sql.holders,)
    code: str
    until_acknowledged = False  # the response deadlines: due only while nobody has responded

    def due(self, now):
        due = self.passed(OPEN, now)
        return due.filter(acknowledged_at=None) if self.until_acknowledged else due

    def effects(self, ids):
        src = self.ticket_src(ids)
        data = self.sql.json(deadline=f"'{self.deadline}'")
        self.events(src, kind=self.event_kind, suffix=self.suffix, data=data)
        audiences = [audience(self.sql) for audience in self.audiences]
        self.notify(src, audiences, code=self.code, kind=str(self.event_kind), suffix=self.suffix)


class AcknowledgeReminder(_TicketDeadline):
    """75 % of the tier-1 response time used and no response yet: 催办 to the holder."""

    mark_column, deadline_column = "ack_reminded_at", "ack_remind_at"
    deadline, suffix = "acknowledge", "ack_reminder"
    until_acknowledged = True
    code = notices.ACK_REMINDER


class AcknowledgeOverdue(_TicketDeadline):
    """The response time passed without a response: the holder's superior is told."""

    mark_column, deadline_column = "ack_overdue_at", "ack_due_at"
    deadline, suffix = "acknowledge", "ack_overdue"
    until_acknowledged = True
    event_kind = EventKind.OVERDUE
    audiences = (_Sql.superiors,)
    code = notices.ACK_OVERDUE


class ResolveReminder(_TicketDeadline):
    """75 % of the current tier's time used: 催办 to the holder."""

    mark_column, deadline_column = "reminded_at", "remind_at"
    deadline, suffix = "resolve", "reminder"
    code = notices.RESOLVE_REMINDER


@functools.cache
def _holder_sql(tier: int, *, zone: bool = False) -> tuple[str, tuple] | None:
    """The holder querysets of `tiers`, compiled once per process (they depend on nothing else)."""
    queryset = zone_holder(tier) if zone else park_holders(tier)
    return None if queryset is None else queryset.query.sql_with_params()


class _Climb(_Step):
    """An automatic escalation enters the next tier as `ticket_escalate` does (`tiers`): the
    columns of `tier_entry` (computed once per policy), the holder of `park_holders` (joined per
    park from a CTE computed once per claim: a correlated subquery would run once per climbing
    ticket), a new dedupe round; and it was overdue."""

    to_tier: int
    told: tuple  # who hears of the climb (the old tier's superiors: `_Sql`'s audience methods)
    told_code: str

    def due(self, now):
        return OPEN.filter(tier=self.to_tier - 1, overdue_at=None, due_at__lte=now)

    def mark(self, now):
        s = self.sql
        entries = {}  # computed once per policy: the calendar arithmetic is the costly part

        def entry(policy):
            if id(policy) not in entries:
                entries[id(policy)] = tier_entry(policy, now)
            return entries[id(policy)]

        values = {
            column: s.by_category_expression(column, self.to_tier, lambda p, c=column: entry(p)[c])
            for column in entry(s.policies.for_(self.to_tier, ""))
        }
        fallback, fallback_params = "owner_id", []
        if (zone := _holder_sql(self.to_tier, zone=True)) is not None:
            fallback, fallback_params = f"({zone[0]}), owner_id", list(zone[1])
        holder = RawSQL(
            f"COALESCE((SELECT o.user_id FROM owners o WHERE o.park_id = {s.ticket}.park_id), {fallback})",
            fallback_params,
        )
        return {**values, "owner_id": holder, "was_overdue": True, "deadline_round": F("deadline_round") + 1}

    def effects(self, ids):
        src = self.ticket_src(ids)
        # One event says both: the resolve deadline passed, so the ticket climbed.
        self.events(
            src,
            kind=EventKind.ESCALATED,
            suffix="escalated",
            from_state=f"'{int(self.to_tier) - 1}'",
            to_state=f"'{int(self.to_tier)}'",
            data=self.sql.json(deadline="'resolve'"),
        )
        self.enter(ids)
        told = [audience(self.sql) for audience in self.told]
        self.notify(src, told, code=self.told_code, kind="escalated", suffix="escalated")

    def enter(self, ids):
        """What entering the tier writes besides the ticket's columns (whistles, an agenda item)."""

    def claim(self) -> list[int]:
        owners, params = _holder_sql(self.to_tier)
        now = self.sql.now
        return sweep_claim(
            self.due(now), self.mark(now), with_sql=(f"WITH owners AS MATERIALIZED ({owners})", params)
        )


class Tier1Overdue(_Climb):
    """Tier 1 overdue → tier 2, held by the park director, with the category's default departments
    whistled automatically; the park director (tier 1's superior) is told."""

    to_tier = Tier.WHISTLE
    told, told_code = (_Sql.park_directors,), notices.CLIMBED_TO_WHISTLE

    def enter(self, ids):
        s = self.sql
        now = s.now
        columns = ["report_remind_at", "report_due_at", "notice_at", "answer_remind_at", "answer_due_at"]
        exprs, params = [], []
        for column in columns:
            expr, p = s.by_category(
                "t.category", Tier.WHISTLE, lambda pol, c=column: whistle_columns(pol, now)[c]
            )
            exprs.append(expr)
            params += p
        cond, id_params = s.ids("t.id", ids)
        with translation.override(settings.LANGUAGE_CODE):
            note = str(notices.AUTO_WHISTLE_NOTE)
        # The whistles this run wrote come back by id: read by primary key, with an estimate the
        # planner can trust (a filter on their `whistled_at` was estimated at one row, and the
        # department officers were then looked up one whistle at a time).
        whistled = self.execute(
            f"INSERT INTO {s.whistle} (ticket_id, department_id, status, round, note, whistled_by_id, whistled_at, "
            f"{', '.join(columns)}, answer, return_reason, updated_at) "
            f"SELECT t.id, cd.department_id, %s, 1, %s, NULL, %s, {', '.join(exprs)}, '', '', %s "
            f"FROM {s.ticket} t JOIN {s.cat_dept} cd ON cd.category = t.category WHERE {cond} "
            f"ON CONFLICT DO NOTHING RETURNING id",
            [Whistle.Status.WHISTLED, note, s.ts(now)] + params + [s.ts(timezone.now())] + id_params,
        )
        whistles = self.whistle_src([row[0] for row in whistled])
        self.events(
            whistles,
            kind=EventKind.WHISTLED,
            suffix="whistled",
            to_state=f"'{Whistle.Status.WHISTLED}'",
            data=s.json(department="src.department_code", department_name="src.department_name"),
        )
        self.notify(
            whistles,
            [s.department_officers()],
            code=notices.WHISTLED,
            kind="whistled",
            suffix="whistled",
        )


class Tier2Overdue(_Climb):
    """Tier 2 overdue → tier 3, held by a leader, on the next scheduled joint meeting's agenda; the
    park's leaders (tier 2's superior) are told."""

    to_tier = Tier.MEETING
    told, told_code = (_Sql.park_leaders,), notices.CLIMBED_TO_MEETING

    def enter(self, ids):
        s = self.sql
        cond, params = s.ids("t.id", ids)
        self.execute(
            f"INSERT INTO {s.agenda} (meeting_id, ticket_id, added_at) SELECT m.id, t.id, %s FROM {s.ticket} t "
            f"CROSS JOIN (SELECT id FROM {s.meeting} WHERE status = %s AND starts_at >= %s "
            f"ORDER BY starts_at, id LIMIT 1) m WHERE {cond} ON CONFLICT DO NOTHING",
            [s.ts(s.now), JointMeeting.Status.SCHEDULED, s.ts(s.now)] + params,
        )
        cond, params = s.ids("a.ticket_id", ids)
        ref = dedupe_key_sql(Ticket, "t.id", round_sql="t.deadline_round")
        agenda = (
            f"SELECT a.ticket_id, {ref} AS ref, '' AS body, m.id AS meeting_id, "
            f"m.title AS meeting_title FROM {s.agenda} a JOIN {s.meeting} m ON m.id = a.meeting_id "
            f"JOIN {s.ticket} t ON t.id = a.ticket_id WHERE {cond} AND a.added_at = %s",
            params + [s.ts(s.now)],
        )
        self.events(
            agenda,
            kind=EventKind.AGENDA_ADDED,
            suffix="agenda",
            data=s.json(meeting="src.meeting_id", meeting_title="src.meeting_title"),
        )


class Tier3Overdue(_TicketDeadline):
    """Tier 3 past its deadline (when its policy sets one): marked, administrators told."""

    mark_column, deadline_column = "overdue_at", "due_at"
    deadline, suffix = "resolve", "overdue"
    event_kind = EventKind.OVERDUE
    audiences = (_Sql.superiors, _Sql.holders)
    code = notices.OVERDUE

    def due(self, now):
        return super().due(now).filter(tier=Tier.MEETING)

    def mark(self, now):
        return {**super().mark(now), "was_overdue": True}


class ConfirmTimeout(_Step):
    """Resolved and not answered within the confirmation time: closed, not confirmed."""

    to = Ticket.Status.CLOSED_UNCONFIRMED

    def due(self, now):
        return Ticket.objects.filter(transition_q(Ticket, self.to), confirm_due_at__lte=now)

    def mark(self, now):
        return {"status": self.to, "closed_at": now}

    def effects(self, ids):
        src = self.ticket_src(ids)
        (source,) = Ticket.TRANSITIONS.sources(self.to)
        self.events(
            src,
            kind=EventKind.CLOSED_UNCONFIRMED,
            suffix="closed_unconfirmed",
            from_state=f"'{source}'",
            to_state=f"'{self.to}'",
        )
        self.notify(
            src,
            [self.sql.enterprise_and_resolver()],
            code=notices.CLOSED_UNCONFIRMED,
            kind="closed",
            suffix="closed_unconfirmed",
        )


# --------------------------------------------------------------------------- whistled departments


class _WhistleStep(_Marked):
    statuses = (Whistle.Status.WHISTLED,)
    deadline: str
    event_kind = EventKind.REMINDER
    code = ""
    holder_code = ""

    def due(self, now):
        return self.passed(Whistle.objects.filter(status__in=self.statuses), now)

    def effects(self, ids):
        src = self.whistle_src(ids)
        suffix = self.mark_column
        self.events(src, kind=self.event_kind, suffix=suffix, data=self.department_data(self.deadline))
        self.notify(
            src, [self.sql.department_officers()], code=self.code, kind=str(self.event_kind), suffix=suffix
        )
        if self.holder_code:
            self.notify(
                src,
                self.holder_audiences(),
                code=self.holder_code,
                kind=str(self.event_kind),
                suffix=suffix + "_holder",
            )

    def holder_audiences(self):
        return [self.sql.holders()]


class ReportReminder(_WhistleStep):
    mark_column, deadline_column, deadline = "report_reminded_at", "report_remind_at", "report"
    code = notices.REPORT_REMINDER


class ReportOverdue(_WhistleStep):
    """A department that has not reported in time gets a 催办 notice; the park is told."""

    mark_column, deadline_column, deadline = "report_overdue_at", "report_due_at", "report"
    event_kind = EventKind.OVERDUE
    code = notices.REPORT_OVERDUE
    holder_code = notices.REPORT_OVERDUE_HOLDER


class PublicNotice(_WhistleStep):
    """Still not reported `notice_days` working days after the report deadline: the public-notice
    flag (通报) shown on the dashboards; the department, the park and the administrators are told."""

    mark_column, deadline_column, deadline = "noticed_at", "notice_at", "report"
    event_kind = EventKind.PUBLICLY_NOTICED
    code = notices.PUBLIC_NOTICE
    holder_code = notices.PUBLIC_NOTICE_HOLDER

    def holder_audiences(self):
        return [self.sql.holders(), self.sql.admins()]


class AnswerReminder(_WhistleStep):
    mark_column, deadline_column, deadline = "answer_reminded_at", "answer_remind_at", "answer"
    statuses = Whistle.PENDING
    code = notices.ANSWER_REMINDER


class AnswerOverdue(_WhistleStep):
    mark_column, deadline_column, deadline = "answer_overdue_at", "answer_due_at", "answer"
    statuses = Whistle.PENDING
    event_kind = EventKind.OVERDUE
    code = notices.ANSWER_OVERDUE
    holder_code = notices.ANSWER_OVERDUE_HOLDER


# --------------------------------------------------------------------------- meeting action items


class _ActionItemStep(_Marked):
    event_kind = EventKind.REMINDER
    code = ""

    def due(self, now):
        return self.passed(ActionItem.objects.filter(status=ActionItem.Status.OPEN), now)

    def effects(self, ids):
        src = self.item_src(ids)
        self.events(src, kind=self.event_kind, suffix=self.mark_column, data=self.department_data("action"))
        audiences = [self.sql.department_officers()]
        if self.event_kind == EventKind.OVERDUE:
            audiences.append(self.sql.meeting_chair())
        self.notify(src, audiences, code=self.code, kind=str(self.event_kind), suffix=self.mark_column)


class ActionItemReminder(_ActionItemStep):
    mark_column, deadline_column = "reminded_at", "remind_at"
    code = notices.ACTION_REMINDER


class ActionItemOverdue(_ActionItemStep):
    mark_column, deadline_column = "overdue_at", "due_at"
    event_kind = EventKind.OVERDUE
    code = notices.ACTION_OVERDUE


# Reminders before overdue marks; tier 1 climbs before tier 2 so a ticket climbs once per run (its
# new deadlines start now); whistle steps after the climb see the automatic whistles.
STEPS = [
    AcknowledgeReminder,
    AcknowledgeOverdue,
    ResolveReminder,
    Tier1Overdue,
    Tier2Overdue,
    Tier3Overdue,
    ConfirmTimeout,
    ReportReminder,
    ReportOverdue,
    PublicNotice,
    AnswerReminder,
    AnswerOverdue,
    ActionItemReminder,
    ActionItemOverdue,
]


def tickets_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Run every step once as of `now` (default: the clock). Returns {step name: rows changed}.

    Safe to run concurrently, to retry, and to rerun after a crash: see the module docstring.
    """
    now = now or timezone.now()
    if timezone.is_naive(now):
        raise ValueError("the sweep's clock must be timezone-aware")
    sql = _Sql(now)
    return {step.__name__: step(sql).run() for step in STEPS}
