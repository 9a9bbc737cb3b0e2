"""The words of the services app's notifications, by code (`zone_portal.notifications.messages`):
stored as the code and its parameters, shown in each reader's language."""

from django.utils.translation import gettext_lazy as _

from zone_portal.notifications.messages import Message

FILED_FOR_YOU = Message("services.filed_for_you", _("%(agent)s filed request %(number)s for you"))
HANDED = Message("services.handed", _("Request %(number)s was handed to you"))
ACCEPTED = Message("services.accepted", _("Request %(number)s was accepted"), _("Promised by %(due)s."))
SUPPLEMENT_REQUESTED = Message(
    "services.supplement_requested",
    _("Request %(number)s needs more materials"),
    _("Missing, all listed at once: %(missing)s"),
)
SUPPLEMENTED = Message("services.supplemented", _("Request %(number)s was supplemented"))
COMPLETED = Message("services.completed", _("Request %(number)s is completed: please rate the service"))
REJECTED = Message("services.rejected", _("Request %(number)s was not accepted"))
WITHDRAWN = Message("services.withdrawn", _("Request %(number)s was withdrawn by the applicant"))
OVERDUE = Message("services.overdue", _("Request %(number)s is overdue"))
AT_RISK = Message("services.at_risk", _("Request %(number)s is at risk of missing its promised time"))
