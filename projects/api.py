"""`/api/v1/` routes of the projects app."""

urlpatterns: list = []
