from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class OfficePeriod(models.Model):
    """The service center's ordinary office hours on a working day (default 08:30–12:00, 14:30–18:00)."""

    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))

    class Meta:
        ordering = ["start"]
        verbose_name = _("office period")
        verbose_name_plural = _("office periods")
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="office_period_order")
        ]

    def __str__(self):
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


class CalendarOverride(models.Model):
    """An administrator's correction of the official calendar for one date."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Extra holiday (no office hours)")
        WORKDAY = "workday", _("Extra working day (ordinary office hours)")
        SERVICE = "service", _("Extra service period (weekend, extended or staggered hours)")

    date = models.DateField(_("date"), db_index=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    start = models.TimeField(_("start"), null=True, blank=True)
    end = models.TimeField(_("end"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["date", "start"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        constraints = [
            models.UniqueConstraint(
                fields=["date"], condition=~models.Q(kind="service"), name="calendar_override_one_per_day"
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"

    def clean(self):
        if self.kind == self.Kind.SERVICE:
            if not (self.start and self.end) or self.end <= self.start:
                raise ValidationError(_("An extra service period needs a start and a later end."))
        elif self.start or self.end:
            raise ValidationError(_("Only an extra service period has times."))
