"""The disbursement ledger as .xlsx: every payment, then totals by policy, park and year.

Amounts are written as numbers (yuan, to the fen) computed in Decimal and converted only at the
cell, so the file's totals equal the ledger's to the fen; each total row is a sum the database
made, not a formula a spreadsheet program would recompute differently.
"""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from zone_portal.xlsx import xlsx_append

MONEY_FORMAT = "#,##0.00"


def _money_cells(sheet, columns: tuple[int, ...]) -> None:
    for row in sheet.iter_rows(min_row=2):
        for index in columns:
            row[index].number_format = MONEY_FORMAT


def _bold_last(sheet) -> None:
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


def ledger_workbook(rows, totals: dict) -> bytes:
    """`rows`: the disbursements (with policy, enterprise, park); `totals`: `selectors.ledger_totals`."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Ledger")[:31]
    xlsx_append(
        sheet, [_("Paid on"), _("Policy"), _("Enterprise"), _("Park"), _("Amount (yuan)"), _("Reference")]
    )
    for row in rows:
        xlsx_append(
            sheet,
            [row.paid_on, row.policy.name, row.enterprise.name, row.park.name, row.amount, row.reference],
        )
    xlsx_append(sheet, [_("Total"), "", "", "", totals["total"], ""])
    _bold_last(sheet)
    _money_cells(sheet, (4,))
    for title, rows_of, name_key in (
        (_("By policy"), totals["by_policy"], "policy__name"),
        (_("By park"), totals["by_park"], "park__name"),
        (_("By year"), totals["by_year"], "year"),
    ):
        part = workbook.create_sheet(title[:31])
        xlsx_append(part, [title, _("Payments"), _("Amount (yuan)")])
        for row in rows_of:
            xlsx_append(part, [str(row[name_key]), row["count"], row["total"]])
        xlsx_append(part, [_("Total"), totals["count"], totals["total"]])
        _bold_last(part)
        _money_cells(part, (2,))
    for ws in workbook.worksheets:
        ws.column_dimensions["A"].width = 14
        ws.column_dimensions["B"].width = 36
        ws.column_dimensions["C"].width = 30
        ws.freeze_panes = "A2"
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
