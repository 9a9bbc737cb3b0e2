"""Display helpers of the projects pages: money in 万元, health and stage labels."""

from decimal import Decimal

from django import template

from projects.selectors import WAN, Health

register = template.Library()


@register.filter
def wan(yuan) -> str:
    """Yuan → 万元 with two decimals and thousands separators: 67894050 → '6,789.41'."""
    if yuan in (None, ""):
        return "—"
    return f"{Decimal(yuan) / WAN:,.2f}"


@register.filter
def health_label(health: str) -> str:
    return str(Health.LABELS.get(health, health))
