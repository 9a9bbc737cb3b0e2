"""Where uploaded files live: one storage for every upload (Django's `STORAGES["default"]`).

The file system (`MEDIA_ROOT`) by default, `PortalFileSystemStorage`; an S3-compatible object store by
configuration (`STORAGE_BACKEND=s3`, django-storages, the optional extra `s3`), so that several web
and worker hosts share the files with no shared disk (README, "Faults and scale-out").

A disk that is full or not writable is a clear refusal (`StorageUnavailable`, 503 "nothing was
saved"), never a 500: the upload's transaction rolls back, and the partly written file is removed.
"""

import errno
import logging

from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext_lazy as _

from zone_portal.errors import DomainError

log = logging.getLogger(__name__)

# The storage cannot take the file: full, read-only, over quota, not ours to write.
_UNAVAILABLE = {errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EFBIG}


class StorageUnavailable(DomainError):
    status = 503
    code = "storage_unavailable"
    default_message = _(
        "The file could not be stored: the server's storage is full or not writable. Nothing was saved; "
        "please try again later."
    )


class PortalFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        try:
            return super()._save(name, content)
        except OSError as exc:
            if exc.errno not in _UNAVAILABLE:
                raise
            log.error("upload storage unavailable (%s) writing %s", errno.errorcode.get(exc.errno), name)
            self._remove_partial(name)
            raise StorageUnavailable() from exc

    def _remove_partial(self, name) -> None:
        # The names are generated (uuid4, `uploads.stored_name`): a file under this name is our own part.
        try:
            self.delete(name)
        except OSError:
            log.exception("could not remove the partly written %s", name)
