from django.apps import apps
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.module_loading import module_has_submodule
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from zone_portal.api.views import healthz
from zone_portal.contributions import PortalAppConfig
from zone_portal.web import views

# A database that stopped answering is a 503 with a message, not a 500 (zone_portal/web/middleware.py).
handler500 = "zone_portal.web.views.server_error"
# An unknown /api/… URL answers the API's JSON error shape, not the HTML page.
handler404 = "zone_portal.web.views.page_not_found"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/sessions/", views.account_sessions, name="account-sessions"),
    path("accounts/sessions/<str:handle>/end/", views.account_session_end, name="account-session-end"),
    path("accounts/token/revoke/", views.account_token_revoke, name="account-token-revoke"),
    # Django's language switch, and the choice remembered on the user (their e-mails follow it).
    path("i18n/setlang/", views.language_set, name="set_language"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/", views.inbox_open, name="inbox-open"),
    path("inbox/read/", views.inbox_read, name="inbox-read-all"),
    path("inbox/<int:pk>/read/", views.inbox_read, name="inbox-read"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/<int:pk>/delete/", views.calendar_override_remove, name="calendar-delete"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path("api/v1/", include("zone_portal.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: the CSP allows no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("admin/", admin.site.urls),
]
# Each app with pages keeps its routes in `<app>/urls.py`, mounted at its label ("services/") unless
# its AppConfig names another prefix (`url_prefix = "problems/"`), so adding an app needs no line
# here. The URL names are in the app's namespace, its label ("feedback:detail"): the urls module
# needs no `app_name` of its own.
urlpatterns += [
    path(config.url_prefix or f"{config.label}/", include((f"{config.name}.urls", config.label)))
    for config in apps.get_app_configs()
    if isinstance(config, PortalAppConfig) and module_has_submodule(config.module, "urls")
]
