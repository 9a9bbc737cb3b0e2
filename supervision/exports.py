"""The quarter's ranking as an .xlsx workbook (every cell through `zone_portal.xlsx`)."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from zone_portal.xlsx import xlsx_append

from .scoring import FORMULA


def ranking_workbook(ranking: dict) -> bytes:
    book = Workbook(write_only=True)
    title = f"{ranking['year']}Q{ranking['quarter']}"
    for name, rows in ((_("Departments"), ranking["departments"]), (_("Parks"), ranking["parks"])):
        sheet = book.create_sheet(f"{name} {title}"[:31])
        xlsx_append(sheet, [_("Rank"), name, _("Indicator score")])
        for row in rows:
            xlsx_append(sheet, [row["rank"], row["name"], row["score"]])
        xlsx_append(sheet, [])
        xlsx_append(sheet, [str(FORMULA)])
    sheet = book.create_sheet(_("四比四看")[:31])
    weights = ranking.get("weights") or {}
    xlsx_append(sheet, [_("Rank"), _("Department"), _("Score"), _("Indicator score")])
    for row in ranking.get("overall", []):
        xlsx_append(sheet, [row["rank"], row["name"], row["score"], row["indicator_score"]])
    xlsx_append(sheet, [])
    xlsx_append(sheet, [_("Weights"), *[f"{k}: {v}" for k, v in weights.items()]])
    out = BytesIO()
    book.save(out)
    return out.getvalue()
