from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "zone_portal.dashboard"
    label = "dashboard"
