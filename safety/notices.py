"""The words of the safety app's notifications, by code (`zone_portal.notifications.messages`):
stored as the code and its parameters, shown in each reader's language."""

from django.utils.translation import gettext_lazy as _

from zone_portal.notifications.messages import message_register

INSPECTION_PLANNED = "safety.inspection_planned"
INSPECTION_RECORDED = "safety.inspection_recorded"
HAZARD_FOUND = "safety.hazard_found"
MAJOR_HAZARD_FOUND = "safety.major_hazard_found"
FIX_REPORTED = "safety.fix_reported"
FIX_CONFIRMED = "safety.fix_confirmed"
NOT_FIXED = "safety.not_fixed"
HAZARD_DUE = "safety.hazard_due"
HAZARD_OVERDUE = "safety.hazard_overdue"


def register() -> None:
    message_register(INSPECTION_PLANNED, title=_("Safety inspection planned for %(date)s"))
    message_register(
        INSPECTION_RECORDED, title=_("Safety inspection recorded: %(failed)d checklist points failed")
    )
    message_register(HAZARD_FOUND, title=_("Hazard found: fix by %(due)s"))
    message_register(
        MAJOR_HAZARD_FOUND, title=_("Major hazard found: a rectification plan is required, fix by %(due)s")
    )
    message_register(FIX_REPORTED, title=_("Fix reported, re-inspect: %(hazard)s"))
    message_register(FIX_CONFIRMED, title=_("Re-inspection confirmed the fix: hazard closed"))
    message_register(NOT_FIXED, title=_("Re-inspection: not fixed, rectify again by %(due)s"))
    message_register(HAZARD_DUE, title=_("Hazard due %(due)s: report the fix"))
    message_register(HAZARD_OVERDUE, title=_("Hazard overdue at %(enterprise)s"))
