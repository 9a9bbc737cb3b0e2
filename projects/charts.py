"""Geometry of the two charts drawn server-side as inline SVG (no JavaScript, nothing from a CDN):
the milestone timeline (planned vs actual) and the ledger's cumulative investment. The templates
only place what is computed here."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from zone_portal.money import WAN  # one definition of the 万元 display unit


def _shift(day: date, days: int) -> date:
    """`day` moved by `days`, held within the calendar (rows written before dates were bounded may
    sit at 0001-01-01 or 9999-12-31)."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def _month_starts(first: date, last: date, step: int) -> list[date]:
    day = date(first.year, first.month, 1)
    if day < first:
        if day.year == date.max.year and day.month == 12:
            return []
        day = date(day.year + (day.month // 12), day.month % 12 + 1, 1)
    out = []
    while day <= last:
        out.append(day)
        month = day.month - 1 + step
        if day.year + month // 12 > date.max.year:
            break
        day = date(day.year + month // 12, month % 12 + 1, 1)
    return out


@dataclass
class Scale:
    """Maps dates in [first, last] to x in [left, right]."""

    first: date
    last: date
    left: float
    right: float

    def x(self, day: date) -> float:
        span = max((self.last - self.first).days, 1)
        return round(self.left + (day - self.first).days / span * (self.right - self.left), 1)

    def ticks(self) -> list[dict]:
        months = (self.last.year - self.first.year) * 12 + self.last.month - self.first.month
        step = 1 if months <= 8 else 3 if months <= 30 else 12 * max(1, months // 120)
        return [{"x": self.x(d), "label": f"{d:%Y-%m}"} for d in _month_starts(self.first, self.last, step)]


@dataclass
class TimelineRow:
    name: str
    y: float
    planned_x: float
    actual_x: float | None
    status: str  # done / late / delayed / open
    planned: date
    actual: date | None
    end_x: float | None = None  # where the red "still open" bar of a delayed milestone ends (today)

    # The planned mark sits above the row's line and the actual one below it, so the two never
    # cover each other, even when a milestone is reached on its planned day.
    @property
    def planned_y(self) -> float:
        return self.y - 5

    @property
    def actual_y(self) -> float:
        return self.y + 5


@dataclass
class Timeline:
    width: int
    height: int
    label_width: int
    rows: list[TimelineRow] = field(default_factory=list)
    ticks: list[dict] = field(default_factory=list)
    today_x: float = 0
    axis_y: float = 0


def milestone_timeline(milestones, *, today: date, width: int = 760) -> Timeline | None:
    """One row per milestone: a hollow marker at the planned date, a filled one at the actual date;
    red from the planned date to today when it is overdue, amber when it was reached late."""
    milestones = list(milestones)
    if not milestones:
        return None
    dates = (
        [today] + [m.planned_date for m in milestones] + [m.actual_date for m in milestones if m.actual_date]
    )
    first, last = _shift(min(dates), -10), _shift(max(dates), 10)
    label_width, row_h, top = 190, 30, 14
    scale = Scale(first, last, label_width + 10, width - 16)
    chart = Timeline(width=width, height=top + row_h * len(milestones) + 34, label_width=label_width)
    for i, m in enumerate(milestones):
        if m.actual_date:
            status = "late" if m.actual_date > m.planned_date else "done"
        else:
            status = "delayed" if m.planned_date < today else "open"
        chart.rows.append(
            TimelineRow(
                name=m.name,
                y=top + row_h * i + row_h / 2,
                planned_x=scale.x(m.planned_date),
                actual_x=scale.x(m.actual_date) if m.actual_date else None,
                status=status,
                planned=m.planned_date,
                actual=m.actual_date,
                end_x=scale.x(today) if status == "delayed" else None,
            )
        )
    chart.axis_y = top + row_h * len(milestones) + 4
    chart.ticks = scale.ticks()
    chart.today_x = scale.x(today)
    return chart


@dataclass
class LedgerChart:
    width: int
    height: int
    points: str
    dots: list[dict]
    y_ticks: list[dict]
    x_ticks: list[dict]
    target_y: float | None
    target_label: str
    left: int
    bottom: float


def _nice_ceiling(value: Decimal) -> Decimal:
    """The next 1, 2, 2.5 or 5 × 10^k at or above `value`, so the axis reads in round numbers."""
    if value <= 0:
        return Decimal(1)
    exponent = value.adjusted()
    for mantissa in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        candidate = mantissa.scaleb(exponent)
        if candidate >= value:
            return candidate
    return Decimal(10).scaleb(exponent)


def ledger_chart(
    entries, *, total_investment: Decimal, width: int = 760, height: int = 240
) -> LedgerChart | None:
    """Cumulative investment completed (万元) over the ledger's dates, against the total investment."""
    entries = [e for e in entries]
    if not entries:
        return None
    left, right, top, bottom = 70, width - 16, 26, height - 28  # room above for the unit
    cumulative = [e.cumulative / WAN for e in entries]
    target = total_investment / WAN if total_investment else None
    y_max = _nice_ceiling(max([*cumulative, target or Decimal(0)]))
    first = _shift(entries[0].entry_date, -15)
    last = _shift(entries[-1].entry_date, 15)
    scale = Scale(first, last, left, right)

    def y(value: Decimal) -> float:
        return round(float(bottom - (value / y_max) * (bottom - top)), 1)

    dots = [
        {"x": scale.x(e.entry_date), "y": y(c), "date": e.entry_date, "value": c}
        for e, c in zip(entries, cumulative, strict=True)
    ]
    points = " ".join(f"{d['x']},{d['y']}" for d in [{"x": left, "y": bottom}, *dots])
    y_ticks = [{"y": y(y_max * k / 4), "label": f"{(y_max * k / 4).normalize():,f}"} for k in range(5)]
    return LedgerChart(
        width=width,
        height=height,
        points=points,
        dots=dots,
        y_ticks=y_ticks,
        x_ticks=scale.ticks(),
        target_y=y(target) if target else None,
        target_label=f"{target.normalize():,f}" if target else "",
        left=left,
        bottom=bottom,
    )
