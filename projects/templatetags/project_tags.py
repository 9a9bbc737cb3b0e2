"""Display helpers of the projects pages: money in 万元, health and stage labels."""

from django import template

from projects.selectors import Health
from zone_portal.web.templatetags.money import wan as money_wan

register = template.Library()


# money in 万元: the portal's one filter (`zone_portal.money`)
register.filter("wan", money_wan)


@register.filter
def health_label(health: str) -> str:
    return str(Health.LABELS.get(health, health))
