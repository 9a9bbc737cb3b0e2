"""How a timeline names its events. The log stores stable codes (`kind`, states); each app
declares in its `timeline.py` the words people read for them (`KINDS`, `STATES`) and, optionally, a
function giving one line of detail from the event's data (`event_detail(data)`: the data only, never
None (`{}` when the event has none), so no app reads the event itself), registered by `PortalAppConfig.ready()`
(`timeline_register`). `detail_line` joins a line's parts the one way every timeline shows them."""

from collections.abc import Callable, Mapping
from types import ModuleType

from django.contrib.contenttypes.models import ContentType

_kinds: dict[str, Mapping] = {}
_states: dict[str, Mapping] = {}
_details: dict[str, Callable] = {}


def event_labels_register(
    app_label: str, *, kinds: Mapping, states: Mapping | None = None, detail: Callable | None = None
) -> None:
    """Name the event kinds (and states) of the cases that live in `app_label`."""
    _kinds[app_label] = kinds
    _states[app_label] = states or {}
    if detail is not None:
        _details[app_label] = detail


def timeline_register(app_label: str, timeline: ModuleType) -> None:
    """Register what an app's `timeline.py` declares: `KINDS`, and `STATES` and `event_detail` if it
    has them."""
    event_labels_register(
        app_label,
        kinds=timeline.KINDS,
        states=getattr(timeline, "STATES", None),
        detail=getattr(timeline, "event_detail", None),
    )


def _app_label(event) -> str:
    return ContentType.objects.get_for_id(event.content_type_id).app_label  # cached by Django


def event_label(event) -> str:
    return str(_kinds.get(_app_label(event), {}).get(event.kind, event.kind))


def state_label(event, state: str) -> str:
    return str(_states.get(_app_label(event), {}).get(state, state))


def event_detail(event) -> str:
    detail = _details.get(_app_label(event))
    return detail(event.data or {}) if detail else ""


def detail_line(*parts) -> str:
    """The parts of a line of detail that say something, as the timelines separate them."""
    return " · ".join(str(part) for part in parts if part)
