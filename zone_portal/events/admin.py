from django.contrib import admin

from zone_portal.admin import ReadOnlyAdmin

from .models import Event


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["at", "content_type", "object_id", "kind", "from_state", "to_state", "actor"]
    list_filter = ["kind", "content_type"]
    readonly_fields = [f.name for f in Event._meta.fields]
