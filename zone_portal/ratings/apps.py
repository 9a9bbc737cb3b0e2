from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "zone_portal.ratings"
    label = "ratings"
    verbose_name = _("Good/bad ratings")

    def ready(self):
        from . import permissions, timeline

        timeline.register()
        permissions.access_register_kinds()
