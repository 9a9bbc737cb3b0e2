from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, number) -> str:
    """The current query string with `page` set to `number`: paging keeps every filter."""
    query = context["request"].GET.copy()
    query["page"] = number
    return query.urlencode()


@register.simple_tag(takes_context=True)
def query_without_page(context) -> str:
    """The current filters (e.g. for an export link of the filtered list)."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    return query.urlencode()
