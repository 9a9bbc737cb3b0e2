"""The registry of what each app shows on the dashboards: one `Part` per section of a summary.

An app registers its parts from its `dashboard.py` (imported by the dashboard's AppConfig.ready(),
the way the admin imports `admin.py`), next to its facts (facts.py) and drill-downs (drilldown.py).
The frame (selectors.py) reads every part's grouped rows once per summary, then asks each part for
its section, its columns of the by-park and by-department comparisons, its parts of the department
score, its public figures and its home-panel figures. Parts come in `order`, which is also the order
of the summary's sections and of the comparisons' columns.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from .periods import Period
from .rollup import Dirty


@dataclass
class Reading:
    """One summary being computed: the period, the clock, the days read live, and what the parts
    have read (`rows`, by part name) and answered (`figures`, by part name) so far."""

    period: Period
    now: datetime
    today: date
    dirty: Dirty
    user: object = None
    rows: dict = field(default_factory=dict)
    figures: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Part:
    """A section of the summary, contributed by the app that owns its cases.

    - `read(period, now, dirty, *, departments)`: the grouped rows of the whole zone for the period,
      read once per summary (`departments`: the by-department comparison will be asked for);
    - `figures(scope, reading)`: the section (None: this scope has none);
    - `park_columns(park_id, reading)` → (columns, has cases): its columns of a by-park row (park
      None: the cases without a park, a row shown only when some part has cases);
    - `department_columns(department_id, reading)` → (columns, rates, has cases): its columns of a
      by-department row and the rates of the department score it answers for, weighed by `weights`;
    - `public(reading)`: its figures on the public page (aggregates only);
    - `headline(scope, period, now, dirty)`: {key: figures} for the home panel;
    - `complete(scope, reading, summary)`: adds to other parts' sections once all are computed (an
      app above another adds what it knows of the other's cases);
    - `levels()`: the rating levels as (value, label), best first (the ratings part);
    - `page(summary)`: extra context and charts for the dashboard page; its `section_templates` (a
      list) are partials the page includes after today's sections (an app's own section).
    """

    name: str
    order: int
    read: Callable | None = None
    figures: Callable | None = None
    park_columns: Callable | None = None
    department_columns: Callable | None = None
    weights: Mapping[str, int] = field(default_factory=dict)
    public: Callable | None = None
    headline: Callable | None = None
    complete: Callable | None = None
    levels: Callable | None = None
    page: Callable | None = None


_parts: dict[str, Part] = {}


def part_register(part: Part) -> None:
    _parts[part.name] = part


def parts() -> list[Part]:
    return sorted(_parts.values(), key=lambda part: part.order)


def department_weights() -> dict[str, int]:
    """The department scoreboard's weights (四比四看), part by part."""
    return {name: weight for part in parts() for name, weight in part.weights.items()}


def score_labels() -> list[tuple[int, str]]:
    """The rating levels, best first, as the ratings part names them."""
    return next((part.levels() for part in parts() if part.levels), [])
