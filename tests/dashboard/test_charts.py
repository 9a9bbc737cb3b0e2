import re

import pytest

from zone_portal.dashboard.charts import Series, bar_chart, funnel_chart, line_chart


def test_line_chart_draws_one_polyline_per_series_scaled_to_the_peak():
    svg = line_chart(
        title="趋势",
        labels=["03-02", "03-09", "03-16"],
        series=[Series("受理", [0, 5, 10]), Series("办结", [0, 0, 0])],
    )

    lines = re.findall(r'points="([^"]+)"', svg)
    assert len(lines) == 2
    ys = [float(p.split(",")[1]) for p in lines[0].split()]
    assert ys[0] > ys[1] > ys[2]  # higher values are drawn higher
    assert "<title>趋势</title>" in svg and 'role="img"' in svg


def test_bar_chart_writes_a_dash_for_a_rate_without_denominator():
    svg = bar_chart(title="Rates", items=[("on time", 0.975), ("coverage", None)])

    assert "97.5%" in svg
    assert "—" in svg
    assert svg.count("<rect") == 3  # two backgrounds, one bar: no bar for the missing rate


def test_funnel_widths_follow_the_counts():
    svg = funnel_chart(title="Stages", stages=[("洽谈", 10), ("签约", 5), ("投产", 0)])

    widths = [float(w) for w in re.findall(r'<rect x="[^"]+" y="[^"]+" width="([^"]+)"', svg)]
    assert widths[0] == 2 * widths[1]
    assert widths[2] == 2.0  # an empty stage stays visible


def test_labels_are_escaped():
    svg = bar_chart(title="<script>", items=[("<b>x</b>", 1.0)])

    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg


@pytest.mark.django_db
def test_chart_colours_carry_meaning(client, demo, admin_user):
    """Ratings run from red (非常不满意) to green (非常满意); bars that differ only in length share
    one colour; an ordinary count is never drawn in the alarm red."""
    from zone_portal.dashboard.charts import BAR, SCORE_COLOURS

    client.force_login(admin_user)
    html = client.get("/dashboard/").content.decode()
    ratings = html[html.index('aria-label="评价等级分布"') :]
    ratings = ratings[: ratings.index("</svg>")]
    assert ratings.index(SCORE_COLOURS[5]) < ratings.index(SCORE_COLOURS[1])  # best first, green
    assert SCORE_COLOURS[5] == "#1a7f37" and SCORE_COLOURS[1] == "#c01f1f"
    rates = bar_chart(title="Rates", items=[("a", 0.5), ("b", 0.7), ("c", 0.9)])
    assert set(re.findall(r'<rect[^>]*width="[\d.]+" height="16" fill="(#\w+)"', rates)) == {"#eef2f6", BAR}
    trend = line_chart(title="t", labels=["1", "2"], series=[Series("受理", [1, 2]), Series("办结", [0, 1])])
    assert "#b3261e" not in trend and "#c01f1f" not in trend


def test_line_chart_legend_entries_do_not_overlap():
    svg = line_chart(
        title="t",
        labels=["1", "2"],
        series=[Series("一个很长很长的系列名称", [1, 2]), Series("办结", [0, 1])],
    )
    first, second = (float(x) for x in re.findall(r'<text x="([\d.]+)" y="14"', svg))
    assert second - first > 12 * 11  # the first name's eleven characters fit before the second
