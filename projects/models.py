from django.db import models
from django.utils.translation import gettext_lazy as _


class Project(models.Model):
    """A key project (重点项目); the projects issue completes the "six ones" around it."""

    name = models.CharField(_("name"), max_length=200)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("investor"),
    )
    park = models.ForeignKey(
        "org.Park", on_delete=models.PROTECT, related_name="projects", verbose_name=_("park")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("key project")
        verbose_name_plural = _("key projects")

    def __str__(self):
        return self.name
