"""The words of the benefits app's notifications, by code (`zone_portal.notifications.messages`):
stored as the code and its parameters, shown in each reader's language."""

from django.utils.translation import gettext_lazy as _

from zone_portal.notifications.messages import message_register

APPLICATION_NEW = "benefits.application_new"
APPLICATION_ACCEPTED = "benefits.application_accepted"
APPLICATION_REVIEWED = "benefits.application_reviewed"
APPLICATION_APPROVED = "benefits.application_approved"
APPLICATION_PAID = "benefits.application_paid"
APPLICATION_REJECTED = "benefits.application_rejected"
REVIEW_DUE_SOON = "benefits.review_due_soon"
REVIEW_OVERDUE = "benefits.review_overdue"
VOUCHER_APPLIED = "benefits.voucher_applied"
VOUCHER_ISSUED = "benefits.voucher_issued"
VOUCHER_REJECTED = "benefits.voucher_rejected"
VOUCHER_REDEMPTION = "benefits.voucher_redemption"
VOUCHER_TO_REVIEW = "benefits.voucher_to_review"
VOUCHER_PAID = "benefits.voucher_paid"
VOUCHER_EXPIRES = "benefits.voucher_expires"
VOUCHER_EXPIRED = "benefits.voucher_expired"


def register() -> None:
    message_register(APPLICATION_NEW, title=_("New application: %(policy)s — %(enterprise)s"))
    message_register(APPLICATION_ACCEPTED, title=_("Your application for %(policy)s was accepted"))
    message_register(APPLICATION_REVIEWED, title=_("Your application for %(policy)s was reviewed"))
    message_register(APPLICATION_APPROVED, title=_("Your application for %(policy)s was approved"))
    message_register(APPLICATION_PAID, title=_("The support of %(policy)s was paid"))
    message_register(APPLICATION_REJECTED, title=_("Your application for %(policy)s was rejected"))
    message_register(REVIEW_DUE_SOON, title=_("Review due soon: %(policy)s — %(enterprise)s"))
    message_register(REVIEW_OVERDUE, title=_("Review overdue: %(policy)s — %(enterprise)s"))
    message_register(VOUCHER_APPLIED, title=_("Voucher application: %(enterprise)s, %(amount)s yuan"))
    message_register(
        VOUCHER_ISSUED, title=_("Voucher %(number)s issued: %(amount)s yuan, valid until %(until)s")
    )
    message_register(VOUCHER_REJECTED, title=_("Voucher application rejected"))
    message_register(VOUCHER_REDEMPTION, title=_("Voucher %(number)s: redemption submitted"))
    message_register(VOUCHER_TO_REVIEW, title=_("Please review the redemption of voucher %(number)s"))
    message_register(VOUCHER_PAID, title=_("Voucher %(number)s paid: %(amount)s yuan"))
    message_register(
        VOUCHER_EXPIRES,
        title=_("Voucher %(number)s (%(amount)s yuan) expires on %(until)s: redeem it before then"),
    )
    message_register(VOUCHER_EXPIRED, title=_("Voucher %(number)s expired unused"))
