from django.contrib import admin

from zone_portal.admin import ReadOnlyAdmin

from .models import AccountRequest, CsoAssignment, Enterprise, EnterpriseImport, EnterpriseMembership, Visit

# Writes go through the portal's pages (actions.py records events and keeps the search keys);
# the admin is for looking things up.


@admin.register(Enterprise)
class EnterpriseAdmin(ReadOnlyAdmin):
    list_display = ["name", "uscc", "park", "status"]
    search_fields = ["name", "uscc", "name_initials"]
    list_filter = ["park", "status"]


@admin.register(CsoAssignment)
class CsoAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "officer", "started_at", "ended_at"]
    list_select_related = ["enterprise", "officer"]


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "officer", "visited_on"]
    list_select_related = ["enterprise", "officer"]


@admin.register(AccountRequest)
class AccountRequestAdmin(ReadOnlyAdmin):
    list_display = ["enterprise_name", "uscc", "username", "status", "created_at"]
    exclude = ["password_hash"]


@admin.register(EnterpriseImport)
class EnterpriseImportAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "uploaded_by", "status", "total_rows", "imported_rows", "created_at"]


admin.site.register(EnterpriseMembership)
