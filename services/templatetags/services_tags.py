from django import template
from django.utils.html import format_html

from zone_portal.cases.lateness import Lateness

register = template.Library()


@register.filter
def sla_badge(state: str):
    """`{{ sla|sla_badge }}`: the coloured SLA badge, with its name for screen readers too."""
    try:
        label = Lateness(state).label
    except ValueError:
        return ""
    return format_html('<span class="sla sla-{}" data-sla="{}">{}</span>', state, state, label)


@register.filter
def working_hours(duration) -> str:
    """A working-time duration as hours with one decimal (7 h = one working day)."""
    if duration is None:
        return ""
    hours = duration.total_seconds() / 3600
    return f"{hours:.1f}".rstrip("0").rstrip(".")
