"""`/api/v1/`: the foundation's endpoints, then the routes (`urlpatterns`) of every app's `api.py`,
in the order of INSTALLED_APPS, so adding an app needs no line here."""

from django.urls import include, path

from zone_portal.contributions import app_modules

from . import views

urlpatterns = [
    path("auth/token/", views.token_obtain, name="api-token"),
    path("me/", views.me, name="api-me"),
]
urlpatterns += [path("", include(module)) for module in app_modules("api")]
