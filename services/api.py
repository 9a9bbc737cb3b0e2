"""`/api/v1/` routes of the services app."""

urlpatterns: list = []
