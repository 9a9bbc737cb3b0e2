"""The enterprise timeline's words: labels for event kinds and states, one line of detail."""

from django.utils.translation import gettext as _

from .models import EVENT_LABELS, Enterprise

KINDS = EVENT_LABELS
STATES = dict(Enterprise.Status.choices)


def event_detail(data: dict) -> str:
    parts = []
    if data.get("to"):
        parts.append(
            f"{data.get('from_name') or data.get('from') or '—'} → {data.get('to_name') or data['to']}"
        )
    for field, change in (data.get("changes") or {}).items():
        old, new = (list(change) + [None, None])[:2]
        parts.append(f"{field}: {old or '—'} → {new or '—'}")
    return _("; ").join(parts) if len(parts) > 1 else "".join(parts)
