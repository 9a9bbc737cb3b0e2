"""The words of the supervision app's notifications, by code (`zone_portal.notifications.messages`):
stored as the code and its parameters, shown in each reader's language. An observation is named
by its number and category (`category`: its value, named in the reader's language)."""

from django.utils.translation import gettext_lazy as _

from zone_portal.notifications.messages import Message

from .models import ObservationCategory


def observation_params(observation) -> dict:
    return {"id": observation.pk, "category": observation.category}


_CATEGORY = {"category": ObservationCategory}
TO_ANSWER = Message(
    "supervision.to_answer", _("A supervisor's observation to answer: #%(id)s %(category)s"), words=_CATEGORY
)
ANSWERED = Message(
    "supervision.answered", _("Your observation #%(id)s was answered: %(category)s"), words=_CATEGORY
)
RECTIFIED = Message(
    "supervision.rectified", _("Your observation #%(id)s was rectified: %(category)s"), words=_CATEGORY
)
DUE_SOON = Message("supervision.due_soon", _("Observation #%(id)s is due soon"))
OVERDUE = Message("supervision.overdue", _("Observation #%(id)s is overdue"))
ENTRY_CONFIRMED = Message("supervision.entry_confirmed", _("Indicator entry confirmed: %(name)s"))
ENTRY_RETURNED = Message("supervision.entry_returned", _("Indicator entry returned: %(name)s"))
