from django.contrib import admin

from .models import CsoAssignment, Enterprise, EnterpriseMembership


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "uscc", "park"]
    search_fields = ["name", "uscc"]
    list_filter = ["park"]


admin.site.register(EnterpriseMembership)
admin.site.register(CsoAssignment)
