"""The words of the projects app's notifications, by code (`zone_portal.notifications.messages`):
stored as the code and its parameters, shown in each reader's language (a stage is stored as its
value and named when shown)."""

from django.utils.translation import gettext_lazy as _

from zone_portal.notifications.messages import Message

from .models import Stage

ASSIGNED = Message(
    "projects.assigned",
    _("You are on the key project %(name)s"),
    _("Six ones: %(park)s, leader %(leader)s, target %(date)s."),
)
STAGE = Message("projects.stage", _("%(name)s: %(stage)s"), words={"stage": Stage})
DELAYED = Message("projects.delayed", _("Delayed: %(project)s, milestone “%(milestone)s” was due %(date)s"))
SUPERVISION_MISSING = Message(
    "projects.supervision_missing", _("No weekly supervision of %(project)s in the week of %(date)s")
)
