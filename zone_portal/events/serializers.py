from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .log import events_for
from .models import Event


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    reason = serializers.CharField(source="reason_text", read_only=True)

    class Meta:
        model = Event
        fields = ["kind", "actor", "from_state", "to_state", "reason", "at", "data"]


# As the detail representations have always documented it: a list of objects.
@extend_schema_field({"type": "array", "items": {"type": "object", "additionalProperties": {}}})
class TimelineField(serializers.Field):
    """A case's timeline (`events_for`, oldest first) in a detail representation, read-only."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, case):
        return EventSerializer(events_for(case), many=True).data
