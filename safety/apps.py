from django.utils.translation import gettext_lazy as _

from zone_portal import contributions


class SafetyConfig(contributions.PortalAppConfig):
    name = "safety"
    verbose_name = _("Work safety")
    api_enum_names = {
        "SafetyInspectionStatusEnum": "safety.models.InspectionStatus",
        "HazardStatusEnum": "safety.models.HazardStatus",
    }

    def contributions(self):
        from zone_portal.web.navigation import NavItem, ObjectPanel

        from .permissions import EXPOSURE_READERS, INSPECTOR_ROLES, READER_ROLES

        return [
            NavItem(_("Safety inspections"), "safety:inspections", READER_ROLES, order=60),
            NavItem(_("Hazard checks"), "safety:hazards", READER_ROLES, order=61),
            NavItem(_("Safety campaigns"), "safety:campaigns", INSPECTOR_ROLES, order=62),
            NavItem(_("Hazard exposure"), "safety:exposure", EXPOSURE_READERS, order=63),
            # The enterprise page shows its inspections and open hazards, without importing this app.
            ObjectPanel(
                "enterprises.enterprise", "safety/_enterprise_panel.html", _enterprise_panel, order=60
            ),
        ]


def _enterprise_panel(request, enterprise) -> dict:
    from .selectors import enterprise_safety

    return enterprise_safety(request.user, enterprise)
