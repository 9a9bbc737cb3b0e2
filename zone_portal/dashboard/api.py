"""`/api/v1/dashboard/…`: the dashboard's figures as JSON."""

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response

from zone_portal.replica import replica_view

from .periods import period_from_params
from .scope import scope_for
from .selectors import dashboard_summary_kept


@replica_view
@extend_schema(
    parameters=[
        OpenApiParameter("from", OpenApiTypes.DATE, description="first day (inclusive), YYYY-MM-DD"),
        OpenApiParameter("to", OpenApiTypes.DATE, description="last day (inclusive), YYYY-MM-DD"),
        OpenApiParameter(
            "period", str, enum=["month", "quarter", "year", "custom"], description="instead of dates"
        ),
        OpenApiParameter(
            "park", int, description="one park (administrators; a park's staff: their own park)"
        ),
        OpenApiParameter("department", int, description="one department (administrators; its officers)"),
    ],
    responses=OpenApiTypes.OBJECT,
)
@api_view(["GET"])
def summary(request):
    """The dashboard of the zone, a park or a department for a period: `service_requests`,
    `ratings`, `enterprises`, `projects` (None for a department), comparisons by park and by
    department. Rates are numbers in [0, 1], or null when their denominator is zero. Administrators,
    park staff (their park) and department officers (their department); others get 403."""
    scope = scope_for(request.user, request.query_params)
    period = period_from_params(request.query_params)
    return Response(dashboard_summary_kept(scope, period, user=request.user))


urlpatterns = [path("dashboard/summary/", summary, name="dashboard-summary")]
