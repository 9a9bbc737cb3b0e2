"""`/api/v1/dashboard/…` routes."""

urlpatterns: list = []
