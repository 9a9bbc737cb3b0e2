"""Materials: checked by content and size, stored under generated names outside static files,
downloaded only through a view that checks the viewer's rights."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from services.models import Material

from .conftest import PDF_BYTES, pdf

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 100


def office(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
    return buffer.getvalue()


def upload(api, user, request, *files):
    return api(user).post(
        f"/api/v1/service-requests/{request.pk}/materials/", {"files": list(files)}, format="multipart"
    )


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("申请书.pdf", PDF_BYTES, "pdf"),
        ("照片.jpg", JPEG, "jpg"),
        ("截图.png", PNG, "png"),
        ("章程.docx", office("docx"), "docx"),
        ("名册.xlsx", office("xlsx"), "xlsx"),
    ],
)
def test_accepted_types_are_stored_under_generated_names(
    api, ent_a, file_request, settings, name, content, kind
):
    request = file_request()
    response = upload(api, ent_a, request, SimpleUploadedFile(name, content))
    assert response.status_code == 201, response.json()
    (body,) = response.json()
    assert body["original_name"] == name and body["kind"] == kind and body["size"] == len(content)
    material = Material.objects.get(pk=body["id"])
    stored = Path(material.file.path)
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT))
    assert name not in stored.name and stored.suffix == f".{kind}"
    assert stored.read_bytes() == content


def test_an_exe_renamed_pdf_is_refused_with_a_clear_400(api, ent_a, file_request):
    request = file_request()
    response = upload(
        api, ent_a, request, SimpleUploadedFile("营业执照.pdf", EXE, content_type="application/pdf")
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert "营业执照.pdf" in error["message"]
    assert "PDF" in error["message"]
    assert error["fields"]["file"]
    assert not Material.objects.exists()


def test_a_zip_that_is_not_an_office_document_is_refused(api, ent_a, file_request):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("payload.exe", "MZ")
    response = upload(api, ent_a, file_request(), SimpleUploadedFile("表格.xlsx", buffer.getvalue()))
    assert response.status_code == 400


def test_a_file_over_the_size_limit_is_refused(api, ent_a, file_request, settings):
    settings.UPLOAD_MAX_BYTES = 100
    response = upload(api, ent_a, file_request(), pdf(content=PDF_BYTES + b"x" * 200))
    assert response.status_code == 400
    assert "100" in response.json()["error"]["message"]


def test_one_bad_file_refuses_the_whole_upload(api, ent_a, file_request):
    response = upload(api, ent_a, file_request(), pdf(), SimpleUploadedFile("x.pdf", EXE))
    assert response.status_code == 400
    assert not Material.objects.exists()


def test_a_new_request_with_an_exe_is_refused_and_nothing_is_filed(api, ent_a, catalog):
    from services.models import ServiceRequest

    response = api(ent_a).post(
        "/api/v1/service-requests/",
        {"service": "seal-engraving", "files": [SimpleUploadedFile("a.pdf", EXE)]},
        format="multipart",
    )
    assert response.status_code == 400
    assert not ServiceRequest.objects.exists()


def test_download_checks_the_viewers_rights(api, client, ent_a, ent_b, clerk1, file_request):
    request = file_request()
    (body,) = upload(api, ent_a, request, pdf("申请书.pdf")).json()
    url = body["download_url"]
    response = api(ent_a).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert "attachment" in response["Content-Disposition"]
    assert api(clerk1).get(url).status_code == 200
    assert api(ent_b).get(url).status_code == 404
    # The page download behaves the same.
    client.force_login(ent_b)
    assert client.get(f"/services/materials/{body['id']}/").status_code == 404
    client.force_login(ent_a)
    assert client.get(f"/services/materials/{body['id']}/").status_code == 200
    assert api(None).get(url).status_code == 401


def test_materials_cannot_be_added_to_a_closed_request(api, ent_a, clerk1, file_request):
    request = file_request(state="completed", by=clerk1)
    assert upload(api, ent_a, request, pdf()).status_code == 409


def test_the_supplement_carries_its_files(api, ent_a, clerk1, file_request):
    request = file_request(state="supplement_required", by=clerk1)
    response = api(ent_a).post(
        f"/api/v1/service-requests/{request.pk}/supplement/",
        {"note": "补齐", "files": [pdf("身份证.pdf")]},
        format="multipart",
    )
    assert response.status_code == 200
    assert [m["original_name"] for m in response.json()["materials"]] == ["身份证.pdf"]


def test_a_download_has_the_type_detected_at_upload_and_a_generated_name(api, client, ent_a, file_request):
    request = file_request()
    (body,) = upload(
        api, ent_a, request, SimpleUploadedFile("poly.html", PDF_BYTES, content_type="text/html")
    ).json()
    assert body["original_name"] == "poly.html"  # kept for display only
    client.force_login(ent_a)
    for url in (body["download_url"], f"/services/materials/{body['id']}/"):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        disposition = response["Content-Disposition"]
        assert (
            disposition.startswith("attachment;") and "poly" not in disposition and "html" not in disposition
        )


def test_a_request_holds_at_most_the_configured_number_of_files(api, ent_a, file_request, settings):
    settings.UPLOAD_MAX_FILES_PER_CASE = 3
    request = file_request()
    assert upload(api, ent_a, request, pdf("1.pdf"), pdf("2.pdf")).status_code == 201
    response = upload(api, ent_a, request, pdf("3.pdf"), pdf("4.pdf"))
    assert response.status_code == 409
    assert "3" in response.json()["error"]["message"]
    assert request.materials.count() == 2
    assert upload(api, ent_a, request, pdf("3.pdf")).status_code == 201
