from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "zone_portal.org"
    label = "org"
