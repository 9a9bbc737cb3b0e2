"""The words of the supervision app's notifications, by code (`zone_portal.notifications.messages`):
stored as the code and its parameters, shown in each reader's language. An observation is named
by its number and category (`category`: its value, named in the reader's language)."""

from django.utils.translation import gettext_lazy as _

from zone_portal.notifications.messages import message_register

from .models import ObservationCategory

TO_ANSWER = "supervision.to_answer"
ANSWERED = "supervision.answered"
RECTIFIED = "supervision.rectified"
DUE_SOON = "supervision.due_soon"
OVERDUE = "supervision.overdue"
ENTRY_CONFIRMED = "supervision.entry_confirmed"
ENTRY_RETURNED = "supervision.entry_returned"


def observation_params(observation) -> dict:
    return {"id": observation.pk, "category": observation.category}


def register() -> None:
    words = {"category": ObservationCategory}
    message_register(
        TO_ANSWER, title=_("A supervisor's observation to answer: #%(id)s %(category)s"), words=words
    )
    message_register(ANSWERED, title=_("Your observation #%(id)s was answered: %(category)s"), words=words)
    message_register(RECTIFIED, title=_("Your observation #%(id)s was rectified: %(category)s"), words=words)
    message_register(DUE_SOON, title=_("Observation #%(id)s is due soon"))
    message_register(OVERDUE, title=_("Observation #%(id)s is overdue"))
    message_register(ENTRY_CONFIRMED, title=_("Indicator entry confirmed: %(name)s"))
    message_register(ENTRY_RETURNED, title=_("Indicator entry returned: %(name)s"))
