from rest_framework import serializers

from .models import Event


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    reason = serializers.CharField(source="reason_text", read_only=True)

    class Meta:
        model = Event
        fields = ["kind", "actor", "from_state", "to_state", "reason", "at", "data"]
