from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "zone_portal.web"
    label = "web"

    def ready(self):
        from zone_portal.dates import install as install_date_range

        from .navigation import nav_register

        install_date_range()  # every date input of the API and the pages refuses dates beyond the bounds

        nav_register(label=_("Working calendar"), url_name="calendar", roles=("admin",), order=900)
