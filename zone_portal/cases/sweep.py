"""The set-based sweep step: claim the due rows with one conditional UPDATE, then write what follows.

    def reminders(now):
        due = Rectification.objects.filter(verify_overdue_marked_at=None, verify_due_at__lte=now)
        return sweep_step(due, mark={"verify_overdue_marked_at": now}, effects=lambda ids: ...)

`sweep_claim(queryset, mark)` runs `UPDATE <table> SET <mark>, updated_at = <wall clock>
WHERE <the queryset's filter> RETURNING id`: the filter must include "not marked yet" (`mark IS
NULL`, or `mark IS DISTINCT FROM <value>`) and the deadline, so that, over a partial index on the
deadline where unmarked, a sweep with nothing due reads an empty index range. Two sweeps at once
both run the UPDATE; the second waits for the first's row locks and re-checks the filter against
the committed row, which no longer matches (READ COMMITTED), so each row is claimed once.

`sweep_step(queryset, mark, effects)` claims and calls `effects(ids)` for the claimed ids in the
same transaction: a crash rolls back the claim with its effects, and the next run does it again.
The effects write events with `zone_portal.events.log.events_record_many` (or
`events_record_from_sql`) and notifications with `zone_portal.notifications.actions.notify_many`
(or `notify_from_sql`), keyed by `zone_portal.cases.keys.dedupe_key` (unique constraints back
the claim up). Read the claimed rows with one query (`Model.objects.filter(id__in=ids)`), never one
per row: the statement count of a sweep must not depend on how many rows it finds.

`updated_at` is stamped by the claim itself on tables that have it (`zone_portal.touch.Touched`),
with the wall clock even when the sweep runs as of another moment: the dashboard's rollups look for
the rows written since their last refresh.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.sql import UpdateQuery
from django.utils import timezone

from zone_portal.events.log import events_record_many
from zone_portal.events.models import Event
from zone_portal.inserts import insert_select
from zone_portal.notifications.actions import message_params, notify_many, recipient_key
from zone_portal.notifications.messages import message_render
from zone_portal.notifications.models import Notification

from .keys import dedupe_key


def _has_updated_at(model) -> bool:
    return any(f.name == "updated_at" for f in model._meta.concrete_fields)


def sweep_claim(queryset, mark: Mapping, *, with_sql: tuple[str, list] | None = None) -> list[int]:
    """Set `mark` (field → value or expression) on the rows of `queryset` and return their ids, in
    one statement. No slicing: a sweep claims everything that is due. `with_sql` (`WITH name AS
    (…)`, params) names what the mark's raw expressions read, computed once for the statement."""
    sql, params = _update_sql(queryset, mark, written_at=timezone.now())
    if not sql:
        return []
    if with_sql is not None:
        sql, params = f"{with_sql[0]} {sql}", [*with_sql[1], *params]
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _update_sql(queryset, mark: Mapping, *, written_at) -> tuple[str, list]:
    """`UPDATE … SET mark[, updated_at] WHERE <queryset's filter> RETURNING pk`, compiled."""
    model = queryset.model
    values = dict(mark)
    if _has_updated_at(model):
        values.setdefault("updated_at", written_at)
    query = queryset.query.chain(UpdateQuery)
    query.add_update_values(values)
    compiler = query.get_compiler(queryset.db)
    compiler.pre_sql_setup()  # a filter across a join becomes `pk IN (SELECT …)`
    sql, params = compiler.as_sql()
    if not sql:
        return "", []
    pk = connections[queryset.db].ops.quote_name(model._meta.pk.column)
    return f"{sql} RETURNING {pk}", list(params)


# A claim compiled once per process and key (see `sweep_claim_compiled`): the statement, its
# parameters, and where the sweep's clock and the wall clock go in them.
_compiled: dict = {}
_NOW, _WRITTEN = datetime(2000, 1, 1, 0, 0, 1, tzinfo=UTC), datetime(2000, 1, 1, 0, 0, 2, tzinfo=UTC)


def sweep_claim_compiled(key, build: Callable, *, now) -> list[int]:
    """`sweep_claim(*build(now))`, with the statement compiled once per process and `key`: a sweep
    with nothing due then costs one round trip and no ORM work. `build(now)` gives (queryset,
    mark) and must give the same statement for every `now`, `now` being its only varying value."""
    connection = connections[DEFAULT_DB_ALIAS]  # where sweeps run
    entry = _compiled.get((key, connection.alias))
    if entry is None:
        queryset, mark = build(_NOW)
        sql, params = _update_sql(queryset, mark, written_at=_WRITTEN)
        adapt = connection.ops.adapt_datetimefield_value
        slots = {adapt(_NOW): "now", adapt(_WRITTEN): "written"}
        where = [(i, slots[p]) for i, p in enumerate(params) if _hashable(p) and p in slots]
        entry = _compiled[(key, connection.alias)] = (sql, list(params), where)
    sql, params, where = entry
    adapt = connection.ops.adapt_datetimefield_value
    values = {"now": adapt(now), "written": adapt(timezone.now())}
    params = list(params)
    for i, slot in where:
        params[i] = values[slot]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def sweep_claim_insert(model, source, *, columns: list[str], constants: Mapping, returning: str) -> list:
    """For a step whose mark is a row of its own (a flag unique per case and occurrence): insert a
    `model` row per row of `source` (a `values(…)` queryset giving `columns`, in order) with
    `constants`, skipping those the unique constraint already holds, and return `returning` of the
    rows this run inserted. One statement: `INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING`."""
    connection = connections[source.db]
    inner, params = source.query.sql_with_params()
    fields = [model._meta.get_field(c) for c in constants]
    values = [f.get_db_prep_save(v, connection) for f, v in zip(fields, constants.values(), strict=True)]
    return insert_select(
        model,
        [*columns, *constants],
        f"SELECT src.*, {', '.join('%s' for _ in values)} FROM ({inner}) src WHERE 1 = 1",
        [*values, *params],
        returning=returning,
        using=source.db,
    )


def sweep_step(queryset, *, mark: Mapping, effects: Callable[[list[int]], None]) -> int:
    """Claim the due rows of `queryset` (`sweep_claim`) and write `effects(ids)`, atomically.
    Returns how many rows this run claimed."""
    with transaction.atomic(using=queryset.db):
        ids = sweep_claim(queryset, mark)
        if ids:
            effects(ids)
    return len(ids)


@dataclass
class Notice:
    """What a sweep step says about one claimed case: its event's data and who is told what."""

    case_id: int
    recipients: Iterable[int | None]
    title: str = ""
    url: str = ""
    body: str = ""
    data: dict = field(default_factory=dict)
    round: object = None  # the occurrence (see `keys`), when a case can have this kind more than once
    key: str | None = None  # when the occurrence is another row's (`dedupe_key` of that row)
    # A message code with its parameters (`zone_portal.notifications.messages`): shown in each
    # reader's language; `title`/`body` may then stay empty (they are rendered for storage).
    code: str = ""
    params: dict = field(default_factory=dict)


def sweep_record(model, notices: list[Notice], *, kind: str, at, notification_kind: str) -> None:
    """One event `kind` per notice on its case and one notification per recipient, each keyed by
    `dedupe_key`, in one INSERT each (whatever the number of notices)."""
    ct = ContentType.objects.get_for_model(model)
    events, notes = [], []
    for notice in notices:
        key = notice.key or dedupe_key(model, notice.case_id, kind, round=notice.round)
        title, body, params = notice.title, notice.body, message_params(notice.params)
        if notice.code:
            rendered = message_render(notice.code, params, language=settings.LANGUAGE_CODE)
            if rendered is None:
                raise ValueError(f"notice {notice.code!r}: unknown code or parameters that do not fit")
            title, body = rendered
        events.append(
            Event(
                content_type=ct, object_id=notice.case_id, kind=kind, at=at, data=notice.data, dedupe_key=key
            )
        )
        notes += [
            Notification(
                recipient_id=user_id,
                kind=notification_kind,
                title=str(title)[:200],
                body=str(body),
                url=notice.url,
                code=notice.code,
                params=params,
                dedupe_key=recipient_key(key, user_id),
            )
            for user_id in sorted(set(notice.recipients) - {None})
        ]
    events_record_many(events)
    notify_many(notes)
