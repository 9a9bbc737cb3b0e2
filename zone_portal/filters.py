"""The list filters a page or an endpoint passes on: each one narrows the list when it is given."""

from django.db.models import QuerySet


def filter_given(qs: QuerySet, **lookups) -> QuerySet:
    """`qs` filtered by each of `lookups` whose value is given (truthy); a blank filter (None, "",
    0, False) leaves the list as it is, so a form's empty choices need no branch of their own.
    For ids, codes and years only: a yes/no filter (False is a value) keeps its own branch."""
    given = {lookup: value for lookup, value in lookups.items() if value}
    return qs.filter(**given) if given else qs
