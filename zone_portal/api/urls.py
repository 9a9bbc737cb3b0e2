"""`/api/v1/`: the foundation's endpoints; each app mounts its own `api.py` routes here."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("auth/token/", views.token_obtain, name="api-token"),
    path("me/", views.me, name="api-me"),
    path("", include("zone_portal.notifications.api")),
    path("", include("enterprises.api")),
    path("", include("services.api")),
    path("", include("projects.api")),
    path("", include("feedback.api")),
    path("", include("zone_portal.dashboard.api")),
]
