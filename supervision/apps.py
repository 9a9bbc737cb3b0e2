from django.utils.translation import gettext_lazy as _

from zone_portal import contributions


class SupervisionConfig(contributions.PortalAppConfig):
    name = "supervision"
    verbose_name = _("Social supervision")
    nav_group = _("Supervision and assessment")
    api_enum_names = {
        "ObservationStatusEnum": "supervision.models.ObservationStatus",
        "ObservationCategoryEnum": "supervision.models.ObservationCategory",
        "IndicatorEntryStatusEnum": "supervision.models.EntryStatus",
        "IndicatorSourceEnum": "supervision.figures.SOURCE_CHOICES",
    }

    def ready(self):
        super().ready()
        from zone_portal.dashboard.parts import department_weights_register

        from .selectors import ranking_weight_overrides

        # The 四比四看 weights are the administrators' setting (RankingWeight rows).
        department_weights_register(ranking_weight_overrides)

    def contributions(self):
        from zone_portal.accounts.roles import Role
        from zone_portal.ratings.registry import Rateable, Responsible
        from zone_portal.web.navigation import NavItem

        from .models import Observation, ObservationStatus
        from .permissions import OWNERS, READERS

        return [
            NavItem(_("Supervisors' observations"), "supervision:observations", READERS, order=40),
            NavItem(_("Social supervisors"), "supervision:roster", (Role.ADMIN, Role.LEADER), order=41),
            NavItem(_("Indicators (指标考核)"), "supervision:indicators", OWNERS, order=42),
            NavItem(_("Indicator ranking"), "supervision:ranking", OWNERS, order=43),
            # A rectified observation is rated by its supervisor on the portal's one good/bad scale.
            Rateable(
                Observation,
                finished=lambda: Observation.objects.filter(status=ObservationStatus.RESOLVED),
                # the department that answered it, and whoever answered for it
                responsible=lambda obs: Responsible(obs.answered_by, obs.department, obs.enterprise),
                finished_at="resolved_at",
                park="park_id",
                department="department_id",
            ),
        ]
