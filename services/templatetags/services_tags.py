from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

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


def _hours(duration) -> str:
    hours = abs(duration.total_seconds()) / 3600
    return f"{hours:.1f}".rstrip("0").rstrip(".")


@register.filter
def time_left(duration):
    """`{{ row.left|time_left }}`: "剩余 2 工时" while working time is left, "超期 3 工时" once due
    (red only then)."""
    if duration is None:
        return ""
    if duration.total_seconds() > 0:
        return format_html(
            '<span class="clock-left" data-left="{}">{}</span>',
            int(duration.total_seconds()),
            _("%(hours)s working hours left") % {"hours": _hours(duration)},
        )
    return format_html(
        '<span class="clock-left overdue" data-left="{}">{}</span>',
        int(duration.total_seconds()),
        _("%(hours)s working hours overdue") % {"hours": _hours(duration)},
    )


@register.filter
def waited(duration) -> str:
    """`{{ row.waited|waited }}`: working time since the request was filed."""
    if duration is None:
        return ""
    return _("waited %(hours)s working hours") % {"hours": _hours(duration)}
