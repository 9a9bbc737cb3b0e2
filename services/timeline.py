"""The words of service-request and rectification timelines."""

from django.utils.translation import gettext_lazy as _

from .models import RectificationStatus, RequestStatus

EVENT_LABELS = {
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
    "opened": _("Rectification opened"),
    "verified": _("Verified"),
    "replied": _("Replied"),
    "called_back": _("Called back"),
    "closed": _("Closed"),
    "fix_rejected": _("The enterprise is not satisfied"),
    "appealed": _("Appealed"),
    "appeal_upheld": _("Appeal upheld"),
    "appeal_dismissed": _("Appeal dismissed"),
    "verify_overdue": _("Verification overdue"),
    "fix_overdue": _("Fix overdue"),
}


def register() -> None:
    from zone_portal.events.labels import event_labels_register

    event_labels_register(
        "services",
        kinds=EVENT_LABELS,
        states={**dict(RequestStatus.choices), **dict(RectificationStatus.choices)},
    )
