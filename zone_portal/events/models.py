from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """One state change (or notable fact) of a case: append-only, the case's timeline.

    `dedupe_key` is unique when set, so a sweep can write "ticket 7 reached tier 2" exactly once
    however many runs race for it.
    """

    # No index of its own: `event_case_at` starts with it (sweeps insert many events; each index costs).
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, db_index=False)
    object_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("kind"), max_length=64)
    from_state = models.CharField(_("from"), max_length=32, blank=True)
    to_state = models.CharField(_("to"), max_length=32, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    data = models.JSONField(_("data"), default=dict, blank=True)
    dedupe_key = models.CharField(max_length=200, null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="event_case_at")]
        # A constraint rather than unique=True: no extra pattern (LIKE) index on PostgreSQL.
        constraints = [models.UniqueConstraint(fields=["dedupe_key"], name="event_dedupe_key_unique")]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self):
        return f"{self.kind} {self.from_state}→{self.to_state} @ {self.at:%Y-%m-%d %H:%M}"
