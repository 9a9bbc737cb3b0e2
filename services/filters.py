"""The request list's filters, shared by the API and the clerk queue page."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zone_portal.cases.lateness import Lateness
from zone_portal.ratings.models import RectificationStatus

from .models import RequestStatus, sla_state_q, unclaimed_q


class ServiceRequestFilter(django_filters.FilterSet):
    """`status`, `service` (code), `sla_state`, `assignee` (`me`, `none` or an id), `enterprise`
    (id), `agency` (true: filed by an agent; false: by the enterprise itself), `q` (number)."""

    status = django_filters.ChoiceFilter(label=_("Status"), choices=RequestStatus.choices)
    service = django_filters.CharFilter(label=_("Service"), field_name="service__code")
    sla_state = django_filters.ChoiceFilter(
        label=_("SLA"), choices=Lateness.choices, method="filter_sla_state"
    )
    assignee = django_filters.CharFilter(label=_("Assignee"), method="filter_assignee")
    enterprise = django_filters.NumberFilter(label=_("Enterprise"), field_name="enterprise_id")
    agency = django_filters.BooleanFilter(label=_("Help and agency"), method="filter_agency")
    q = django_filters.CharFilter(label=_("Number"), method="filter_number")

    def filter_sla_state(self, queryset, name, value):
        return queryset.filter(sla_state_q(value, timezone.now()))

    def filter_assignee(self, queryset, name, value):
        if value == "me":
            return queryset.filter(assignee=self.request.user)
        if value == "none":  # the same "unclaimed" as the counts: a bundle is never claimed
            return queryset.filter(unclaimed_q())
        if value.isdigit():
            return queryset.filter(assignee_id=int(value))
        return queryset.none()

    def filter_agency(self, queryset, name, value):
        return queryset.exclude(agent=None) if value else queryset.filter(agent=None)

    def filter_number(self, queryset, name, value):
        return queryset.filter(
            Q(number__icontains=value.strip()) | Q(enterprise__name__icontains=value.strip())
        )


class RectificationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RectificationStatus.choices)
    department = django_filters.CharFilter(label=_("Department"), field_name="department__code")
