from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User, UserRole


class UserRoleInline(admin.TabularInline):
    model = UserRole
    extra = 1


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [UserRoleInline]
    list_display = ["username", "display_name", "email", "is_active"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (None, {"fields": ("display_name", "phone", "parks", "departments")}),
    )
    filter_horizontal = ["parks", "departments", "groups", "user_permissions"]
