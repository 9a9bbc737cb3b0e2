"""A request's body, read the one way: validated by a serializer, and ids it names turned into rows.

Bad input is a 400 in the one error shape (`errors.exception_handler`) with nothing written. An id
that does not name a row is bad input too, a 400 on that field: the URL was right, the body was
not, so it is never the 404 of a missing object.
"""

from zone_portal.errors import InvalidInput


def validated(serializer_class, request, **options) -> dict:
    """The body of `request` validated by `serializer_class` (`options` go to the serializer:
    `context`, `partial`, an instance), as a dict the view may change; a 400 when it is not valid."""
    serializer = serializer_class(data=request.data, **options)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def input_row(queryset, pk, field: str, message):
    """The row `pk` of `queryset`, None when the input gave no id (`pk` None); a 400 naming `field`
    with `message` when `queryset` does not hold it (scope the queryset to what the user may name)."""
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise InvalidInput(fields={field: [message]})
    return found
