"""The words of the services app's notifications, by code (`zone_portal.notifications.messages`):
stored as the code and its parameters, shown in each reader's language."""

from django.utils.translation import gettext_lazy as _

from zone_portal.notifications.messages import message_register

FILED_FOR_YOU = "services.filed_for_you"
HANDED = "services.handed"
ACCEPTED = "services.accepted"
SUPPLEMENT_REQUESTED = "services.supplement_requested"
SUPPLEMENTED = "services.supplemented"
COMPLETED = "services.completed"
REJECTED = "services.rejected"
WITHDRAWN = "services.withdrawn"
OVERDUE = "services.overdue"
AT_RISK = "services.at_risk"


def register() -> None:
    message_register(FILED_FOR_YOU, title=_("%(agent)s filed request %(number)s for you"))
    message_register(HANDED, title=_("Request %(number)s was handed to you"))
    message_register(ACCEPTED, title=_("Request %(number)s was accepted"), body=_("Promised by %(due)s."))
    message_register(
        SUPPLEMENT_REQUESTED,
        title=_("Request %(number)s needs more materials"),
        body=_("Missing, all listed at once: %(missing)s"),
    )
    message_register(SUPPLEMENTED, title=_("Request %(number)s was supplemented"))
    message_register(COMPLETED, title=_("Request %(number)s is completed: please rate the service"))
    message_register(REJECTED, title=_("Request %(number)s was not accepted"))
    message_register(WITHDRAWN, title=_("Request %(number)s was withdrawn by the applicant"))
    message_register(OVERDUE, title=_("Request %(number)s is overdue"))
    message_register(AT_RISK, title=_("Request %(number)s is at risk of missing its promised time"))
