"""Admin screens: read-only for the cases (they change through the actions); the settings row is
edited here."""

from django.contrib import admin

from zone_portal.admin import OneRowAdmin, ReadOnlyAdmin

from .models import Campaign, Hazard, Inspection, SafetySettings


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ["id", "enterprise", "planned_on", "unannounced", "status", "inspector"]
    list_filter = ["status", "unannounced"]
    list_select_related = ["enterprise", "inspector"]


@admin.register(Hazard)
class HazardAdmin(ReadOnlyAdmin):
    list_display = ["id", "enterprise", "severity", "status", "due_at"]
    list_filter = ["severity", "status"]
    list_select_related = ["enterprise"]


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["name", "starts_on", "ends_on", "target_count"]


@admin.register(SafetySettings)
class SafetySettingsAdmin(OneRowAdmin):
    list_display = ["__str__", "general_working_days", "major_calendar_days", "bureau", "bureau_leader"]
