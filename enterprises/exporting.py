"""The directory as an .xlsx workbook, with the import's columns so it can be edited and re-imported."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from zone_portal.money import wan
from zone_portal.xlsx import xlsx_append

from .importing import COLUMNS

_BOOLEAN = {"is_above_scale", "is_high_tech_reserve"}


def enterprises_xlsx(queryset) -> bytes:
    """Write `queryset` (rows with `active_cso_assignments` prefetched) in chunks; returns the file."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Enterprises"))
    headers = [str(label) for _name, label in COLUMNS] + [_("Status"), _("Chief service officer")]
    bold = Font(bold=True)
    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    yes, no = _("Yes"), _("No")
    for enterprise in queryset.iterator(chunk_size=1000):
        row = []
        for name, _label in COLUMNS:
            value = getattr(enterprise, name)
            if name == "park":
                value = value.name
            elif name in _BOOLEAN:
                value = yes if value else no
            elif name == "registered_capital" and value is not None:
                value = float(wan(value))  # in 万元, as the header says; Excel sums it, cents survive
            row.append(value)
        active = enterprise.active_cso_assignments
        row += [enterprise.get_status_display(), str(active[0].officer) if active else ""]
        xlsx_append(sheet, row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_filename() -> str:
    return f"enterprises-{timezone.localtime():%Y%m%d-%H%M}.xlsx"


def import_errors_rows(job) -> list[dict]:
    """The job's findings as people read them: the column named as the file names it (jobs checked
    before the file's headers were kept name it by its label), warnings marked."""
    from .importing import column_header

    return [
        {**error, "column": error.get("column") or column_header(error.get("field", ""))}
        for error in job.errors
    ]


def import_errors_xlsx(job) -> bytes:
    """The findings of an import's check as a workbook: row, column, warning or error, reason."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Errors"))
    bold = Font(bold=True)
    header_cells = []
    for text in (_("Row"), _("Column"), _("Kind"), _("Reason")):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for error in import_errors_rows(job):
        kind = _("Warning") if error.get("warning") else _("Error")
        xlsx_append(sheet, [error["row"], error["column"], kind, str(error["message"])])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
