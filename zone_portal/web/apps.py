from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "zone_portal.web"
    label = "web"

    def ready(self):
        from django.contrib import admin

        from .navigation import nav_register

        # The Django admin in the portal's name (Chinese first) rather than "Django administration".
        admin.site.site_header = _("Zone Business Service Portal · administration")
        admin.site.site_title = _("Zone portal administration")
        admin.site.index_title = _("Data administration")

        nav_register(label=_("Working calendar"), url_name="calendar", roles=("admin",), order=900)
