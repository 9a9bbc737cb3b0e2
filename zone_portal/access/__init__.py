"""The one answer for an object a user may not have: 404, the same whether the row is missing or
not theirs, so ids reveal nothing. Each app's `<entity>_for(user, pk)` selector calls it with its
own `<entities>_visible_to(user)` scope; pages and API views alike use those selectors (the API's
exception handler turns Http404 into its JSON 404).

Which rows each `visible_to` returns, role by role, is declared by the apps in `policy.py` (the
registry the README's table, the dashboard's drill-downs and the access-matrix test read);
`scopes.py` says which parks and departments a user's roles act for."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404


def get_visible_or_404(visible: QuerySet, pk):
    """The row `pk` of `visible` (a queryset already scoped to what the user may see), or Http404."""
    try:
        found = visible.filter(pk=pk).first()
    except (ValueError, TypeError, ValidationError):  # not an id at all
        found = None
    if found is None:
        raise Http404
    return found
