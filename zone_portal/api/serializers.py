from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zone_portal.accounts.models import User


class UserBriefSerializer(serializers.ModelSerializer):
    """How every endpoint names a person: the same three fields everywhere."""

    display_name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "display_name"]


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    enterprise_ids = serializers.SerializerMethodField()
    park_ids = serializers.SerializerMethodField()
    department_codes = serializers.SerializerMethodField()
    display_name = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "display_name",
            "email",
            "roles",
            "enterprise_ids",
            "park_ids",
            "department_codes",
        ]

    def get_roles(self, user) -> list[str]:
        return sorted(user.role_codes)

    def get_enterprise_ids(self, user) -> list[int]:
        return user.enterprise_ids

    def get_park_ids(self, user) -> list[int]:
        return user.park_ids

    def get_department_codes(self, user) -> list[str]:
        return user.department_codes

    def get_display_name(self, user) -> str:
        return user.display_name or user.username


@extend_schema_field({"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$", "example": "09:00:00"})
class LocalTimeField(serializers.TimeField):
    """A time of day in the zone (Asia/Shanghai), "09:00:00". OpenAPI's `format: time` is RFC 3339's
    full-time, which requires an offset the portal never writes, so the schema gives the pattern."""


# The read-only fields every representation uses for the same few things. One definition each, so
# a person, a department or a related row's name reads (and is documented) alike everywhere.


def by_username(**options) -> serializers.SlugRelatedField:
    """A person named by their username, where the whole `UserBriefSerializer` is not given."""
    return serializers.SlugRelatedField(slug_field="username", read_only=True, **options)


def by_code(**options) -> serializers.SlugRelatedField:
    """A department, park or service named by its code."""
    return serializers.SlugRelatedField(slug_field="code", read_only=True, **options)


def name_of(relation: str, **options) -> serializers.CharField:
    """The name of the related row `relation` (`name_of("enterprise")`: `enterprise.name`)."""
    return serializers.CharField(source=f"{relation}.name", read_only=True, **options)


def label_of(field: str) -> serializers.CharField:
    """The label of a choice field in the reader's language (`get_<field>_display`)."""
    return serializers.CharField(source=f"get_{field}_display", read_only=True)
