"""The reporting period of a dashboard: this month, quarter, year, or custom dates (inclusive)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zone_portal.dates import parse_date_in_range
from zone_portal.errors import InvalidInput
from zone_portal.worktime.calendar import ZONE


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # inclusive

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time.min, tzinfo=ZONE)

    @property
    def end(self) -> datetime:
        """Exclusive end: midnight after the last day."""
        return datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=ZONE)

    def on_days(self, field: str) -> Q:
        """`field` (a date) falls on one of the period's days, both ends included."""
        return Q(**{f"{field}__gte": self.first, f"{field}__lte": self.last})

    def at_times(self, field: str) -> Q:
        """`field` (a moment) falls within the period: from its first midnight, before the one after
        its last day."""
        return Q(**{f"{field}__gte": self.start, f"{field}__lt": self.end})

    def weeks(self) -> list[date]:
        """Mondays of the weeks the period touches (for weekly trends)."""
        monday = self.first - timedelta(days=self.first.weekday())
        out = []
        while monday <= self.last:
            out.append(monday)
            monday += timedelta(days=7)
        return out


def _parse(value: str, field: str) -> date:
    try:
        return parse_date_in_range(value)
    except ValidationError as exc:
        raise InvalidInput(exc.messages[0], fields={field: exc.messages}) from None


def period_from_params(params, today: date | None = None) -> Period:
    """`period=month|quarter|year`, or `period=custom` (or no `period`) with `from`/`to`
    (YYYY-MM-DD, inclusive); default: this year so far. A preset wins over stale dates in a form."""
    today = today or timezone.localdate()
    kind = params.get("period") or ""
    if kind == "custom" or (not kind and (params.get("from") or params.get("to"))):
        first = _parse(params.get("from") or f"{today.year}-01-01", "from")
        last = _parse(params.get("to") or today.isoformat(), "to")
        if last < first:
            raise InvalidInput(
                _("The end date is before the start date."),
                fields={"to": [_("The end date is before the start date.")]},
            )
        if (last - first).days > 366 * 5:
            raise InvalidInput(
                _("A period is at most five years."), fields={"from": [_("A period is at most five years.")]}
            )
        return Period(first, last)
    kind = kind or "year"
    if kind == "month":
        return Period(today.replace(day=1), today)
    if kind == "quarter":
        return Period(date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today)
    if kind == "year":
        return Period(date(today.year, 1, 1), today)
    raise InvalidInput(
        _("Unknown period: use month, quarter, year or from/to dates."),
        fields={"period": [_("Unknown period: use month, quarter, year or from/to dates.")]},
    )
