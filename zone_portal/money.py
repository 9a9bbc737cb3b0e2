"""Money as people enter and read it: amounts are stored as Decimal yuan; large ones (registered
capital, investment) are entered and shown in 万元 (10,000 yuan), the unit always written.

`WAN` is the factor; `wan(yuan)` the 万元 of a stored amount (exact Decimal); `WanField` a form
field that shows 万元 and cleans to yuan; the template filter `wan` (`{% load money %}`) writes
an amount in 万元 with two decimals and thousands separators.
"""

from decimal import Decimal

from django import forms
from django.db import models

WAN = Decimal(10000)
CENT = Decimal("0.01")


class YuanTotal(models.DecimalField):
    """The output field of a sum of yuan (`Sum(…, output_field=YuanTotal())`): read back to the
    cent on every database. SQLite gives the sum of 110000.00 and 0.00 as 110000, which a page then
    showed as such; PostgreSQL keeps the column's scale."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)

    def from_db_value(self, value, expression, connection):
        return None if value is None else Decimal(value).quantize(CENT)


def wan(yuan) -> Decimal | None:
    """万元 of an amount in yuan (None stays None)."""
    return None if yuan is None else Decimal(yuan) / WAN


def money_text(amount) -> str:
    """An amount as people read it: two decimals, thousands grouped (202,275.00); "—" when there
    is none. The reader writes the unit beside it."""
    if amount in (None, ""):
        return "—"
    return f"{Decimal(amount):,.2f}"


def yuan_from_wan(value) -> Decimal | None:
    """Yuan (to the cent) of an amount in 万元."""
    return None if value is None else (Decimal(value) * WAN).quantize(CENT)


class WanField(forms.DecimalField):
    """Money entered in 万元 (to the whole yuan: four places), cleaned to yuan for the actions, the
    database and the API. A stored value (yuan) is shown in 万元; typed text is shown as typed. On a
    model form (`Meta.field_classes`) the model field's limits, which are the yuan's, are not this
    field's."""

    def __init__(self, *, max_digits=None, decimal_places=None, **kwargs):
        kwargs.setdefault("min_value", 0)
        super().__init__(max_digits=14, decimal_places=4, **kwargs)
        self.widget.attrs.setdefault("step", "0.0001")

    def prepare_value(self, value):
        if isinstance(value, Decimal | int):
            return f"{wan(value).normalize():f}"
        return value

    def clean(self, value):
        return yuan_from_wan(super().clean(value))

    def has_changed(self, initial, data):
        """`initial` is the stored yuan: compared in yuan (a model form's `changed_data`)."""
        try:
            typed = yuan_from_wan(super().to_python(data))
        except forms.ValidationError:
            return True
        return (None if initial in (None, "") else Decimal(initial)) != typed
