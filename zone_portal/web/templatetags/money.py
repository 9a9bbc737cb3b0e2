"""`{{ amount|wan }}`: an amount stored in yuan, written in 万元; `{{ amount|yuan }}`: written in yuan.
Both with two decimals and thousands separators, "—" when there is none; the page writes the unit
next to it."""

from django import template

from zone_portal.money import money_text
from zone_portal.money import wan as to_wan

register = template.Library()


@register.filter
def wan(yuan) -> str:
    return money_text(None if yuan in (None, "") else to_wan(yuan))


@register.filter
def yuan(amount) -> str:
    return money_text(amount)
