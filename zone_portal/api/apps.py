from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "zone_portal.api"
    label = "api"
