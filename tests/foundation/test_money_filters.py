"""The money filters write amounts as people read them: two decimals, thousands grouped."""

from decimal import Decimal

from django.template import Context, Template


def _render(text, **context):
    return Template("{% load money %}" + text).render(Context(context))


def test_yuan_groups_thousands_and_says_dash_for_none():
    assert _render("{{ a|yuan }}", a=Decimal("202275")) == "202,275.00"
    assert _render("{{ a|yuan }}", a=Decimal("0.5")) == "0.50"
    assert _render("{{ a|yuan }}", a=None) == "—"
    assert _render("{{ a|wan }}", a=Decimal("9300000")) == "930.00"
