"""Checking uploaded materials by what they contain, not by what they are called.

A file is accepted when its first bytes are those of a PDF, JPEG or PNG, or when it is a ZIP
package laid out as a Word (DOCX) or Excel (XLSX) document; and when it is not larger than
`settings.UPLOAD_MAX_BYTES`. The name the applicant gave is only kept for display.
"""

import zipfile

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from zone_portal.errors import InvalidInput

from .models import Material

_MAGIC = (
    (b"%PDF-", Material.Kind.PDF),
    (b"\xff\xd8\xff", Material.Kind.JPEG),
    (b"\x89PNG\r\n\x1a\n", Material.Kind.PNG),
)
_ZIP = b"PK\x03\x04"
MAX_NAME = 200


def _office_kind(upload) -> str | None:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return Material.Kind.DOCX
    if "xl/workbook.xml" in names:
        return Material.Kind.XLSX
    return None


def material_kind(upload, *, field: str = "file") -> str:
    """The kind of an uploaded file, or InvalidInput (400) saying clearly why it is refused."""
    name = (getattr(upload, "name", "") or "")[:MAX_NAME]
    size = getattr(upload, "size", None) or 0
    limit = settings.UPLOAD_MAX_BYTES
    if size == 0:
        raise InvalidInput(
            _("The file “%(name)s” is empty.") % {"name": name}, fields={field: [_("Empty file.")]}
        )
    if size > limit:
        message = _("The file “%(name)s” is larger than %(limit)s.") % {
            "name": name,
            "limit": filesizeformat(limit),
        }
        raise InvalidInput(message, fields={field: [message]})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head.startswith(_ZIP):
        kind = _office_kind(upload)
        if kind:
            return kind
    message = _(
        "The file “%(name)s” is not a PDF, JPEG, PNG, Word (DOCX) or Excel (XLSX) document; "
        "its content does not match. Please upload one of these types."
    ) % {"name": name}
    raise InvalidInput(message, fields={field: [message]})
