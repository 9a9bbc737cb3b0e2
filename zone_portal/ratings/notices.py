"""The words of the ratings' notifications, by code (`zone_portal.notifications.messages`): stored
as the code and its parameters, shown in each reader's language."""

from django.utils.translation import gettext_lazy as _

from zone_portal.notifications.messages import message_register

BAD_REVIEW = "ratings.bad_review"
RATE_THE_FIX = "ratings.rate_the_fix"
FIX_NOT_SATISFIED = "ratings.fix_not_satisfied"
APPEAL = "ratings.appeal"
APPEAL_UPHELD = "ratings.appeal_upheld"
APPEAL_DISMISSED = "ratings.appeal_dismissed"
VERIFY_OVERDUE = "ratings.verify_overdue"
FIX_OVERDUE = "ratings.fix_overdue"


def register() -> None:
    message_register(BAD_REVIEW, title=_("Bad review of %(case)s: verify by %(due)s"))
    message_register(RATE_THE_FIX, title=_("Please rate how %(case)s was put right"))
    message_register(FIX_NOT_SATISFIED, title=_("The enterprise is not satisfied with the fix of %(case)s"))
    message_register(APPEAL, title=_("Appeal against the review of %(case)s"))
    message_register(APPEAL_UPHELD, title=_("Appeal upheld: %(case)s"))
    message_register(APPEAL_DISMISSED, title=_("Appeal dismissed: %(case)s"))
    message_register(VERIFY_OVERDUE, title=_("Verification overdue: %(case)s"))
    message_register(FIX_OVERDUE, title=_("Rectification overdue: %(case)s"))
