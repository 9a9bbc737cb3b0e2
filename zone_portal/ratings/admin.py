from django.contrib import admin

from zone_portal.admin import ReadOnlyAdmin

from .models import Rating, Rectification


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ["case_label", "score", "enterprise", "handler_department", "created_at"]
    list_filter = ["score", "handler_department"]


@admin.register(Rectification)
class RectificationAdmin(ReadOnlyAdmin):
    list_display = ["pk", "department", "status", "verify_due_at", "fix_due_at"]
    list_filter = ["status", "department"]
