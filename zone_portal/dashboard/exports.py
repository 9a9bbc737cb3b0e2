"""The dashboard's tables as one .xlsx workbook (openpyxl): one sheet per table of the page.

Rates are written as numbers with a percentage format, so Excel can compute with them; a rate
without a denominator is written "—", as on the page.
"""

from io import BytesIO

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from .parts import placed

NO_RATE = "—"


class Rate(float):
    """Marks a value to be formatted as a percentage."""


def rate_cell(value):
    """A rate as an export's cell: a percentage, or \"—\" without a denominator."""
    return NO_RATE if value is None else Rate(value)


def _sheet(workbook, title: str, headers: list, rows: list[list]) -> None:
    sheet = workbook.create_sheet(title=str(title)[:31])
    sheet.append([str(h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(
            [float(v) if isinstance(v, Rate) else str(v) if isinstance(v, Promise) else v for v in row]
        )
        for cell, value in zip(sheet[sheet.max_row], row, strict=True):
            if isinstance(value, Rate):
                cell.number_format = "0.0%"
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(10, width * 1.6), 50)
    sheet.freeze_panes = "A2"


def _field(key: str):
    return lambda row: row[key]


def _rate(key: str):
    return lambda row: rate_cell(row[key])


def _or_no_rate(key: str):
    """A figure that may be missing (a department without a score): "—" then, as on the page."""
    return lambda row: NO_RATE if row[key] is None else row[key]


def _park_name(row):
    if row["park"]:
        return row["park"]["name"]
    return gettext_lazy("No park yet (companies being founded, hotline problems to route)")


# The comparisons' sheets column by column, (header, the cell of a comparison's row), so a
# column's header and its value stand together.
BY_PARK_COLUMNS = [
    (gettext_lazy("Park"), _park_name),
    (gettext_lazy("Problems received"), _field("tickets_received")),
    (gettext_lazy("Resolution rate (办结率)"), _rate("resolution_rate")),
    (gettext_lazy("Problems overdue now"), _field("tickets_overdue")),
    (gettext_lazy("Requests submitted"), _field("submitted")),
    (gettext_lazy("Completed"), _field("completed")),
    (gettext_lazy("On-time rate"), _rate("on_time_rate")),
    (gettext_lazy("Overdue now"), _field("overdue_now")),
    (gettext_lazy("Help and agency"), _field("agency")),
    (gettext_lazy("Rating coverage"), _rate("coverage")),
    (gettext_lazy("Ratings"), _field("ratings")),
    (gettext_lazy("Bad reviews"), _field("bad")),
    (gettext_lazy("Satisfaction rate"), _rate("satisfaction_rate")),
    (gettext_lazy("Rectifications open now"), _field("rectifications_open")),
    (gettext_lazy("Rectifications overdue now"), _field("rectifications_overdue")),
]
BY_DEPARTMENT_COLUMNS = [
    (gettext_lazy("Rank"), _or_no_rate("rank")),
    (gettext_lazy("Department"), _field("name")),
    (gettext_lazy("Score"), _or_no_rate("score")),
    (gettext_lazy("Whistled"), _field("whistled")),
    (gettext_lazy("Reported on time"), _rate("report_on_time_rate")),
    (gettext_lazy("Answered on time"), _rate("answer_on_time_rate")),
    (gettext_lazy("Public notices (通报)"), _field("noticed")),
    (gettext_lazy("Requests handled"), _field("submitted")),
    (gettext_lazy("Completed"), _field("completed")),
    (gettext_lazy("On-time rate"), _rate("on_time_rate")),
    (gettext_lazy("Overdue now"), _field("overdue_now")),
    (gettext_lazy("Ratings"), _field("ratings")),
    (gettext_lazy("Satisfaction rate"), _rate("satisfaction_rate")),
    (gettext_lazy("Rectifications due"), _field("rectifications_due")),
    (gettext_lazy("Rectifications replied on time"), _rate("rectification_on_time_rate")),
    (gettext_lazy("Rectifications open now"), _field("rectifications_open")),
]


def _comparison_sheets(summary: dict) -> list[tuple]:
    """The comparisons by park and by department, placed as their section on the page (36)."""
    sheets = []
    for key, title, columns in (
        ("by_park", _("By park"), BY_PARK_COLUMNS),
        ("by_department", _("By department"), BY_DEPARTMENT_COLUMNS),
    ):
        if summary.get(key) is not None:
            headers = [header for header, _cell in columns]
            rows = [[cell(row) for _header, cell in columns] for row in summary[key]]
            sheets.append((36, title, headers, rows))
    return sheets


def dashboard_workbook(summary: dict, *, scope, period) -> bytes:
    """The overview (scope, period and every part's rows), then the parts' sheets and the
    comparisons, by their places."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    overview = [
        [_("Scope"), scope.label],
        [_("Period"), f"{period.first.isoformat()} – {period.last.isoformat()}"],
        *placed(summary, "overview", scope),
    ]
    _sheet(workbook, _("Overview"), [_("Figure"), _("Value")], overview)
    for title, headers, rows in placed(summary, "sheets", foundation=_comparison_sheets(summary)):
        _sheet(workbook, title, headers, rows)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
