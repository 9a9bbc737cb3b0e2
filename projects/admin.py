"""Admin screens: read-mostly. Projects, stages and records change through the portal's actions,
so the admin shows them and edits only the settings row."""

from django.contrib import admin

from zone_portal.admin import OneRowAdmin, ReadOnlyAdmin, ReadOnlyInline

from .models import (
    LedgerEntry,
    Milestone,
    Project,
    ProjectSettings,
    SiteObservation,
    Supervision,
    SupervisionGap,
)


class MilestoneInline(ReadOnlyInline):
    model = Milestone
    readonly_fields = ["name", "planned_date", "actual_date", "note"]


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ["name", "enterprise", "park", "leader", "stage", "target_date"]
    list_filter = ["stage", "park"]
    search_fields = ["name", "enterprise__name"]
    list_select_related = ["enterprise", "park", "leader"]
    inlines = [MilestoneInline]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["project", "entry_date", "investment_completed", "progress_percent"]
    list_select_related = ["project"]


@admin.register(Supervision)
class SupervisionAdmin(ReadOnlyAdmin):
    list_display = ["project", "supervised_on", "supervisor"]
    list_select_related = ["project", "supervisor"]


@admin.register(SupervisionGap)
class SupervisionGapAdmin(ReadOnlyAdmin):
    list_display = ["project", "week_start", "flagged_at"]
    list_select_related = ["project"]


@admin.register(SiteObservation)
class SiteObservationAdmin(ReadOnlyAdmin):
    list_display = ["project", "month", "observer", "total_score"]
    list_select_related = ["project", "observer"]


@admin.register(ProjectSettings)
class ProjectSettingsAdmin(OneRowAdmin):
    list_display = ["__str__", "at_risk_days"]
