"""A part's counts by week of the period (its section's `by_week`, `rollup.weekly`'s rows) as the
dashboards show them: the page's line chart with its numbers as a table (the partial
`dashboard/_weeks.html`) and the export's sheet, all three from one declaration of the series, so
the chart, the table and the sheet cannot drift apart."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from . import charts


@dataclass(frozen=True)
class WeeklyTrend:
    """`part`: the section whose `by_week` is shown; `chart`: its name among the page's charts;
    `title`: the chart's title and the table's caption; `sheet_title`: the export's sheet;
    `series`: (label, count) for each line, the count named as in the weeks' rows."""

    part: str
    chart: str
    title: object  # a lazy translation, like the labels and the sheet's title
    sheet_title: object
    series: tuple[tuple[object, str], ...]

    def page(self, summary) -> dict:
        """The part's `page`: the chart with its table (the partial's `trend`)."""
        weeks = summary[self.part]["by_week"]
        chart = charts.weeks_chart(
            title=str(self.title), weeks=weeks, series=[(str(label), name) for label, name in self.series]
        )
        return {
            "charts": {
                self.chart: {
                    "svg": chart,
                    "caption": self.title,
                    "labels": [label for label, _name in self.series],
                    "rows": self._rows(weeks),
                }
            }
        }

    def sheet(self, place: int, figures: dict) -> tuple:
        """The export's sheet of the weeks, at `place` (see `parts.placed`)."""
        headers = [_("Week of"), *(label for label, _name in self.series)]
        return (place, self.sheet_title, headers, self._rows(figures["by_week"]))

    def _rows(self, weeks: list[dict]) -> list[list]:
        """A row per week: its Monday, then each series' count."""
        return [[week["week"], *(week[name] for _label, name in self.series)] for week in weeks]
