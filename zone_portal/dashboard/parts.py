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
    """One summary being computed: the period, the clock, what changed since the rollups' last
    refresh, and what the parts have read (`rows`, by part name) and answered (`figures`, by part name) so far."""

    period: Period
    now: datetime
    today: date
    dirty: Dirty
    user: object = None
    rows: dict = field(default_factory=dict)
    figures: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Weight:
    """One rate of the department score (四比四看) a part answers for: its weight unless the
    administrators set another, and its name in the score's formula. One entry per rate, so a
    rate's weight and its name cannot drift apart."""

    weight: int
    label: object  # a lazy translation


@dataclass(frozen=True)
class Part:
    """A section of the summary, contributed by the app that owns its cases.

    - `read(period, now, dirty, *, departments)`: the grouped rows of the whole zone for the period,
      read once per summary (`departments`: the by-department comparison will be asked for);
    - `figures(scope, reading)`: the section (None: this scope has none);
    - `park_columns(park_id, reading)` → (columns, has cases): its columns of a by-park row (park
      None: the cases without a park, a row shown only when some part has cases);
    - `department_columns(department_id, reading)` → (columns, rates, has cases): its columns of a
      by-department row and the rates of the department score it answers for, weighed by `weights`
      ({rate: `Weight`}: its default weight and its name in the score's formula);
    - `public(reading)`: its figures on the public page (aggregates only);
    - `headline(scope, period, now, dirty)`: {key: figures} for the home panel;
    - `complete(scope, reading, summary)`: adds to other parts' sections once all are computed (an
      app above another adds what it knows of the other's cases);
    - `levels()`: the rating levels as (value, label), best first (the ratings part);
    - `page(summary)`: extra context and charts for the dashboard page;
    - `rates(figures)` → [(place, label, rate, drill-down metric)]: its rows of the rates chart and
      table; `overview(figures, scope)` → [(place, label, value)]: its rows of the export's overview
      sheet; `sheets(figures)` → [(place, title, headers, rows)]: its sheets of the .xlsx export.
      A place is on the scale of the parts' `order` (see `placed`);
    - `public_template`: a partial of the public figures page showing its `public` figures (as
      `figures`), for a part whose section the page does not lay out by name.
    - `template`: the section's partial on the dashboard page, laid out in the parts' order (the
      foundation's rates and comparisons are parts too, 35 and 36) when the part's figures are not
      None, so a new app adds a section without editing the page.
    """

    name: str
    order: int
    read: Callable | None = None
    figures: Callable | None = None
    park_columns: Callable | None = None
    department_columns: Callable | None = None
    weights: Mapping[str, Weight] = field(default_factory=dict)
    public: Callable | None = None
    headline: Callable | None = None
    complete: Callable | None = None
    levels: Callable | None = None
    page: Callable | None = None
    public_template: str = ""
    template: str = ""
    sheets: Callable | None = None
    rates: Callable | None = None
    overview: Callable | None = None


_parts: dict[str, Part] = {}


def part_register(part: Part) -> None:
    _parts[part.name] = part


def parts() -> list[Part]:
    return sorted(_parts.values(), key=lambda part: part.order)


def placed(summary: dict, hook: str, *args, foundation: list[tuple] = ()) -> list[tuple]:
    """The rows (or sheets) every part with figures in `summary` gives through `hook`, with the
    foundation's own, sorted by their place (ties keep the parts' order), the place dropped. A place
    is on the parts' `order` scale, so a part may put a row between two of another's."""
    items = list(foundation)
    for part in parts():
        if getattr(part, hook) and summary.get(part.name) is not None:
            items += getattr(part, hook)(summary[part.name], *args)
    return [item[1:] for item in sorted(items, key=lambda item: item[0])]


def default_department_weights() -> dict[str, int]:
    """The department scoreboard's weights (四比四看) as the parts declare them."""
    return {name: weight.weight for part in parts() for name, weight in part.weights.items()}


# Where the administrators' weights come from, when an app keeps them (one reader; None: the
# declared defaults stand).
_weight_settings: list[Callable[[], Mapping[str, int]]] = []


def department_weights_register(source: Callable[[], Mapping[str, int]]) -> None:
    """An app that keeps the scoreboard's weights as an administrator's setting registers its reader
    (`source()` → {part: weight}, one query); parts it does not name keep their declared weight."""
    _weight_settings[:] = [source]


def department_weights() -> dict[str, int]:
    """The department scoreboard's weights (四比四看), part by part: the administrators' setting
    where there is one, else the weight the part declares."""
    weights = default_department_weights()
    for source in _weight_settings:
        weights.update({k: int(v) for k, v in source().items() if k in weights})
    return weights


def department_weight_labels() -> dict[str, object]:
    return {name: weight.label for part in parts() for name, weight in part.weights.items()}


def score_labels() -> list[tuple[int, str]]:
    """The rating levels, best first, as the ratings part names them."""
    return next((part.levels() for part in parts() if part.levels), [])


# The foundation's own sections of the page, laid out between the apps' by their order: the rates
# and the comparisons (by park, by department) read what every part gave.
part_register(Part(name="rates", order=35, template="dashboard/_rates.html"))
part_register(Part(name="comparisons", order=36, template="dashboard/_comparisons.html"))
