"""The words of a problem ticket's timeline: kinds, states and tiers, and one line of detail."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zone_portal.events.labels import detail_line

from .models import DEADLINE_LABELS, EventKind, Ticket, Whistle

KINDS = {**dict(EventKind.choices), "rated": gettext_lazy("Rated")}
# A ticket's timeline carries its own states, its tiers, and its whistles' states (a department's
# whistled → reported → answered); the codes of the two tables do not overlap.
STATES = {
    **dict(Ticket.Status.choices),
    **dict(Whistle.Status.choices),
    "1": gettext_lazy("tier 1"),
    "2": gettext_lazy("tier 2"),
    "3": gettext_lazy("tier 3"),
}


def event_detail(data: dict) -> str:
    return detail_line(
        data.get("department_name", ""),
        DEADLINE_LABELS.get(data.get("deadline"), ""),
        data.get("meeting_title", ""),
        _("rated %(score)s/5") % {"score": data["score"]} if data.get("score") else "",
    )
