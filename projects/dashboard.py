"""What the key projects show on the dashboards (now, not period-bound): the stage funnel, delayed
and at risk, and the latest quarterly ranking of parks. Imported by the dashboard's AppConfig."""

from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from zone_portal.dashboard import charts
from zone_portal.dashboard.parts import Part, part_register
from zone_portal.dashboard.scope import Scope

from .api import RANKING_FORMULA
from .models import STAGE_FLOW, Project, Stage
from .selectors import WEIGHTS as PROJECT_WEIGHTS
from .selectors import projects_ranking, projects_with_status


def previous_quarter(today: date) -> str:
    quarter = (today.month - 1) // 3 + 1
    return f"{today.year - 1}Q4" if quarter == 1 else f"{today.year}Q{quarter - 1}"


def project_figures(scope: Scope, reading) -> dict | None:
    """Key projects by stage, delayed and at risk now, and the latest quarterly ranking of parks."""
    if scope.department is not None:
        return None
    user, today = reading.user, reading.today
    qs = Project.objects.all()
    if scope.park is not None:
        qs = qs.filter(park=scope.park)
    stages = [*STAGE_FLOW, Stage.SUSPENDED]
    figures = projects_with_status(qs, today=today).aggregate(
        total=Count("id"),
        delayed=Count("id", filter=Q(is_delayed=True)),
        at_risk=Count("id", filter=Q(is_delayed=False) & (Q(is_at_risk=True) | Q(missed_last_week=True))),
        **{f"stage_{stage}": Count("id", filter=Q(stage=stage)) for stage in stages},
    )
    figures["by_stage"] = [
        {"stage": stage, "label": str(Stage(stage).label), "count": figures.pop(f"stage_{stage}")}
        for stage in stages
    ]
    ranking = projects_ranking(user, quarter=previous_quarter(today), today=today)
    parks = [
        {
            "park": {"id": row["park"].pk, "name": row["name"]},
            "rank": row["rank"],
            "score": float(row["score"]),
            "projects": row["projects"],
        }
        for row in ranking["parks"]
    ]
    figures["ranking"] = {
        "quarter": ranking["quarter"],
        "parks": parks,
        "own": next((p for p in parks if scope.park and p["park"]["id"] == scope.park.pk), None),
        "weights": {k: float(v) for k, v in PROJECT_WEIGHTS.items()},
    }
    return figures


def _page(summary) -> dict:
    """The ranking's formula and the stage funnel of the dashboard page."""
    page = {"park_formula": RANKING_FORMULA, "charts": {}}
    if summary["projects"] is not None:
        stages = [row for row in summary["projects"]["by_stage"] if row["stage"] in STAGE_FLOW]
        page["charts"]["funnel"] = charts.funnel_chart(
            title=str(_("Key projects by stage")), stages=[(row["label"], row["count"]) for row in stages]
        )
    return page


def _sheets(projects) -> list[tuple]:
    figures = [
        [_("Key projects"), projects["total"]],
        [_("Delayed"), projects["delayed"]],
        [_("At risk"), projects["at_risk"]],
        [_("Project difficulties raised"), projects["difficulties"]["received"]],
        [_("Project difficulties solved"), projects["difficulties"]["resolved"]],
        *[[row["label"], row["count"]] for row in projects["by_stage"]],
    ]
    ranking = [
        [row["rank"], row["park"]["name"], row["projects"], row["score"]]
        for row in projects["ranking"]["parks"]
    ]
    return [
        (50, _("Key projects"), [_("Figure"), _("Value")], figures),
        (50, _("Park ranking"), [_("Rank"), _("Park"), _("Projects"), _("Score")], ranking),
    ]


part_register(
    Part(
        name="projects",
        order=50,
        figures=project_figures,
        page=_page,
        template="projects/_dashboard.html",
        sheets=_sheets,
    )
)
