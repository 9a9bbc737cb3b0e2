"""The words of a key project's timeline: its event kinds, its stages, and one line of detail."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zone_portal.web.templatetags.money import wan

from .models import Stage

KINDS = {
    "project_created": gettext_lazy("Project created"),
    "project_updated": gettext_lazy("Six ones changed"),
    "stage_changed": gettext_lazy("Stage changed"),
    "milestone_added": gettext_lazy("Milestone added"),
    "milestone_reached": gettext_lazy("Milestone reached"),
    "milestone_replanned": gettext_lazy("Milestone re-planned"),
    "milestone_delayed": gettext_lazy("Milestone delayed"),
    "ledger_entry_added": gettext_lazy("Ledger entry"),
    "supervision_recorded": gettext_lazy("Weekly supervision"),
    "supervision_missing": gettext_lazy("Weekly supervision missing"),
    "observation_recorded": gettext_lazy("Monthly site observation"),
}
STATES = dict(Stage.choices)


def event_detail(data: dict) -> str:
    """The few facts of an event's data worth a line on the timeline."""
    parts = []
    if "milestone" in data:
        parts.append(data["milestone"])
    for key, label in (
        ("planned_date", _("planned")),
        ("actual_date", _("reached")),
        ("from", _("from")),
        ("to", _("to")),
        ("date", _("date")),
        ("week_start", _("week of")),
        ("month", _("month")),
        ("total", _("total score")),
        ("progress_percent", _("progress %")),
    ):
        if key in data:
            parts.append(f"{label} {data[key]}")
    if "investment_completed" in data:
        parts.append(_("%(amount)s ten-thousand yuan") % {"amount": wan(data["investment_completed"])})
    if "fields" in data:
        parts.append(", ".join(data["fields"]))
    return " · ".join(str(p) for p in parts)
