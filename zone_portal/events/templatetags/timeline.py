from django import template

from zone_portal.events import labels

register = template.Library()


@register.filter
def event_label(event) -> str:
    return labels.event_label(event)


@register.filter
def from_label(event) -> str:
    return labels.state_label(event, event.from_state)


@register.filter
def to_label(event) -> str:
    return labels.state_label(event, event.to_state)


@register.filter
def event_detail(event) -> str:
    return labels.event_detail(event)
