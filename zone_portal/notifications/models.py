from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An in-app message and the outbox row of its email: written in the same transaction as the
    change it reports, emailed by Celery after commit (`emailed_at` marks delivery)."""

    # Indexed through `notification_unread`, which starts with it.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", db_index=False
    )
    kind = models.CharField(_("kind"), max_length=64, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=200, null=True, blank=True)
    # The message as a code with parameters (`messages.py`), rendered in the reader's language;
    # `title` and `body` keep the text in the portal's language for rows without a known code.
    # (Defaults in the database too: a sweep's INSERT … SELECT written before codes still works.)
    code = models.CharField(_("message"), max_length=64, blank=True, default="", db_default="")
    params = models.JSONField(_("parameters"), null=True, blank=True, default=dict)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            # The inbox (page and API), newest first: a page without sorting the person's whole inbox.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox"),
            models.Index(
                fields=["emailed_at"], name="notification_outbox", condition=models.Q(emailed_at=None)
            ),
        ]
        constraints = [models.UniqueConstraint(fields=["dedupe_key"], name="notification_dedupe_key_unique")]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return self.title

    def rendered(self, language: str | None = None) -> tuple[str, str]:
        """(title, body) in `language` (default: the active language)."""
        from .messages import message_render

        return (message_render(self.code, self.params, language=language) if self.code else None) or (
            self.title,
            self.body,
        )

    @property
    def title_text(self) -> str:
        return self.rendered()[0]

    @property
    def body_text(self) -> str:
        return self.rendered()[1]
