"""Server-side SVG charts (no JavaScript, no CDN). Each returns markup safe to include as is,
with a <title> and a role so screen readers announce it; the page shows the numbers as a table too.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Colours that mean something: series in calm, distinct hues (never the alarm red for an ordinary
# count), one colour for bars that differ only in length, and a red-to-green scale for ratings
# (1 非常不满意 … 5 非常满意), so green is good and red is bad wherever a chart shows them.
PALETTE = ["#175cd3", "#1a7f37", "#6941c6", "#b54708", "#475467", "#0e9384"]
BAR = "#175cd3"
SCORE_COLOURS = {5: "#1a7f37", 4: "#66c61c", 3: "#98a2b3", 2: "#f79009", 1: "#c01f1f"}


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float]


def _text_width(text: str, size: float = 12) -> float:
    """About how wide `text` is at `size` px: Chinese characters are about twice as wide as Latin."""
    return sum(size if ord(ch) > 0x2E7F else size * 0.55 for ch in text)


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def line_chart(
    *, title: str, labels: list[str], series: list[Series], width: int = 640, height: int = 240
) -> SafeString:
    """Lines over shared x labels (e.g. received vs resolved by week)."""
    left, right, top, bottom = 40, 12, 24, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([v for s in series for v in s.values] + [1])
    n = max(len(labels), 1)

    def x(i):
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v):
        return top + plot_h - plot_h * v / peak

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" class="chart" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#98a2b3"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" font-size="11">{_fmt(peak)}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" font-size="11">0</text>',
    ]
    step = max(1, n // 8)
    for i, label in enumerate(labels):
        if i % step == 0:
            parts.append(
                f'<text x="{x(i):.1f}" y="{height - 14}" text-anchor="middle" font-size="10">{escape(label)}</text>'
            )
    legend_x = left + 8
    for index, s in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(s.values))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>')
        parts.append(
            f'<text x="{legend_x:.0f}" y="14" font-size="12" fill="{colour}">■ {escape(s.name)}</text>'
        )
        legend_x += 30 + _text_width(s.name)
    parts.append("</svg>")
    return mark_safe("".join(parts))


def weeks_chart(*, title: str, weeks: list[dict], series: list[tuple[str, str]]) -> SafeString:
    """A line per (label, count) of `series` over the weeks of a period (`rollup.weekly`'s rows),
    each week named by its Monday (MM-DD)."""
    return line_chart(
        title=title,
        labels=[week["week"][5:] for week in weeks],
        series=[Series(label, [week[name] for week in weeks]) for label, name in series],
    )


def bar_chart(
    *,
    title: str,
    items: list[tuple[str, float | None]],
    maximum: float = 1.0,
    percent: bool = True,
    width: int = 420,
    colours: list[str] | None = None,
) -> SafeString:
    """Horizontal bars, one per item; None is drawn as "—" (no denominator). Bars are one colour
    unless `colours` gives each item its own (e.g. a rating level's)."""
    row = 26
    # Room for the longest label: Chinese characters are about twice as wide as Latin ones.
    longest = max([_text_width(label) for label, _v in items] + [60])
    label_w = int(min(longest + 12, width * 0.55))
    height = row * len(items) + 20
    bar_w = width - label_w - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" class="chart" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for i, (label, value) in enumerate(items):
        top = 10 + i * row
        parts.append(
            f'<text x="{label_w - 6}" y="{top + 15}" text-anchor="end" font-size="12">{escape(label)}</text>'
        )
        parts.append(f'<rect x="{label_w}" y="{top + 3}" width="{bar_w}" height="16" fill="#eef2f6"/>')
        if value is None:
            text = "—"
        else:
            share = max(0.0, min(1.0, value / maximum if maximum else 0))
            parts.append(
                f'<rect x="{label_w}" y="{top + 3}" width="{bar_w * share:.1f}" height="16" fill="{colours[i] if colours else BAR}"/>'
            )
            text = f"{value * 100:.1f}%" if percent else _fmt(value)
        parts.append(f'<text x="{label_w + bar_w + 6}" y="{top + 15}" font-size="12">{text}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def levels_chart(*, title: str, levels: list[tuple[int, str]], counts: dict) -> SafeString:
    """Counts by rating level (`levels`: (value, label), best first; `counts` by str(value)), each
    bar in its level's colour."""
    return bar_chart(
        title=title,
        items=[(str(label), counts[str(score)]) for score, label in levels],
        maximum=max([counts[str(score)] for score, _label in levels] + [1]),
        percent=False,
        colours=[SCORE_COLOURS.get(score, BAR) for score, _label in levels],
    )


def funnel_chart(*, title: str, stages: list[tuple[str, int]], width: int = 420) -> SafeString:
    """A stage funnel: centred bars whose width follows each stage's count."""
    row = 28
    height = row * len(stages) + 10
    peak = max([c for _, c in stages] + [1])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" class="chart" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for i, (label, count) in enumerate(stages):
        w = max(2.0, (width - 20) * count / peak)
        x = (width - w) / 2
        top = 5 + i * row
        parts.append(
            f'<rect x="{x:.1f}" y="{top}" width="{w:.1f}" height="{row - 4}" rx="3" fill="#b2ccff"/>'
        )
        parts.append(
            # Dark text on a light bar: readable however narrow the bar is.
            f'<text x="{width / 2}" y="{top + 17}" text-anchor="middle" font-size="12" fill="#1f2328">'
            f"{escape(label)} {count}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
