"""The words of the benefits app's timelines (applications, vouchers, loans)."""

from django.utils.translation import gettext_lazy as _

from .models import ApplicationStatus, VoucherStatus

KINDS = {
    "created": _("Created"),
    "proposed": _("Proposals made (免申即享)"),
    "submitted": _("Submitted"),
    "material_added": _("Material added"),
    "accepted": _("Accepted"),
    "reviewed": _("Reviewed"),
    "approved": _("Approved"),
    "paid": _("Paid"),
    "rejected": _("Rejected"),
    "review_reminder": _("Review due soon"),
    "review_overdue": _("Review overdue"),
    "applied": _("Applied"),
    "issued": _("Issued"),
    "redemption_submitted": _("Redemption submitted"),
    "experts_assigned": _("Experts assigned"),
    "expert_reviewed": _("Expert review given"),
    "expert_review_overdue": _("Expert review overdue"),
    "expiry_reminder_30": _("Reminded: expires in 30 days"),
    "expiry_reminder_7": _("Reminded: expires in 7 days"),
    "expired": _("Expired"),
    "recorded": _("Loan recorded"),
    "subsidy_paid": _("Interest subsidy paid"),
    "ticket_linked": _("Problem linked"),
    "rated": _("Rated"),
}
STATES = {**dict(ApplicationStatus.choices), **dict(VoucherStatus.choices)}


def event_detail(data: dict) -> str:
    if data.get("amount"):
        return _("%(amount)s yuan") % {"amount": data["amount"]}
    if data.get("material"):
        return data["material"]
    if data.get("experts"):
        return "、".join(data["experts"])
    if data.get("expert"):
        return data["expert"]
    if data.get("score") is not None and "score" in data:
        return _("score %(score)s") % {"score": data["score"]}
    return ""
