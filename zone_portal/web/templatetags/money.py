"""`{{ amount|wan }}`: an amount stored in yuan, written in 万元; `{{ amount|yuan }}`: written in yuan.
Both with two decimals and thousands separators, "—" when there is none; the page writes the unit
next to it."""

from decimal import Decimal

from django import template

from zone_portal.money import wan as to_wan

register = template.Library()


@register.filter
def wan(yuan) -> str:
    if yuan in (None, ""):
        return "—"
    return f"{to_wan(yuan):,.2f}"


@register.filter
def yuan(amount) -> str:
    if amount in (None, ""):
        return "—"
    return f"{Decimal(amount):,.2f}"
