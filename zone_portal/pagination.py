"""Pages of long lists that do not count a million rows on every view.

Django's paginator runs `SELECT count(*)` over the whole filtered list for every page; at a city's
scale (a million requests a clerk may see) that count costs more than the page. `CappedPaginator`
counts at most `LIST_COUNT_LIMIT` rows (`SELECT count(*) FROM (… LIMIT limit + 1)`, an index walk
that stops early): below the limit the count and the page links are exact; above it `capped` is
true, the list says "more than …", and the links go to the pages within the counted rows (every
link leads to a page that exists). Filters narrow a list that long. Every page and list endpoint of
the portal (`zone_portal.api.pagination.PagePagination`) uses it.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.functional import cached_property

DEFAULT_LIMIT = 10_000


def count_limit() -> int:
    return getattr(settings, "LIST_COUNT_LIMIT", DEFAULT_LIMIT)


class CappedPaginator(Paginator):
    """A paginator whose count stops at `limit` (+1, to know that there are more)."""

    def __init__(self, object_list, per_page, *args, limit: int | None = None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.limit = limit if limit is not None else count_limit()

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if not hasattr(rows, "order_by"):  # a list: its length costs nothing
            return len(rows)
        return rows.order_by()[: self.limit + 1].count()

    def page(self, number):
        if not self.capped:
            return super().page(number)
        # Past the counted rows the last page is still a whole page: it is not clipped to the count.
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)

    @property
    def capped(self) -> bool:
        """More rows than were counted: the count and the last page are lower bounds."""
        return hasattr(self.object_list, "order_by") and self.count > self.limit

    @property
    def shown_count(self) -> int:
        """The count to print: exact, or the limit when there are more (say "more than")."""
        return self.limit if self.capped else self.count
