from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from zone_portal.pagination import CappedPaginator


class PagePagination(PageNumberPagination):
    """`{"count", "next", "previous", "results"}` with `page` and `page_size` (1 to 100; more is
    read as 100). A `page_size` that is not a whole number of at least 1 is a 400, not ignored.

    `count` is exact up to `LIST_COUNT_LIMIT` (10,000) rows and null above it (`CappedPaginator`:
    a million rows are not counted on every page); `next` and `previous` are right either way, and
    the pages within the counted rows can be asked for."""

    django_paginator_class = CappedPaginator

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None and not (raw.isascii() and raw.isdigit() and int(raw) >= 1):
            message = _("A whole number of at least 1.")
            raise ValidationError({self.page_size_query_param: [message]})
        return super().get_page_size(request)

    def get_paginated_response(self, data):
        paginator = self.page.paginator
        return Response(
            {
                "count": None if paginator.capped else paginator.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        shape = super().get_paginated_response_schema(schema)
        shape["properties"]["count"]["nullable"] = True
        shape["properties"]["count"]["description"] = "exact up to 10,000 rows, null above"
        return shape

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters
