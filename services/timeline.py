"""The words of service-request timelines (a rectification's: `zone_portal/ratings/timeline.py`)."""

from django.utils.translation import gettext_lazy as _

from .models import RequestStatus

KINDS = {
    "submitted": _("Submitted"),
    "claimed": _("Claimed"),
    "released": _("Released to the queue"),
    "reassigned": _("Reassigned"),
    "accepted": _("Accepted: the clock starts"),
    "supplement_requested": _("Supplement requested: the clock pauses"),
    "supplemented": _("Supplemented: the clock resumes"),
    "completed": _("Completed"),
    "rejected": _("Rejected"),
    "withdrawn": _("Withdrawn"),
    "materials_added": _("Materials added"),
    "rated": _("Rated"),
    "at_risk": _("At risk"),
    "overdue": _("Overdue"),
    "bundle_accepted": _("Bundle in progress"),
    "bundle_supplement_required": _("Bundle waits for a supplement"),
    "bundle_completed": _("Bundle completed"),
    "bundle_rejected": _("Bundle closed: not every item was completed"),
}
STATES = dict(RequestStatus.choices)
