"""The cases behind each figure: every dashboard number links to one of these lists.

Each app registers, from its `dashboard.py`, its metrics (`Metric`: a label, the source of the rows
and the condition counted) and, per source, the function giving the rows, from the same
definitions as the figures of its part, so a list always has exactly as many rows as the figure
that links to it (tests check this).
"""

from collections.abc import Callable
from dataclasses import dataclass

from zone_portal.access.policy import visible_rows


@dataclass(frozen=True)
class Metric:
    label: str
    source: str  # tickets | whistles | requests | bundles | ratings | rectifications | enterprises | …
    condition: str = ""  # the key of the condition in the source's conditions


METRICS: dict[str, Metric] = {}
_sources: dict[str, Callable] = {}
_templates: dict[str, str] = {}


def drilldown_register(
    sources: dict[str, Callable], metrics: dict[str, Metric], *, templates: dict[str, str] | None = None
) -> None:
    """`sources[name](metric, scope, period, *, now, **filters)` gives the queryset behind a metric
    of that source (filters: service, score, tier, project, without_park; each source uses those
    that mean something for its cases). `templates[name]`: the partial giving the table's head and
    rows for that source (context: `page`, `now`), for sources the drill-down page does not know."""
    _sources.update(sources)
    METRICS.update(metrics)
    _templates.update(templates or {})


def drilldown_template(source: str) -> str:
    return _templates.get(source, "")


def drilldown_rows(
    metric: Metric,
    scope,
    period,
    *,
    user,
    now,
    service=None,
    score=None,
    tier=None,
    project=False,
    without_park=False,
):
    """The queryset behind `metric` for `scope` and `period` (not yet paginated), limited to what
    `user` may read of its kind: the same selector as the lists and the object pages."""
    rows = _sources.get(metric.source)
    if rows is None:
        raise ValueError(metric.source)
    return visible_rows(
        user,
        rows(
            metric,
            scope,
            period,
            now=now,
            service=service,
            score=score,
            tier=tier,
            project=project,
            without_park=without_park,
        ),
    )
