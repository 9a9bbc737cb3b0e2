from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zone_portal.fields import optional_reference


class Event(models.Model):
    """One state change (or notable fact) of a case: append-only, the case's timeline.

    `dedupe_key` is unique when set, so a sweep can write "ticket 7 reached tier 2" exactly once
    however many runs race for it.
    """

    # No index of its own: `event_case_at` starts with it (sweeps insert many events; each index costs).
    # (content_type, object_id) is one generic reference, which the database cannot check as a whole
    # (object_id has no constraint); checking half of it cost a deferred trigger per event at
    # commit — a fifth of a busy sweep's work — and content types live as long as their models.
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, db_index=False, db_constraint=False
    )
    object_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("kind"), max_length=64)
    from_state = models.CharField(_("from"), max_length=32, blank=True)
    to_state = models.CharField(_("to"), max_length=32, blank=True)
    # Indexed only where there is one (`event_actor`): the sweeps' events have none, and each of
    # their rows would otherwise add a NULL entry to maintain.
    actor = optional_reference(settings.AUTH_USER_MODEL, _("actor"), db_index=False)
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    data = models.JSONField(_("data"), default=dict, blank=True)
    dedupe_key = models.CharField(max_length=200, null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"], name="event_case_at"),
            models.Index(fields=["actor"], name="event_actor", condition=Q(actor__isnull=False)),
        ]
        # A constraint rather than unique=True: no extra pattern (LIKE) index on PostgreSQL.
        constraints = [models.UniqueConstraint(fields=["dedupe_key"], name="event_dedupe_key_unique")]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self):
        return f"{self.kind} {self.from_state}→{self.to_state} @ {self.at:%Y-%m-%d %H:%M}"

    @property
    def reason_text(self) -> str:
        """The reason as a reader sees it: one the system wrote (a message code in
        `data["reason_code"]`, `zone_portal.notifications.messages`) in the active language, else
        the reason as written (`reason` keeps the portal's wording for text-only readers)."""
        from zone_portal.notifications.messages import message_render

        data = self.data or {}
        if data.get("reason_code"):
            rendered = message_render(data["reason_code"], data.get("reason_params"))
            if rendered is not None:
                return rendered[0]
        return self.reason
