"""`updated_at` that every write keeps current, so a reader can ask "what changed since then?".

The dashboard's daily rollups (zone_portal/dashboard/rollup.py) recount only the cases that changed
since their last refresh; they find them by this column. A plain `auto_now` field is
not enough for that: `save(update_fields=[…])` skips it unless listed, and `QuerySet.update()` never
sets it. `Touched` covers both; raw SQL that changes these tables must set `updated_at` itself (the
problem sweep does).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TouchedQuerySet(models.QuerySet):
    def update(self, **kwargs):
        kwargs.setdefault("updated_at", timezone.now())
        return super().update(**kwargs)


class Touched(models.Model):
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now, editable=False, db_index=True)

    objects = TouchedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.updated_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "updated_at"}
        super().save(*args, **kwargs)
