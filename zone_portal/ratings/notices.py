"""The words of the ratings' notifications, by code (`zone_portal.notifications.messages`): stored
as the code and its parameters, shown in each reader's language."""

from django.utils.translation import gettext_lazy as _

from zone_portal.notifications.messages import Message

BAD_REVIEW = Message("ratings.bad_review", _("Bad review of %(case)s: verify by %(due)s"))
RATE_THE_FIX = Message("ratings.rate_the_fix", _("Please rate how %(case)s was put right"))
FIX_NOT_SATISFIED = Message(
    "ratings.fix_not_satisfied", _("The enterprise is not satisfied with the fix of %(case)s")
)
APPEAL = Message("ratings.appeal", _("Appeal against the review of %(case)s"))
APPEAL_UPHELD = Message("ratings.appeal_upheld", _("Appeal upheld: %(case)s"))
APPEAL_DISMISSED = Message("ratings.appeal_dismissed", _("Appeal dismissed: %(case)s"))
VERIFY_OVERDUE = Message("ratings.verify_overdue", _("Verification overdue: %(case)s"))
FIX_OVERDUE = Message("ratings.fix_overdue", _("Rectification overdue: %(case)s"))
