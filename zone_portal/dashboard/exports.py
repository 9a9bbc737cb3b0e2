"""The dashboard's tables as one .xlsx workbook (openpyxl): one sheet per table of the page.

Rates are written as numbers with a percentage format, so Excel can compute with them; a rate
without a denominator is written "—", as on the page.
"""

from io import BytesIO

from django.utils.functional import Promise
from django.utils.translation import gettext as _
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


def _comparison_sheets(summary: dict) -> list[tuple]:
    """The comparisons by park and by department, placed as their section on the page (36)."""
    sheets = []
    if summary.get("by_park") is not None:
        sheets.append(
            (
                36,
                _("By park"),
                [
                    _("Park"),
                    _("Problems received"),
                    _("Resolution rate (办结率)"),
                    _("Problems overdue now"),
                    _("Requests submitted"),
                    _("Completed"),
                    _("On-time rate"),
                    _("Overdue now"),
                    _("Help and agency"),
                    _("Rating coverage"),
                    _("Ratings"),
                    _("Bad reviews"),
                    _("Satisfaction rate"),
                    _("Rectifications open now"),
                    _("Rectifications overdue now"),
                ],
                [
                    [
                        row["park"]["name"]
                        if row["park"]
                        else _("No park yet (companies being founded, hotline problems to route)"),
                        row["tickets_received"],
                        rate_cell(row["resolution_rate"]),
                        row["tickets_overdue"],
                        row["submitted"],
                        row["completed"],
                        rate_cell(row["on_time_rate"]),
                        row["overdue_now"],
                        row["agency"],
                        rate_cell(row["coverage"]),
                        row["ratings"],
                        row["bad"],
                        rate_cell(row["satisfaction_rate"]),
                        row["rectifications_open"],
                        row["rectifications_overdue"],
                    ]
                    for row in summary["by_park"]
                ],
            )
        )
    if summary.get("by_department") is not None:
        sheets.append(
            (
                36,
                _("By department"),
                [
                    _("Rank"),
                    _("Department"),
                    _("Score"),
                    _("Whistled"),
                    _("Reported on time"),
                    _("Answered on time"),
                    _("Public notices (通报)"),
                    _("Requests handled"),
                    _("Completed"),
                    _("On-time rate"),
                    _("Overdue now"),
                    _("Ratings"),
                    _("Satisfaction rate"),
                    _("Rectifications due"),
                    _("Rectifications replied on time"),
                    _("Rectifications open now"),
                ],
                [
                    [
                        row["rank"] if row["rank"] is not None else NO_RATE,
                        row["name"],
                        row["score"] if row["score"] is not None else NO_RATE,
                        row["whistled"],
                        rate_cell(row["report_on_time_rate"]),
                        rate_cell(row["answer_on_time_rate"]),
                        row["noticed"],
                        row["submitted"],
                        row["completed"],
                        rate_cell(row["on_time_rate"]),
                        row["overdue_now"],
                        row["ratings"],
                        rate_cell(row["satisfaction_rate"]),
                        row["rectifications_due"],
                        rate_cell(row["rectification_on_time_rate"]),
                        row["rectifications_open"],
                    ]
                    for row in summary["by_department"]
                ],
            )
        )
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
