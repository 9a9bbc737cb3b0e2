"""Dashboard pages (mounted at /dashboard/) and the public figures page (at /public/)."""

app_name = "dashboard"
urlpatterns: list = []
