"""The directory's filters, shared by the page, the export and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from zone_portal.org.models import Park

from .models import QUALIFICATIONS, Enterprise
from .selectors import DIRECTORY_SORTS, enterprise_search

SORT_CHOICES = [
    ("name", _("Name (pinyin order)")),
    ("-name", _("Name, reversed")),
    ("-capital", _("Registered capital, largest first")),
    ("capital", _("Registered capital, smallest first")),
    ("founded", _("Founding date, oldest first")),
    ("-founded", _("Founding date, newest first")),
    ("-created", _("Recently registered")),
]


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Name, code or pinyin"))
    park = django_filters.ModelChoiceFilter(
        queryset=Park.objects.all(), label=_("Park"), empty_label=_("All")
    )
    qualification = django_filters.ChoiceFilter(
        choices=list(QUALIFICATIONS.items()), method="filter_qualification", label=_("Qualification")
    )
    cso = django_filters.NumberFilter(method="filter_cso", label=_("Chief service officer"))
    has_cso = django_filters.BooleanFilter(method="filter_has_cso", label=_("Has an officer"))
    status = django_filters.ChoiceFilter(choices=Enterprise.Status.choices, label=_("Status"))
    sort = django_filters.ChoiceFilter(choices=SORT_CHOICES, method="filter_sort", label=_("Sort"))

    class Meta:
        model = Enterprise
        fields = ["q", "park", "qualification", "cso", "has_cso", "status", "sort"]

    def filter_q(self, queryset, name, value):
        return enterprise_search(queryset, value)

    def filter_qualification(self, queryset, name, value):
        return queryset.with_qualification(value)

    def filter_cso(self, queryset, name, value):
        return queryset.with_officer(value)

    def filter_has_cso(self, queryset, name, value):
        return queryset.with_cso(value)

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*DIRECTORY_SORTS[value])
