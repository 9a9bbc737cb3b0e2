"""The .xlsx workbooks government staff work in: one project's ledger, and all projects' summary.

Money is written in 万元 (yuan ÷ 10 000, exact Decimal) with a number format. Totals are values
computed from the same rows, not formulas, so every reader (and openpyxl) sees them without
recalculating.
"""

from datetime import date
from decimal import Decimal
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from zone_portal.money import WAN
from zone_portal.xlsx import xlsx_append

from .models import Stage
from .selectors import ZERO, Health, project_health

MONEY_FORMAT = "#,##0.0000"
PERCENT_FORMAT = "0.00"
HEADER_FILL = PatternFill("solid", fgColor="F2F4F7")
BOLD = Font(bold=True)


def _wan(yuan: Decimal) -> Decimal:
    return (yuan or ZERO) / WAN


def _header(ws, row: int, titles: list[str], widths: list[int]) -> None:
    for col, (title, width) in enumerate(zip(titles, widths, strict=True), start=1):
        cell = ws.cell(row=row, column=col, value=title)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = f"A{row + 1}"  # a coordinate, not ws.cell(): that would add an empty row


def _save(wb: Workbook) -> bytes:
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _total_row(ws, values: list, *, money_columns: tuple[int, ...]) -> None:
    """The table's total row: bold label and sums, the sums in the money format."""
    ws.append(values)
    row = ws.max_row
    for col in (1, *money_columns):
        ws.cell(row=row, column=col).font = BOLD
    for col in money_columns:
        ws.cell(row=row, column=col).number_format = MONEY_FORMAT


def _share(done: Decimal, total: Decimal) -> Decimal:
    """What `done` is of `total`, in per cent to the hundredth (0 for a project without a total)."""
    return (done / total * 100 if total else ZERO).quantize(Decimal("0.01"))


def ledger_workbook(project, entries: list) -> bytes:
    """One project's ledger: a heading block, one row per entry with its cumulative figure, and a
    total row. `entries` come from `selectors.ledger_with_cumulative`."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Ledger")[:31]
    xlsx_append(ws, [_("Key project ledger"), project.name])
    ws["A1"].font = BOLD
    xlsx_append(ws, [_("Investor"), project.enterprise.name])
    xlsx_append(ws, [_("Park"), project.park.name])
    ws.append([_("Total investment (10k yuan)"), _wan(project.total_investment)])
    ws["B4"].number_format = MONEY_FORMAT
    ws.append([])
    header_row = 6
    _header(
        ws,
        header_row,
        [
            _("Date"),
            _("Investment completed (10k yuan)"),
            _("Cumulative investment (10k yuan)"),
            _("Share of total investment (%)"),
            _("Progress (%)"),
            _("Problems found"),
            _("Note"),
            _("Recorded by"),
        ],
        [12, 18, 18, 16, 10, 40, 30, 16],
    )
    total = ZERO
    for entry in entries:
        total += entry.investment_completed
        xlsx_append(
            ws,
            [
                entry.entry_date,
                _wan(entry.investment_completed),
                _wan(entry.cumulative),
                _share(entry.cumulative, project.total_investment),
                entry.progress_percent,
                entry.problems,
                entry.note,
                str(entry.recorded_by or ""),
            ],
        )
        row = ws.max_row
        ws.cell(row=row, column=1).number_format = "yyyy-mm-dd"
        for col in (2, 3):
            ws.cell(row=row, column=col).number_format = MONEY_FORMAT
        ws.cell(row=row, column=4).number_format = PERCENT_FORMAT
    _total_row(ws, [_("Total"), _wan(total), _wan(total)], money_columns=(2, 3))
    return _save(wb)


def summary_workbook(projects, *, today: date) -> bytes:
    """All (visible) projects, one row each, with the total investment and the investment completed
    summed on a total row. `projects` come annotated by `selectors.projects_with_status`."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Key projects")[:31]
    ws.append([_("Key projects summary"), str(today)])
    ws["A1"].font = BOLD
    ws.append([])
    _header(
        ws,
        3,
        [
            _("Project"),
            _("Investor"),
            _("Park"),
            _("Industry"),
            _("Assigned leader"),
            _("Stage"),
            _("Total investment (10k yuan)"),
            _("Cumulative investment (10k yuan)"),
            _("Share of total investment (%)"),
            _("Progress (%)"),
            _("Target completion date"),
            _("Status"),
        ],
        [30, 24, 18, 14, 14, 12, 18, 18, 14, 10, 14, 10],
    )
    total_planned = total_done = ZERO
    count = 0
    for p in projects:
        count += 1
        total_planned += p.total_investment
        total_done += p.invested
        xlsx_append(
            ws,
            [
                p.name,
                p.enterprise.name,
                p.park.name,
                p.industry,
                str(p.leader or ""),
                str(Stage(p.stage).label),
                _wan(p.total_investment),
                _wan(p.invested),
                _share(p.invested, p.total_investment),
                p.progress,
                p.target_date,
                str(Health.LABELS[project_health(p)]),
            ],
        )
        row = ws.max_row
        for col in (7, 8):
            ws.cell(row=row, column=col).number_format = MONEY_FORMAT
        ws.cell(row=row, column=9).number_format = PERCENT_FORMAT
        ws.cell(row=row, column=11).number_format = "yyyy-mm-dd"
    _total_row(
        ws,
        [
            _("Total (%(n)d projects)") % {"n": count},
            "",
            "",
            "",
            "",
            "",
            _wan(total_planned),
            _wan(total_done),
        ],
        money_columns=(7, 8),
    )
    return _save(wb)
