from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "zone_portal.events"
    label = "events"
