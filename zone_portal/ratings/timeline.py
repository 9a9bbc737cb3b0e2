"""The words of a rectification's timeline (the `rated` event belongs to the rated case's app)."""

from django.utils.translation import gettext_lazy as _

from .models import RectificationStatus

KINDS = {
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
STATES = dict(RectificationStatus.choices)
