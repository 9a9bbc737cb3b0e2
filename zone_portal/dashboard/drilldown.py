"""The cases behind each figure: every dashboard number links to one of these lists.

Each app registers, from its `dashboard.py`, its metrics (`Metric`: a label, the source of the rows
and the condition counted) and its sources (`Source`: the function giving the rows, from the same
definitions as the figures of its part, so a list always has exactly as many rows as the figure
that links to it (tests check this), and the partial that shows them).
"""

from collections.abc import Callable
from dataclasses import dataclass

from zone_portal.access.policy import visible_rows


@dataclass(frozen=True)
class Metric:
    label: str
    source: str  # tickets | whistles | requests | bundles | ratings | rectifications | enterprises | …
    condition: str = ""  # the key of the condition in the source's conditions


@dataclass(frozen=True)
class Source:
    """The rows behind the metrics of one source: `rows(metric, scope, period, *, now, **filters)`
    gives the queryset behind a metric (filters: service, score, tier, project, without_park; each
    source uses those that mean something for its cases); `template`, the partial giving the
    table's head and rows (context: `page`, `now`)."""

    rows: Callable
    template: str = ""


METRICS: dict[str, Metric] = {}
_sources: dict[str, Source] = {}


def drilldown_register(sources: dict[str, Source], metrics: dict[str, Metric]) -> None:
    """The sources by name (`Metric.source`), and the metrics drawn from them."""
    _sources.update(sources)
    METRICS.update(metrics)


def drilldown_template(source: str) -> str:
    known = _sources.get(source)
    return known.template if known is not None else ""


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
    source = _sources.get(metric.source)
    if source is None:
        raise ValueError(metric.source)
    return visible_rows(
        user,
        source.rows(
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
