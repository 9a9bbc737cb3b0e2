"""The words of the projects app's notifications, by code (`zone_portal.notifications.messages`):
stored as the code and its parameters, shown in each reader's language (a stage is stored as its
value and named when shown)."""

from django.utils.translation import gettext_lazy as _

from zone_portal.notifications.messages import message_register

from .models import Stage

ASSIGNED = "projects.assigned"
STAGE = "projects.stage"
DELAYED = "projects.delayed"
SUPERVISION_MISSING = "projects.supervision_missing"


def register() -> None:
    message_register(
        ASSIGNED,
        title=_("You are on the key project %(name)s"),
        body=_("Six ones: %(park)s, leader %(leader)s, target %(date)s."),
    )
    message_register(STAGE, title=_("%(name)s: %(stage)s"), words={"stage": Stage})
    message_register(DELAYED, title=_("Delayed: %(project)s, milestone “%(milestone)s” was due %(date)s"))
    message_register(
        SUPERVISION_MISSING, title=_("No weekly supervision of %(project)s in the week of %(date)s")
    )
