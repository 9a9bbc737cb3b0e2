"""The words of the safety app's notifications, by code (`zone_portal.notifications.messages`):
stored as the code and its parameters, shown in each reader's language."""

from django.utils.translation import gettext_lazy as _

from zone_portal.notifications.messages import Message

INSPECTION_PLANNED = Message("safety.inspection_planned", _("Safety inspection planned for %(date)s"))
INSPECTION_RECORDED = Message(
    "safety.inspection_recorded", _("Safety inspection recorded: %(failed)d checklist points failed")
)
HAZARD_FOUND = Message("safety.hazard_found", _("Hazard found: fix by %(due)s"))
MAJOR_HAZARD_FOUND = Message(
    "safety.major_hazard_found", _("Major hazard found: a rectification plan is required, fix by %(due)s")
)
FIX_REPORTED = Message("safety.fix_reported", _("Fix reported, re-inspect: %(hazard)s"))
FIX_CONFIRMED = Message("safety.fix_confirmed", _("Re-inspection confirmed the fix: hazard closed"))
NOT_FIXED = Message("safety.not_fixed", _("Re-inspection: not fixed, rectify again by %(due)s"))
HAZARD_DUE = Message("safety.hazard_due", _("Hazard due %(due)s: report the fix"))
HAZARD_OVERDUE = Message("safety.hazard_overdue", _("Hazard overdue at %(enterprise)s"))
