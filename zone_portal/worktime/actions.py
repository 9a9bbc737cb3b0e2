from django.db import transaction

from zone_portal.events.log import event_record

from .calendar import calendar_changed
from .models import CalendarOverride


def calendar_override_create(*, actor, date, kind, start=None, end=None, note="") -> CalendarOverride:
    """Add an override (validated), record it, and make every later computation see it."""
    with transaction.atomic():
        override = CalendarOverride(date=date, kind=kind, start=start, end=end, note=note)
        override.full_clean()
        override.save()
        event_record(case=override, kind="calendar_override_created", actor=actor, data={"date": str(date)})
    calendar_changed()
    return override


def calendar_override_delete(*, actor, override: CalendarOverride) -> None:
    with transaction.atomic():
        event_record(
            case=override, kind="calendar_override_deleted", actor=actor, data={"date": str(override.date)}
        )
        override.delete()
    calendar_changed()
