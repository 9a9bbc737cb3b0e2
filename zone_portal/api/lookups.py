"""Rows that a request's body names by id (`"enterprise": 12`).

An id that does not name a row is bad input, a 400 on that field: the URL was right, the body was
not, so it is never the 404 of a missing object.
"""

from zone_portal.errors import InvalidInput


def input_row(queryset, pk, field: str, message):
    """The row `pk` of `queryset`, None when the input gave no id (`pk` None); a 400 naming `field`
    with `message` when `queryset` does not hold it (scope the queryset to what the user may name)."""
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise InvalidInput(fields={field: [message]})
    return found
