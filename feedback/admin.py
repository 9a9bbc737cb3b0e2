"""Administrators edit the escalation policies and the categories' default departments here.
Tickets are read-only in the admin: every change goes through the actions (and the timeline)."""

from django.contrib import admin

from zone_portal.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import CategoryDepartment, EscalationPolicy, JointMeeting, Ticket, Whistle


@admin.register(EscalationPolicy)
class EscalationPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "tier",
        "category",
        "acknowledge_hours",
        "resolve_days",
        "report_days",
        "answer_days",
        "notice_days",
        "action_days",
        "confirm_days",
        "at_risk_ratio",
    ]
    list_filter = ["tier"]


@admin.register(CategoryDepartment)
class CategoryDepartmentAdmin(admin.ModelAdmin):
    list_display = ["category", "department"]
    list_filter = ["category"]


class WhistleInline(ReadOnlyInline):
    model = Whistle
    fields = ["department", "status", "report_due_at", "answer_due_at", "reported_by", "answer"]
    readonly_fields = fields


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "enterprise", "park", "category", "tier", "status", "owner", "due_at"]
    list_filter = ["status", "tier", "category", "park"]
    search_fields = ["number", "title", "enterprise__name"]
    inlines = [WhistleInline]


@admin.register(JointMeeting)
class JointMeetingAdmin(ReadOnlyAdmin):
    list_display = ["title", "starts_at", "chair", "status"]
