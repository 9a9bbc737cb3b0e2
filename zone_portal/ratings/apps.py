from django.utils.translation import gettext_lazy as _

from zone_portal import contributions


class RatingsConfig(contributions.PortalAppConfig):
    name = "zone_portal.ratings"
    label = "ratings"
    verbose_name = _("Good/bad ratings")
    api_enum_names = {"RectificationStatusEnum": "zone_portal.ratings.models.RectificationStatus"}
