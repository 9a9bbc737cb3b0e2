"""The portal's own figures an indicator may be measured by, read for one quarter through the
dashboard (its by-department and by-park comparisons: the facts each app registers) and the
feedback app's selectors, so supervision never counts another app's cases a second way.

Each source gives {("department"|"park", id): value}; rates are percentages (0–100). A missing
key means the owner had no case in the quarter (no denominator).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zone_portal.dashboard.periods import Period
from zone_portal.dashboard.scope import Scope


@dataclass(frozen=True)
class Source:
    label: object
    unit: str
    department_column: str | None = None
    park_column: str | None = None
    read: Callable | None = None  # read(period) -> {(kind, id): value}, for figures not in the comparisons


def _action_items_done(period: Period) -> dict:
    from .selectors import action_items_done_on_time

    return {("department", k): v for k, v in action_items_done_on_time(period.start, period.end).items()}


def _observations_on_time(period: Period) -> dict:
    from .selectors import observations_rectified_on_time

    return {("department", k): v for k, v in observations_rectified_on_time(period.start, period.end).items()}


SOURCES: dict[str, Source] = {
    "whistle_answer_on_time": Source(
        _("Whistles answered on time"),
        "%",
        department_column="answer_on_time_rate",
        park_column="tickets_on_time_rate",
    ),
    "whistle_report_on_time": Source(
        _("Whistles reported on time"), "%", department_column="report_on_time_rate"
    ),
    "service_on_time": Source(_("Requests completed on time"), "%", "on_time_rate", "on_time_rate"),
    "service_satisfaction": Source(
        _("Satisfaction of its services"), "%", "satisfaction_rate", "satisfaction_rate"
    ),
    "rectification_on_time": Source(
        _("Rectifications closed on time"), "%", department_column="rectification_on_time_rate"
    ),
    "action_items_done": Source(_("Action items done by their due date"), "%", read=_action_items_done),
    "observations_on_time": Source(
        _("Supervisors' observations rectified on time"), "%", read=_observations_on_time
    ),
}


# The API's choices (the keys; the schema names them IndicatorSourceEnum).
SOURCE_CHOICES = [(key, key) for key in SOURCES]


def source_choices() -> list[tuple[str, str]]:
    return [(key, str(source.label)) for key, source in SOURCES.items()]


def portal_figures(period: Period, *, now=None, user=None) -> dict[str, dict]:
    """Every source's values for `period` (one dashboard summary of the zone, then one query per
    source that reads its own figures)."""
    from django.contrib.auth.models import AnonymousUser

    from zone_portal.dashboard.selectors import dashboard_summary

    # The comparisons are of the whole zone whoever asks; the user only limits other sections.
    summary = dashboard_summary(Scope(), period, user=user or AnonymousUser(), now=now or timezone.now())
    figures: dict[str, dict] = {}
    for key, source in SOURCES.items():
        values: dict = {}
        if source.department_column:
            for row in summary["by_department"] or []:
                value = row.get(source.department_column)
                if value is not None:
                    values[("department", row["department"]["id"])] = round(value * 100, 2)
        if source.park_column:
            for row in summary["by_park"] or []:
                value = row.get(source.park_column)
                if row["park"] and value is not None:
                    values[("park", row["park"]["id"])] = round(value * 100, 2)
        if source.read:
            values.update(source.read(period))
        figures[key] = values
    return figures
