"""The words of the safety timelines (inspections, hazards, campaigns) and one line of detail."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


def event_detail(event) -> str:
    data = event.data or {}
    parts = []
    if data.get("severity") in Severity.values:
        parts.append(str(Severity(data["severity"]).label))
    if data.get("unannounced"):
        parts.append(_("unannounced"))
    if "failed" in data:
        parts.append(_("%(n)s checklist points failed") % {"n": data["failed"]})
    if data.get("round"):
        parts.append(_("round %(n)s") % {"n": data["round"]})
    return " · ".join(parts)
