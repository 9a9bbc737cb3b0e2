"""Writing people's text into .xlsx files without handing them a formula (CSV/formula injection).

openpyxl stores any string starting with "=" as a live formula, and spreadsheet programs treat
"+", "-", "@", a tab or a carriage return at the start the same way when the text is pasted or
re-saved. Such strings are written as text cells that keep exactly what was typed, so the file can
be re-imported unchanged. Every export of the portal writes its rows through `xlsx_append` (or
builds them with `xlsx_safe_row`), and answers with `xlsx_response`.
"""

from django.http import HttpResponse
from openpyxl.cell import WriteOnlyCell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def xlsx_safe(sheet, value):
    """`value` ready for `sheet.append`: a string that could be read as a formula becomes a text
    cell holding the same string; every other value is returned as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def xlsx_safe_row(sheet, values) -> list:
    """`values` ready for `sheet.append` (a write-only or an ordinary worksheet)."""
    return [xlsx_safe(sheet, value) for value in values]


def xlsx_append(sheet, values) -> None:
    """Append one row of `values` to `sheet`, none of them read as a formula."""
    sheet.append(xlsx_safe_row(sheet, values))


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """A workbook to download as `filename` (the exports' names are ASCII)."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
