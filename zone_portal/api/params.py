"""Query parameters read by hand (where a filterset does not fit): a clear 400, never a 500."""

from django.utils.translation import gettext as _

from zone_portal.dates import DATE_MAX, DATE_MIN
from zone_portal.errors import InvalidInput


def query_int(request, name: str, *, low: int = 1, high: int = 2**63 - 1) -> int | None:
    """The whole number `name` of the query string between `low` and `high`, None when absent."""
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        message = _("A whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
        raise InvalidInput(fields={name: [message]})
    return number


def query_year(request, name: str = "year") -> int | None:
    """A calendar year within the portal's range of dates (`zone_portal.dates`)."""
    return query_int(request, name, low=DATE_MIN.year, high=DATE_MAX.year)


def query_choice(request, name: str, values, message) -> str:
    """The value `name` of the query string, one of `values` ("" when absent); another is a 400 on
    `name` with `message` (a filter that silently ignored it would answer everything)."""
    value = request.query_params.get(name, "")
    if value and value not in values:
        raise InvalidInput(fields={name: [message]})
    return value
