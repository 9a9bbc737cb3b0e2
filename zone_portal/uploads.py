"""The one upload rule: every uploaded file is recognised by what it contains, stored under a
generated name, counted against a cap per case, and downloaded only as an attachment.

- `upload_kind` accepts a file when its first bytes are those of a PDF, JPEG, PNG or WebP, or when
  it is a ZIP package laid out as a Word (DOCX) or Excel (XLSX) document, and when it is not larger
  than `settings.UPLOAD_MAX_BYTES`. The name the uploader gave is only kept for display: it never
  decides the type, the name on disk or the name of the download.
- `stored_name` is the generated name on disk (the detected kind's extension, never the uploader's).
- `upload_count_check` refuses files beyond `settings.UPLOAD_MAX_FILES_PER_CASE` on one case (409).
- `file_download` is the one download: `Content-Disposition: attachment`, the content type
  detected at upload (stored on the row), a generated file name; 404 when the file is gone.
- `content_type_field` is that stored type on every app's file rows; `kind_choices` the choices of
  a row's kind, from the kinds its upload accepts.
"""

import zipfile
from collections.abc import Iterable, Sequence
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from zone_portal.errors import Conflict, InvalidInput


class FileKind(models.TextChoices):
    """The kinds of file the portal accepts; the value is the extension given on disk."""

    PDF = "pdf", "PDF"
    JPEG = "jpg", "JPEG"
    PNG = "png", "PNG"
    WEBP = "webp", "WebP"
    DOCX = "docx", "Word (DOCX)"
    XLSX = "xlsx", "Excel (XLSX)"


CONTENT_TYPES = {
    FileKind.PDF: "application/pdf",
    FileKind.JPEG: "image/jpeg",
    FileKind.PNG: "image/png",
    FileKind.WEBP: "image/webp",
    FileKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
UNKNOWN_CONTENT_TYPE = "application/octet-stream"  # rows stored before types were detected
_EXTENSIONS = {content_type: kind.value for kind, content_type in CONTENT_TYPES.items()}

DOCUMENTS = (FileKind.PDF, FileKind.JPEG, FileKind.PNG, FileKind.DOCX, FileKind.XLSX)
PHOTOS = (FileKind.JPEG, FileKind.PNG, FileKind.WEBP)

_MAGIC = (
    (b"%PDF-", FileKind.PDF),
    (b"\xff\xd8\xff", FileKind.JPEG),
    (b"\x89PNG\r\n\x1a\n", FileKind.PNG),
)
_ZIP = b"PK\x03\x04"
MAX_NAME = 200


def _office_kind(upload) -> FileKind | None:
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
        return FileKind.DOCX
    if "xl/workbook.xml" in names:
        return FileKind.XLSX
    return None


def _sniff(upload) -> FileKind | None:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return FileKind.WEBP
    if head.startswith(_ZIP):
        return _office_kind(upload)
    return None


def upload_kind(upload, *, accept: Sequence[FileKind] = DOCUMENTS, field: str = "file") -> FileKind:
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
    kind = _sniff(upload)
    if kind in accept:
        return kind
    message = _(
        "The file “%(name)s” is not one of %(kinds)s; its content does not match. "
        "Please upload one of these types."
    ) % {"name": name, "kinds": ", ".join(FileKind(k).label for k in accept)}
    raise InvalidInput(message, fields={field: [message]})


def uploads_check(
    uploads: Iterable, *, accept: Sequence[FileKind] = DOCUMENTS, field: str = "file"
) -> list[FileKind]:
    """The kind of each upload, or InvalidInput for the first one refused (before anything is saved)."""
    return [upload_kind(upload, accept=accept, field=field) for upload in uploads]


def upload_count_check(*, existing: int, adding: int, field: str = "file") -> None:
    """Conflict (409) when a case would hold more than `UPLOAD_MAX_FILES_PER_CASE` files."""
    limit = settings.UPLOAD_MAX_FILES_PER_CASE
    if existing + adding > limit:
        message = _("A case holds at most %(limit)d files; this one has %(existing)d already.") % {
            "limit": limit,
            "existing": existing,
        }
        raise Conflict(message, code="too_many_files", fields={field: [message]})


def content_type_field(verbose_name=None) -> models.CharField:
    """A file row's content type, as `upload_kind` detected it (`content_type_of`): `stored_name`
    names the file on disk by it and `file_download` serves it. Rows stored before types were
    detected hold `UNKNOWN_CONTENT_TYPE`."""
    return models.CharField(verbose_name, max_length=100, default=UNKNOWN_CONTENT_TYPE)


def kind_choices(kinds: Sequence[FileKind]) -> list[tuple[str, str]]:
    """The choices of a file row's kind: the kinds its upload accepts (`accept=`), in that order."""
    return [(kind.value, kind.label) for kind in kinds]


def content_type_of(kind: str) -> str:
    return CONTENT_TYPES.get(kind, UNKNOWN_CONTENT_TYPE)


def stored_name(folder: str, content_type: str) -> str:
    """A generated name on disk under `folder`: the extension comes from the detected type."""
    extension = _EXTENSIONS.get(content_type, "bin")
    return f"{folder}/{timezone.now():%Y/%m}/{uuid4().hex}.{extension}"


def file_download(field_file, *, content_type: str, label: str, pk: int) -> FileResponse:
    """The one download response: always an attachment, the type detected at upload, a generated
    name (`<label>-<pk>.<ext>`); 404 when the row outlived its file (restored database, cleaned disk)."""
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = content_type or UNKNOWN_CONTENT_TYPE
    filename = f"{label}-{pk}.{_EXTENSIONS.get(content_type, 'bin')}"
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
