"""The words of the benefits app's notifications, by code (`zone_portal.notifications.messages`):
stored as the code and its parameters, shown in each reader's language."""

from django.utils.translation import gettext_lazy as _

from zone_portal.notifications.messages import Message

APPLICATION_NEW = Message("benefits.application_new", _("New application: %(policy)s — %(enterprise)s"))
APPLICATION_ACCEPTED = Message(
    "benefits.application_accepted", _("Your application for %(policy)s was accepted")
)
APPLICATION_REVIEWED = Message(
    "benefits.application_reviewed", _("Your application for %(policy)s was reviewed")
)
APPLICATION_APPROVED = Message(
    "benefits.application_approved", _("Your application for %(policy)s was approved")
)
APPLICATION_PAID = Message("benefits.application_paid", _("The support of %(policy)s was paid"))
APPLICATION_REJECTED = Message(
    "benefits.application_rejected", _("Your application for %(policy)s was rejected")
)
REVIEW_DUE_SOON = Message("benefits.review_due_soon", _("Review due soon: %(policy)s — %(enterprise)s"))
REVIEW_OVERDUE = Message("benefits.review_overdue", _("Review overdue: %(policy)s — %(enterprise)s"))
VOUCHER_APPLIED = Message(
    "benefits.voucher_applied", _("Voucher application: %(enterprise)s, %(amount)s yuan")
)
VOUCHER_ISSUED = Message(
    "benefits.voucher_issued", _("Voucher %(number)s issued: %(amount)s yuan, valid until %(until)s")
)
VOUCHER_REJECTED = Message("benefits.voucher_rejected", _("Voucher application rejected"))
VOUCHER_REDEMPTION = Message("benefits.voucher_redemption", _("Voucher %(number)s: redemption submitted"))
VOUCHER_TO_REVIEW = Message(
    "benefits.voucher_to_review", _("Please review the redemption of voucher %(number)s")
)
VOUCHER_PAID = Message("benefits.voucher_paid", _("Voucher %(number)s paid: %(amount)s yuan"))
VOUCHER_EXPIRES = Message(
    "benefits.voucher_expires",
    _("Voucher %(number)s (%(amount)s yuan) expires on %(until)s: redeem it before then"),
)
VOUCHER_EXPIRED = Message("benefits.voucher_expired", _("Voucher %(number)s expired unused"))
