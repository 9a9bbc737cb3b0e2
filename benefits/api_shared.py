"""What the API modules of benefits share: the money field's size and the rows of a total."""

from rest_framework import serializers

MONEY = {"max_digits": 16, "decimal_places": 2}


class BenefitTotalRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=18, decimal_places=2)


def total_rows(rows, key: str, name: str) -> list[dict]:
    """Grouped totals (`values(key, name).annotate(count, total)`) as `BenefitTotalRowSerializer` rows."""
    return [
        {"key": str(r[key]), "name": str(r[name]), "count": r["count"], "total": r["total"]} for r in rows
    ]
