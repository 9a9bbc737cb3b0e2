"""The admin screens' shared pieces. Cases and their records change only through their actions
(which lock, check the transition and record the event), so their admin screens only read; an
app's settings (one row an administrator edits) have a screen that edits that one row."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists and shows rows; never adds, changes or deletes them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """A read-only screen's rows of a related table: shown, never added or deleted."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class OneRowAdmin(admin.ModelAdmin):
    """An app's settings, one row: editable, added only while there is none, never deleted (the
    app reads it, creating the defaults on first use)."""

    def has_add_permission(self, request):
        return not self.model.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
