"""Money as people enter and read it: amounts are stored as Decimal yuan; large ones (registered
capital, investment) are entered and shown in 万元 (10,000 yuan), the unit always written.

`WAN` is the factor; `wan(yuan)` the 万元 of a stored amount (exact Decimal); `WanField` a form
field that shows 万元 and cleans to yuan; the template filter `wan` (`{% load money %}`) writes
an amount in 万元 with two decimals and thousands separators.
"""

from decimal import Decimal, InvalidOperation

from django import forms

WAN = Decimal(10000)


def wan(yuan) -> Decimal | None:
    """万元 of an amount in yuan (None stays None)."""
    return None if yuan is None else Decimal(yuan) / WAN


def yuan_from_wan(value) -> Decimal | None:
    """Yuan (to the cent) of an amount in 万元."""
    return None if value is None else (Decimal(value) * WAN).quantize(Decimal("0.01"))


class WanField(forms.DecimalField):
    """Entered in 万元, cleaned to yuan (to the cent): the model keeps yuan. The stored value is shown
    in 万元; what the person typed is shown back as typed."""

    def __init__(self, *, max_digits=16, decimal_places=2, **kwargs):
        # the limits are the stored yuan's (a model field's `formfield()` passes them): checked on
        # the cleaned value
        kwargs.setdefault("min_value", 0)
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal | int | float):
            return f"{wan(value).normalize():f}"
        return value

    def to_python(self, value):
        amount = super().to_python(value)
        if amount is None:
            return None
        try:
            return yuan_from_wan(amount)
        except InvalidOperation:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if "step" in attrs:
            attrs["step"] = "any"
        return attrs
