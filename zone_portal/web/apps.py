from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "zone_portal.web"
    label = "web"

    def ready(self):
        from django.contrib import admin

        from zone_portal.dates import install as install_date_range

        from .choices import install as install_empty_choices
        from .navigation import nav_register

        install_empty_choices()  # "请选择", not "---------"
        install_date_range()  # every date input of the API and the pages refuses dates beyond the bounds
        # The Django admin in the portal's name (Chinese first) rather than "Django administration".
        admin.site.site_header = _("Zone Business Service Portal · administration")
        admin.site.site_title = _("Zone portal administration")
        admin.site.index_title = _("Data administration")

        nav_register(label=_("Working calendar"), url_name="calendar", roles=("admin",), order=900)
