"""`/api/v1/` routes of the enterprises app."""

urlpatterns: list = []
