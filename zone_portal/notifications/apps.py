from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "zone_portal.notifications"
    label = "notifications"
