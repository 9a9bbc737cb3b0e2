from django.contrib import admin

from .calendar import calendar_changed
from .models import CalendarOverride, OfficePeriod


class _ChangesCalendar(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        calendar_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        calendar_changed()


@admin.register(OfficePeriod)
class OfficePeriodAdmin(_ChangesCalendar):
    list_display = ["start", "end"]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(_ChangesCalendar):
    list_display = ["date", "kind", "start", "end", "note"]
    list_filter = ["kind"]
