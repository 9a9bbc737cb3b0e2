from django.contrib import admin

from zone_portal.admin import ReadOnlyAdmin

from .models import Indicator, IndicatorEntry, Observation, RankingWeight, SupervisionSettings, Supervisor


@admin.register(Observation)
class ObservationAdmin(ReadOnlyAdmin):
    list_display = ["id", "category", "place", "status", "department", "created_at", "due_at"]
    list_filter = ["status", "category", "place"]


@admin.register(Supervisor)
class SupervisorAdmin(ReadOnlyAdmin):
    list_display = ["name", "phone", "term_start", "term_end", "active"]


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ["year", "department", "park", "group", "name", "weight", "target", "unit", "measure"]
    list_filter = ["year", "group", "measure"]


@admin.register(IndicatorEntry)
class IndicatorEntryAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "month", "value", "status"]


admin.site.register(SupervisionSettings, ReadOnlyAdmin)
admin.site.register(RankingWeight, ReadOnlyAdmin)
