"""How the dashboard writes its numbers: rates as percentages ("—" without a denominator), hours,
and links to the list of cases behind a figure."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

register = template.Library()


@register.filter
def percent(value) -> str:
    """0.975 → "97.5%"; None (no denominator) → "—"."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.1f}%"


@register.filter
def hours(value) -> str:
    if value is None or value == "":
        return "—"
    return f"{float(value):.1f}"


SCOPE_KEYS = ("park", "department", "without_park")


@register.simple_tag(takes_context=True)
def drill(context, metric: str, **extra) -> str:
    """The drill-down list of `metric` for the page's period and scope; `extra` adds filters
    (`service`, `score`) or names another scope (`park`, `department`, `without_park`)."""
    params = dict(context.get("base_params", {}))
    extra = {k: v for k, v in extra.items() if v not in (None, "")}
    if any(key in extra for key in SCOPE_KEYS):
        for key in SCOPE_KEYS:
            params.pop(key, None)
    params.update(extra)
    return f"{reverse('dashboard:drill', args=[metric])}?{urlencode(params)}"


@register.simple_tag(takes_context=True)
def scoped(context, url_name: str, **extra) -> str:
    """A dashboard page for the same period with other scope parameters (e.g. one park)."""
    params = dict(context.get("period_params", {}))
    params.update({k: v for k, v in extra.items() if v not in (None, "")})
    return f"{reverse(url_name)}?{urlencode(params)}"
