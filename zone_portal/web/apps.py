from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "zone_portal.web"
    label = "web"

    def ready(self):
        from .navigation import nav_register

        nav_register(label=_("Working calendar"), url_name="calendar", roles=("admin",), order=900)
