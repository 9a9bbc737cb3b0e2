from django.contrib import admin

from zone_portal.admin import OneRowAdmin, ReadOnlyAdmin

from .models import (
    Appointment,
    AppointmentSlot,
    Material,
    ServiceItem,
    ServiceRequest,
    ServiceSettings,
)


@admin.register(ServiceSettings)
class ServiceSettingsAdmin(OneRowAdmin):
    list_display = [
        "__str__",
        "at_risk_ratio",
        "rectification_verify_days",
        "rectification_fix_days",
        "center_head",
    ]


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "department",
        "limit_amount",
        "limit_unit",
        "fee",
        "agency_offered",
        "active",
    ]
    list_filter = ["department", "limit_unit", "active", "agency_offered"]
    search_fields = ["code", "name"]
    filter_horizontal = ["components"]


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ReadOnlyAdmin):
    list_display = ["number", "service", "enterprise", "status", "assignee", "due_at"]
    list_filter = ["status", "service"]
    search_fields = ["number", "enterprise__name", "applicant_name"]
    list_select_related = ["service", "enterprise", "assignee"]


@admin.register(Material)
class MaterialAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "request", "kind", "size", "uploaded_at"]


@admin.register(AppointmentSlot)
class AppointmentSlotAdmin(admin.ModelAdmin):
    list_display = ["date", "start", "end", "kind", "capacity", "booked", "department"]
    list_filter = ["kind", "date"]
    readonly_fields = ["booked"]


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ["slot", "enterprise", "service", "status"]
