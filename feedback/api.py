"""`/api/v1/` routes of the feedback app."""

urlpatterns: list = []
