"""A full or unwritable media folder when uploading (README, "Faults and scale-out"): a clear 503
"nothing was saved", no half-written file, no row. The folder is a real file system of its own: a
64 KB tmpfs mounted for the test (root can mount here), filled by the upload itself; then the same
mounted read-only (EROFS, which even root cannot write through). A chmod would not stop root."""

import os
import subprocess

import pytest

from services.models import Material

from ..services.conftest import PDF_BYTES

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def tiny_disk(tmp_path, settings):
    folder = tmp_path / "tiny-media"
    folder.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True
    )
    if done.returncode:
        if os.environ.get("ZP_STRICT") == "1":
            pytest.fail(f"cannot mount a tmpfs here: {done.stderr.decode()}")
        pytest.skip("mount not permitted (needs root)")
    settings.MEDIA_ROOT = folder
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.fixture
def file_request(demo, ent_a, enterprise_a):
    from services.actions import request_submit
    from services.demo import seed_catalog

    catalog = seed_catalog(demo)
    return lambda: request_submit(actor=ent_a, service=catalog["seal-engraving"], enterprise=enterprise_a)


def _files(folder) -> list[str]:
    return [os.path.join(d, f) for d, _, names in os.walk(folder) for f in names]


def _upload(api, ent_a, request, size):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("大文件.pdf", PDF_BYTES + b"%" * size, content_type="application/pdf")
    small = SimpleUploadedFile("小文件.pdf", PDF_BYTES, content_type="application/pdf")
    return api(ent_a).post(
        f"/api/v1/service-requests/{request.pk}/materials/",
        {"files": [small, pdf]},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_a_full_disk_refuses_the_upload_clearly_and_keeps_nothing(tiny_disk, api, ent_a, file_request):
    request = file_request()
    response = _upload(api, ent_a, request, size=200 * 1024)  # more than the disk holds
    assert response.status_code == 503, response.content
    error = response.json()["error"]
    assert error["code"] == "storage_unavailable" and "Nothing was saved" in error["message"]
    assert not Material.objects.filter(request=request).exists()
    # The partly written big file is removed; the small one before it stays as an orphan on disk
    # (the rows roll back, the file system has no transaction) — nothing refers to it.
    assert len(_files(tiny_disk)) <= 1
    assert all(os.path.getsize(f) == len(PDF_BYTES) for f in _files(tiny_disk))

    # Room again (here: a smaller file), and the same upload path works.
    assert _upload(api, ent_a, request, size=1024).status_code == 201


def test_a_read_only_media_folder_refuses_the_upload_clearly(tiny_disk, api, ent_a, file_request):
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    request = file_request()
    response = _upload(api, ent_a, request, size=10)
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "storage_unavailable"
    assert not Material.objects.filter(request=request).exists() and _files(tiny_disk) == []
