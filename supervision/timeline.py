"""The words of supervision's timelines: an observation's and an indicator entry's kinds and states."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zone_portal.events.labels import detail_line

from .models import EntryStatus, ObservationStatus

KINDS = {
    "filed": gettext_lazy("Filed"),
    "assigned": gettext_lazy("Assigned"),
    "fixed_at_once": gettext_lazy("Fixed at once (立行立改)"),
    "tracked": gettext_lazy("Tracked with a deadline"),
    "resolved": gettext_lazy("Rectified"),
    "reminded": gettext_lazy("Reminded (due soon)"),
    "overdue": gettext_lazy("Overdue, escalated"),
    "rated": gettext_lazy("Rated"),
    "appointed": gettext_lazy("Put on the roster"),
    "updated": gettext_lazy("Updated"),
    "entered": gettext_lazy("Entered"),
    "confirmed": gettext_lazy("Confirmed"),
    "returned": gettext_lazy("Returned for correction"),
}
STATES = {**dict(ObservationStatus.choices), **dict(EntryStatus.choices)}


def event_detail(data: dict) -> str:
    department = data.get("department_name") or (_("Service center") if data.get("service_center") else "")
    rated = _("rated %(score)s/5") % {"score": data["score"]} if data.get("score") else ""
    return detail_line(department, data.get("rectify_by", ""), data.get("value", ""), rated)
