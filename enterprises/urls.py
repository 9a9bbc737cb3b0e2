"""HTML pages of the enterprises app."""

app_name = "enterprises"
urlpatterns: list = []
