"""The one range of dates the portal accepts from people: 1900-01-01 … 2100-12-31.

Python dates run from year 1 to 9999, and a day before the first or after the last overflows
(a dashboard period ending 9999-12-31 computes midnight after it: 500). No case of the zone lies
outside these bounds (the lower one leaves room for enterprises founded long ago), so every date input refuses anything beyond them with a 400 and a message:
`install()` (called once at start-up, `zone_portal.web`) adds `validate_date_in_range` to every
Django form `DateField` / `DateTimeField` (pages, ModelForms, django-filter filters, the admin)
and every DRF `DateField` / `DateTimeField` (serializers, ModelSerializers); hand-parsed dates use
`parse_date_in_range`.
"""

from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2100, 12, 31)


def minute_text(moment: datetime) -> str:
    """A moment as people read it in a message: local time, to the minute ("2026-12-04 17:30")."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def date_range_message() -> str:
    return _("Give a date between %(first)s and %(last)s.") % {"first": DATE_MIN, "last": DATE_MAX}


def validate_date_in_range(value) -> None:
    """For a date or a datetime (its calendar day)."""
    day = value.date() if isinstance(value, datetime) else value
    if day is not None and not (DATE_MIN <= day <= DATE_MAX):
        raise ValidationError(date_range_message(), code="date_out_of_range")


def parse_date_in_range(text: str) -> date:
    """`YYYY-MM-DD` within the bounds, or ValidationError with a message a person understands."""
    try:
        value = date.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValidationError(_("Dates are written YYYY-MM-DD."), code="invalid") from None
    validate_date_in_range(value)
    return value


def install() -> None:
    for field_class in (
        forms.DateField,
        forms.DateTimeField,
        serializers.DateField,
        serializers.DateTimeField,
    ):
        if validate_date_in_range not in field_class.default_validators:
            field_class.default_validators = [*field_class.default_validators, validate_date_in_range]


class DateInput(forms.DateInput):
    """The browser's date picker, `<input type="date">`. Its value must be ISO `YYYY-MM-DD` whatever
    the language: Chinese formats a date as "2026/01/01", which the browser rejects (an empty box).
    Every form's date field uses this widget."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):  # noqa: A002 (Django's own argument name)
        super().__init__(attrs=attrs, format=format or "%Y-%m-%d")
