"""Reading the zone's register from .xlsx or .csv: columns, parsing, row validation. No writes.

`read_rows` turns a file into (row number, {field: raw value}) pairs; `RowValidator` checks each row
and returns either clean values for `Enterprise` or the reasons it is refused. The same columns are
used by the export, so an exported directory can be edited and imported again.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zone_portal.dates import validate_date_in_range
from zone_portal.money import yuan_from_wan
from zone_portal.org.models import Park

from .models import Enterprise
from .uscc import uscc_validate

MAX_ROWS = 20_000

# (field, header label). The header matches the field name or the label in any language.
COLUMNS = [
    ("name", gettext_lazy("Enterprise name")),
    ("uscc", gettext_lazy("Unified social credit code")),
    ("park", gettext_lazy("Park")),
    ("legal_representative", gettext_lazy("Legal representative")),
    ("registered_capital", gettext_lazy("Registered capital (10k yuan)")),
    ("address", gettext_lazy("Address")),
    ("industry", gettext_lazy("Industry")),
    ("founded_on", gettext_lazy("Founding date")),
    ("contact_name", gettext_lazy("Contact person")),
    ("contact_phone", gettext_lazy("Contact phone")),
    ("patents", gettext_lazy("Patents")),
    ("tech_sme_year", gettext_lazy("Tech SME year")),
    ("is_above_scale", gettext_lazy("Above designated size")),
    ("high_tech_certificate", gettext_lazy("High-tech certificate number")),
    ("high_tech_expires_on", gettext_lazy("High-tech certificate expires on")),
    ("is_high_tech_reserve", gettext_lazy("High-tech reserve")),
]
# Headers a file may have besides the columns: registered capital in yuan (files made before the
# directory wrote 万元).
ALIASES = [("registered_capital_yuan", gettext_lazy("Registered capital (yuan)"))]
ALIAS_OF = {"registered_capital_yuan": "registered_capital"}  # whose errors and header it is
REQUIRED = ("name", "uscc", "park")
LABELS = dict(COLUMNS)

_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "x"}
_FALSE = {"否", "n", "no", "false", "0", ""}
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


class FileUnreadable(Exception):
    """The file is not a spreadsheet we can read, or lacks the required columns."""


def _header_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for name, label in [*COLUMNS, *ALIASES]:
        names[name.lower()] = name
        for language in ("zh-hans", "en"):
            with translation.override(language):
                names[_normalise_header(str(label))] = name
    return names


def _normalise_header(text) -> str:
    text = re.sub(r"[\s*＊:：]", "", str(text or "")).lower().replace("（", "(").replace("）", ")")
    # A yes/no column is often headed 是否… ("whether …"): 是否规上企业 is the 规上企业 column.
    return text.removeprefix("是否")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


@dataclass
class Sheet:
    rows: list[tuple[int, dict]]  # (spreadsheet row number, {field: raw cell value})
    unknown_columns: list[str]  # headers that name no column: their cells are not imported
    headers: dict[str, str] = field(default_factory=dict)  # field → its header as the file writes it


def column_header(field_name: str, headers: dict | None = None) -> str:
    """How a page names a column: the file's own header, else the column's label (never the code)."""
    return (headers or {}).get(field_name) or str(LABELS.get(field_name, field_name))


def read_rows(fileobj, filename: str) -> Sheet:
    """Every data row as (spreadsheet row number, {field: raw cell value}), blank rows skipped, and
    the headers that were not recognised (so that the person importing is told, not left guessing)."""
    if filename.lower().endswith(".xlsx"):
        raw_rows = _xlsx_rows(fileobj)
    elif filename.lower().endswith(".csv"):
        raw_rows = _csv_rows(fileobj)
    else:
        raise FileUnreadable(_("Upload an .xlsx or .csv file."))
    try:
        header = next(raw_rows)
    except StopIteration:
        raise FileUnreadable(_("The file is empty.")) from None
    known = _header_names()
    columns = [known.get(_normalise_header(h)) for h in header]
    unknown = [_cell_text(h) for h, f in zip(header, columns, strict=True) if f is None and _cell_text(h)]
    missing = [str(LABELS[f]) for f in REQUIRED if f not in columns]
    if missing:
        raise FileUnreadable(
            _("The first row must name the columns; missing: %(columns)s.") % {"columns": "、".join(missing)}
        )
    rows = []
    for number, values in enumerate(raw_rows, start=2):
        if all(_cell_text(v) == "" for v in values):
            continue
        rows.append((number, {f: v for f, v in zip(columns, values, strict=False) if f}))
        if len(rows) > MAX_ROWS:
            raise FileUnreadable(
                _("The file has more than %(max)d rows: split it into smaller files.") % {"max": MAX_ROWS}
            )
    headers = {ALIAS_OF.get(f, f): _cell_text(h) for h, f in zip(header, columns, strict=True) if f}
    return Sheet(rows=rows, unknown_columns=unknown, headers=headers)


def _xlsx_rows(fileobj):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or foreign file
        raise FileUnreadable(_("This is not a readable .xlsx file.")) from exc
    try:
        yield from workbook.active.iter_rows(values_only=True)
    finally:
        workbook.close()


def _csv_rows(fileobj):
    data = fileobj.read()
    # Excel in China saves CSV as GBK unless told otherwise; UTF-8 (with or without BOM) first.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileUnreadable(_("The .csv file is neither UTF-8 nor GBK text."))
    yield from csv.reader(io.StringIO(text))


@dataclass
class RowResult:
    number: int
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)  # [(field, message)]

    def error(self, name: str, message) -> None:
        self.errors.append((name, str(message)))


class RowValidator:
    """Checks rows one by one; remembers codes seen so far to refuse duplicates within the file.

    With `check_register=True` a code already in the register is refused too (the preview); the
    import itself leaves that to the database's unique constraint.
    """

    def __init__(self, *, check_register: bool):
        self.check_register = check_register
        self.parks = {}
        for park in Park.objects.all():
            self.parks[park.name] = park
            self.parks[park.code.lower()] = park
        self.seen: dict[str, int] = {}
        self.registered: set[str] = set()

    def load_registered(self, codes) -> None:
        codes = [c for c in codes if c]
        for start in range(0, len(codes), 1000):
            self.registered.update(
                Enterprise.objects.filter(uscc__in=codes[start : start + 1000]).values_list("uscc", flat=True)
            )

    def validate(self, number: int, raw: dict) -> RowResult:
        row = RowResult(number)
        text = {name: _cell_text(raw.get(name)) for name, _label in [*COLUMNS, *ALIASES]}
        name = text["name"]
        if not name:
            row.error("name", _("The enterprise name is missing."))
        elif len(name) > 200:
            row.error("name", _("The enterprise name is longer than 200 characters."))
        row.values["name"] = name
        self._uscc(row, text["uscc"])
        park = self.parks.get(text["park"]) or self.parks.get(text["park"].lower())
        if not text["park"]:
            row.error("park", _("The park is missing."))
        elif park is None:
            row.error("park", _("Unknown park “%(park)s”.") % {"park": text["park"]})
        row.values["park"] = park
        for name in ("legal_representative", "address", "industry", "contact_name", "contact_phone"):
            limit = Enterprise._meta.get_field(name).max_length
            if len(text[name]) > limit:
                row.error(name, _("Longer than %(n)d characters.") % {"n": limit})
            row.values[name] = text[name]
        # in 万元 (to the yuan cent: six places), below the yuan column's 10¹⁴
        capital = self._decimal(
            row, "registered_capital", text["registered_capital"], places=6, below=Decimal("1e10")
        )
        row.values["registered_capital"] = (
            yuan_from_wan(capital)
            if capital is not None
            else self._decimal(row, "registered_capital", text["registered_capital_yuan"])
        )
        row.values["founded_on"] = self._date(row, "founded_on", raw.get("founded_on"))
        row.values["patents"] = self._int(row, "patents", text["patents"], minimum=0) or 0
        row.values["tech_sme_year"] = self._int(row, "tech_sme_year", text["tech_sme_year"], minimum=2000)
        row.values["is_above_scale"] = self._bool(row, "is_above_scale", text["is_above_scale"])
        row.values["high_tech_certificate"] = text["high_tech_certificate"][:50]
        row.values["high_tech_expires_on"] = self._date(
            row, "high_tech_expires_on", raw.get("high_tech_expires_on")
        )
        if row.values["high_tech_certificate"] and not row.values["high_tech_expires_on"]:
            row.error("high_tech_expires_on", _("A high-tech certificate needs its expiry date."))
        row.values["is_high_tech_reserve"] = self._bool(
            row, "is_high_tech_reserve", text["is_high_tech_reserve"]
        )
        return row

    def _uscc(self, row: RowResult, raw: str) -> None:
        if not raw:
            row.error("uscc", _("The unified social credit code is missing."))
            return
        try:
            code = uscc_validate(raw)
        except ValidationError as exc:
            row.error("uscc", " ".join(exc.messages))
            return
        row.values["uscc"] = code
        if code in self.seen:
            row.error("uscc", _("The same code is already on row %(row)d.") % {"row": self.seen[code]})
        elif self.check_register and code in self.registered:
            row.error("uscc", _("An enterprise with this code is already registered."))
        self.seen.setdefault(code, row.number)

    def _decimal(self, row, name, text, *, places=2, below=Decimal("1e14")):
        if not text:
            return None
        try:
            value = Decimal(text.replace(",", "").replace("，", ""))
        except InvalidOperation:
            row.error(name, _("“%(value)s” is not a number.") % {"value": text})
            return None
        if value < 0 or value >= below:
            row.error(name, _("“%(value)s” is out of range.") % {"value": text})
            return None
        return value.quantize(Decimal(1).scaleb(-places))

    def _int(self, row, name, text, *, minimum):
        if not text:
            return None
        try:
            value = int(text)
        except ValueError:
            row.error(name, _("“%(value)s” is not a whole number.") % {"value": text})
            return None
        if value < minimum or value > 1_000_000:
            row.error(name, _("“%(value)s” is out of range.") % {"value": text})
            return None
        return value

    def _bool(self, row, name, text):
        lowered = text.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        row.error(name, _("Write 是 or 否 (yes or no), not “%(value)s”.") % {"value": text})
        return False

    def _date(self, row, name, raw):
        value = self._any_date(row, name, raw)
        try:
            validate_date_in_range(value)
        except ValidationError as exc:
            row.error(name, exc.messages[0])
            return None
        return value

    def _any_date(self, row, name, raw):
        if raw in (None, ""):
            return None
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        text = _cell_text(raw)
        for fmt in _DATE_FORMATS:
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        row.error(name, _("“%(value)s” is not a date (write 2020-05-31).") % {"value": text})
        return None


def preview_row(values: dict) -> dict:
    """A JSON-friendly summary of a valid row for the preview table."""
    return {
        "name": values["name"],
        "uscc": values["uscc"],
        "park": values["park"].name,
        "legal_representative": values["legal_representative"],
        "registered_capital": str(values["registered_capital"] or ""),
    }
