"""Writing and reading the event log. Actions call `event_record`; sweeps `events_record_many`."""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from zone_portal.inserts import insert_select

from .models import Event


def event_record(
    *,
    case,
    kind: str,
    actor=None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    data: dict | None = None,
    dedupe_key: str | None = None,
    at=None,
) -> Event | None:
    """Append one event to `case`'s timeline.

    With a `dedupe_key`, returns None (and writes nothing) when that key was already recorded, also
    when a concurrent transaction recorded it first.
    """
    event = Event(
        content_type=ContentType.objects.get_for_model(case),
        object_id=case.pk,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_state=from_state or "",
        to_state=to_state or "",
        reason=reason or "",
        data=data or {},
        dedupe_key=dedupe_key,
        at=at or timezone.now(),
    )
    if dedupe_key is None:
        event.save()
        return event
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError:
        return None
    return event


def events_record_many(events: Iterable[Event]) -> None:
    """Insert many events in one statement; rows whose dedupe_key exists already are skipped."""
    Event.objects.bulk_create(list(events), ignore_conflicts=True, batch_size=2000)


# The columns a SELECT given to `events_record_from_sql` names.
EVENT_SOURCE_COLUMNS = ("object_id", "kind", "from_state", "to_state", "at", "data", "dedupe_key")


def events_record_from_sql(*, model, select: str, params=(), with_sql: str = "", with_params=()) -> int:
    """Insert the events that `select` (a SELECT naming its columns `EVENT_SOURCE_COLUMNS`) yields
    for cases of `model`, in one `INSERT … SELECT` without an actor: for sweeps that derive their
    events from the rows they claimed without reading them into Python. `with_sql` (`WITH name AS
    (…)`) may name what `select` reads. Rows whose dedupe_key exists already are skipped. Returns
    the rows written."""
    return insert_select(
        Event,
        ["content_type", "actor", "reason", *EVENT_SOURCE_COLUMNS],
        f"SELECT %s, NULL, '', {', '.join('ev.' + c for c in EVENT_SOURCE_COLUMNS)} FROM ({select}) ev WHERE 1 = 1",
        [ContentType.objects.get_for_model(model).pk, *params],
        with_sql=with_sql,
        with_params=with_params,
    )


def events_for(case):
    """The case's timeline, oldest first, with actors loaded in the same query."""
    return Event.objects.filter(
        content_type=ContentType.objects.get_for_model(case), object_id=case.pk
    ).select_related("actor")
