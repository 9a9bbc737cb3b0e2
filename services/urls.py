"""HTML pages of the services app."""

app_name = "services"
urlpatterns: list = []
