"""What the enterprises register shows on the dashboards (now, not period-bound): qualifications,
patents, officers. Imported by the dashboard's AppConfig."""

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from zone_portal.dashboard.drilldown import Metric, Source, drilldown_register
from zone_portal.dashboard.parts import Part, part_register
from zone_portal.dashboard.scope import Scope
from zone_portal.keeping import kept

from .models import CsoAssignment, Enterprise
from .selectors import has_current_cso


def enterprise_figures(scope: Scope, reading) -> dict | None:
    """The register of the zone or a park: qualifications, patents, officers (two queries over the
    whole register, 0.6 s at a city's 100,000 enterprises). The same for every reader of the scope,
    so kept for every server process at once for `REGISTER_FIGURES_SECONDS` (30 s; 0: counted
    every time), like the home panels' register figures: a summary recomputed every few seconds
    does not count the register again each time; a new day counts afresh."""
    if scope.department is not None:
        return None
    seconds = settings.REGISTER_FIGURES_SECONDS
    if not seconds:
        return _enterprise_figures(scope, reading.today)
    park = scope.park.pk if scope.park is not None else "zone"
    return kept(
        f"enterprises:dashboard:{park}:{reading.today}",
        lambda: _enterprise_figures(scope, reading.today),
        fresh=seconds,
        stale=300,
    )


def _active(scope: Scope):
    """The active enterprises of the register, those of the scope's park."""
    return scope.narrow(Enterprise.objects.filter(status=Enterprise.Status.ACTIVE), park="park")


def _enterprise_figures(scope: Scope, today) -> dict:
    active = _active(scope)
    has_officer = has_current_cso()
    figures = active.aggregate(
        total=Count("id"),
        high_tech=Count("id", filter=Enterprise.qualification_q("high_tech", today=today)),
        reserve=Count("id", filter=Enterprise.qualification_q("reserve", today=today)),
        tech_sme=Count("id", filter=Enterprise.qualification_q("tech_sme", today=today)),
        above_scale=Count("id", filter=Enterprise.qualification_q("above_scale", today=today)),
        with_patents=Count("id", filter=Q(patents__gt=0)),
        patents=Coalesce(Sum("patents"), 0),
        without_officer=Count("id", filter=~Q(has_officer)),
    )
    assignments = CsoAssignment.objects.current().filter(enterprise__in=active)
    figures["officers"] = [
        {
            "id": row["officer_id"],
            "name": row["officer__display_name"] or row["officer__username"],
            "enterprises": row["n"],
        }
        for row in assignments.values("officer_id", "officer__display_name", "officer__username")
        .annotate(n=Count("id"))
        .order_by("-n", "officer__username")[:10]
    ]
    return figures


def _enterprise_rows(metric, scope, period, *, now, **filters):
    qs = _active(scope).filter(patents__gt=0)
    has_officer = has_current_cso()
    return qs.select_related("park").annotate(has_officer=has_officer).order_by("-patents", "name_pinyin")


def _sheets(enterprises) -> list[tuple]:
    rows = [
        [_("Enterprises in the register"), enterprises["total"]],
        [_("High-tech enterprises"), enterprises["high_tech"]],
        [_("High-tech reserve"), enterprises["reserve"]],
        [_("Tech SMEs"), enterprises["tech_sme"]],
        [_("Above designated size"), enterprises["above_scale"]],
        [_("Enterprises holding patents"), enterprises["with_patents"]],
        [_("Patents"), enterprises["patents"]],
        [_("Enterprises without an officer"), enterprises["without_officer"]],
        *[[officer["name"], officer["enterprises"]] for officer in enterprises["officers"]],
    ]
    return [(40, _("Enterprises"), [_("Figure"), _("Value")], rows)]


part_register(
    Part(
        name="enterprises",
        order=40,
        figures=enterprise_figures,
        template="enterprises/_dashboard.html",
        sheets=_sheets,
    )
)
drilldown_register(
    {"enterprises": Source(_enterprise_rows, "enterprises/_drill_enterprises.html")},
    {"enterprises-patents": Metric(_("Enterprises holding patents"), "enterprises", "patents")},
)
