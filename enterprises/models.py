from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Enterprise(models.Model):
    """An enterprise registered in the zone (the register issue completes its fields)."""

    name = models.CharField(_("name"), max_length=200)
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    park = models.ForeignKey(
        "org.Park", on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("park")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self):
        return self.name


class EnterpriseMembership(models.Model):
    """A user's account at an enterprise; enterprise staff see only their enterprises' data."""

    class Kind(models.TextChoices):
        OWNER = "owner", _("Owner")
        STAFF = "staff", _("Staff")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enterprise_memberships"
    )
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="memberships")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.STAFF)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "enterprise"], name="membership_unique")]
        verbose_name = _("enterprise membership")
        verbose_name_plural = _("enterprise memberships")

    def __str__(self):
        return f"{self.user} @ {self.enterprise}"


class CsoAssignment(models.Model):
    """Who is an enterprise's chief service officer (首席服务员), and since when.

    At most one open row (ended_at is null) per enterprise, enforced by the database.
    """

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="cso_assignments")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cso_assignments"
    )
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise"], condition=Q(ended_at=None), name="one_active_cso"),
        ]
        indexes = [models.Index(fields=["officer"], condition=Q(ended_at=None), name="cso_active_by_officer")]
        verbose_name = _("chief service officer assignment")
        verbose_name_plural = _("chief service officer assignments")

    def __str__(self):
        return f"{self.officer} → {self.enterprise}"
