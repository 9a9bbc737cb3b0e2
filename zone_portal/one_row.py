"""Settings an administrator edits: one row per app (pk=1), never constants in code. The row is
created with its fields' defaults when first read, so a fresh database works without a setup step;
its admin screen is `zone_portal.admin.OneRowAdmin`."""

from django.db import models


class OneRow(models.Model):
    """The settings row of an app; it is named by its model's verbose name ("safety settings")."""

    class Meta:
        abstract = True

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls, *related: str):
        """The row, created with the defaults on first use; `related`: foreign keys to fetch with it."""
        rows = cls.objects.select_related(*related) if related else cls.objects
        row, _created = rows.get_or_create(pk=1)
        return row
