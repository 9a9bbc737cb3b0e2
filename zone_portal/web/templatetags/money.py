"""`{{ amount|wan }}`: an amount stored in yuan, written in 万元 (two decimals, thousands separators);
"—" when there is none. The page writes the unit next to it."""

from django import template

from zone_portal.money import wan as to_wan

register = template.Library()


@register.filter
def wan(yuan) -> str:
    if yuan in (None, ""):
        return "—"
    return f"{to_wan(yuan):,.2f}"
