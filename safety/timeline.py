"""The words of the safety timelines (inspections, hazards, campaigns) and one line of detail."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zone_portal.events.labels import detail_line

from .models import HazardStatus, InspectionStatus, Severity

KINDS = {
    "campaign_created": gettext_lazy("Campaign started"),
    "planned": gettext_lazy("Inspection planned"),
    "recorded": gettext_lazy("Inspection recorded"),
    "cancelled": gettext_lazy("Inspection cancelled"),
    "photos_added": gettext_lazy("Photos added"),
    "found": gettext_lazy("Hazard found"),
    "plan_submitted": gettext_lazy("Rectification plan submitted"),
    "fix_reported": gettext_lazy("Fix reported"),
    "closed": gettext_lazy("Re-inspected: fixed"),
    "reopened": gettext_lazy("Re-inspected: not fixed, reopened"),
    "reminded": gettext_lazy("Reminder sent"),
    "overdue": gettext_lazy("Overdue: escalated to the bureau's leader and the park"),
    "exposed": gettext_lazy("Exposed (问题隐患曝光)"),
}
STATES = {**dict(InspectionStatus.choices), **dict(HazardStatus.choices)}


def event_detail(data: dict) -> str:
    return detail_line(
        Severity(data["severity"]).label if data.get("severity") in Severity.values else "",
        _("unannounced") if data.get("unannounced") else "",
        _("%(n)s checklist points failed") % {"n": data["failed"]} if "failed" in data else "",
        _("round %(n)s") % {"n": data["round"]} if data.get("round") else "",
    )
