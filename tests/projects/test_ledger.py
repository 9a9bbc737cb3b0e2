"""The ledger (台账): dated entries in yuan, cumulative figures computed by the database, photos,
and the .xlsx exports (one project's ledger, all projects' summary) read back with openpyxl."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from projects.models import LedgerEntry

from .factories import LedgerEntryFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def _entry(api, user, project, **values):
    return api(user).post(f"/api/v1/projects/{project.pk}/ledger/", values, format="json")


def test_cumulative_investment_is_summed_not_typed(api, demo, leader1):
    project = ProjectFactory(leader=leader1)
    for day, amount, progress in [
        ("2026-10-31", "3000000.50", 20),
        ("2026-08-31", "12500000.00", 5),  # entered late, belongs before the others
        ("2026-09-30", "7000000.25", 12),
    ]:
        response = _entry(
            api, leader1, project, entry_date=day, investment_completed=amount, progress_percent=progress
        )
        assert response.status_code == 201, response.json()
    rows = api(leader1).get(f"/api/v1/projects/{project.pk}/ledger/").json()["results"]
    assert [(r["entry_date"], r["cumulative"]) for r in rows] == [
        ("2026-08-31", "12500000.00"),
        ("2026-09-30", "19500000.25"),
        ("2026-10-31", "22500000.75"),
    ]
    body = api(leader1).get(f"/api/v1/projects/{project.pk}/").json()
    assert body["invested"] == "22500000.75" and body["progress"] == 20


def test_cumulative_stays_within_its_project(api, demo, admin_user):
    a, b = ProjectFactory(), ProjectFactory()
    LedgerEntryFactory(project=a, entry_date=date(2026, 9, 1), investment_completed=Decimal("100"))
    LedgerEntryFactory(project=b, entry_date=date(2026, 9, 2), investment_completed=Decimal("5"))
    LedgerEntryFactory(project=a, entry_date=date(2026, 9, 3), investment_completed=Decimal("20"))
    rows = api(admin_user).get(f"/api/v1/projects/{a.pk}/ledger/").json()["results"]
    assert [r["cumulative"] for r in rows] == ["100.00", "120.00"]


def test_bad_entries_are_refused(api, demo, leader1):
    project = ProjectFactory(leader=leader1)
    response = _entry(
        api, leader1, project, entry_date="2026-10-31", investment_completed="-1", progress_percent=101
    )
    assert response.status_code == 400
    assert {"investment_completed", "progress_percent"} <= set(response.json()["error"]["fields"])
    future = _entry(
        api, leader1, project, entry_date="2099-01-01", investment_completed="1", progress_percent=1
    )
    assert future.status_code == 400 and "entry_date" in future.json()["error"]["fields"]
    assert not LedgerEntry.objects.exists()


def test_photos_are_attached_and_other_files_refused(api, demo, leader1):
    project = ProjectFactory(leader=leader1)
    photo = SimpleUploadedFile("site.jpg", b"\xff\xd8\xff\xe0fake-jpeg", content_type="image/jpeg")
    response = api(leader1).post(
        f"/api/v1/projects/{project.pk}/ledger/",
        {"entry_date": "2026-10-31", "investment_completed": "10", "progress_percent": 3, "upload": [photo]},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert len(response.json()["photos"]) == 1
    script = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    response = api(leader1).post(
        f"/api/v1/projects/{project.pk}/ledger/",
        {"entry_date": "2026-10-31", "investment_completed": "10", "progress_percent": 3, "upload": [script]},
        format="multipart",
    )
    assert response.status_code == 400 and "photos" in response.json()["error"]["fields"]


def _workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(
        BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )


def test_ledger_export_reads_back_with_cumulative_and_total_in_wan(api, client, demo, leader1):
    project = ProjectFactory(leader=leader1, name="光伏组件材料项目", total_investment=Decimal("1200000000"))
    for day, amount in [(date(2026, 8, 31), "12500000"), (date(2026, 9, 30), "7000000.50")]:
        LedgerEntryFactory(project=project, entry_date=day, investment_completed=Decimal(amount))
    ws = _workbook(api(leader1).get(f"/api/v1/projects/{project.pk}/ledger.xlsx")).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:2] == ("重点项目台账", "光伏组件材料项目")
    assert Decimal(str(rows[3][1])) == Decimal("120000")  # total investment in 万元
    header = rows[5]
    assert header[:3] == ("日期", "本期完成投资（万元）", "累计完成投资（万元）")
    data = rows[6:8]
    assert [Decimal(str(r[1])) for r in data] == [Decimal("1250"), Decimal("700.00005")]
    assert [Decimal(str(r[2])) for r in data] == [Decimal("1250"), Decimal("1950.00005")]
    total = rows[8]
    assert total[0] == "合计" and Decimal(str(total[1])) == Decimal("1950.00005")
    # the same file from the page
    client.force_login(leader1)
    assert _workbook(client.get(f"/projects/{project.pk}/ledger.xlsx")).active["B7"].value == 1250


def test_summary_export_lists_every_visible_project_with_totals(api, demo, admin_user):
    a = ProjectFactory(name="甲项目", total_investment=Decimal("300000000"))
    b = ProjectFactory(name="乙项目", total_investment=Decimal("50000000"))
    LedgerEntryFactory(project=a, investment_completed=Decimal("1000000"))
    LedgerEntryFactory(project=a, investment_completed=Decimal("2500000"))
    LedgerEntryFactory(project=b, investment_completed=Decimal("40000"))
    ws = _workbook(api(admin_user).get("/api/v1/projects/summary.xlsx")).active
    rows = [r for r in ws.iter_rows(min_row=4, values_only=True) if r[0]]
    by_name = {r[0]: r for r in rows}
    assert Decimal(str(by_name["甲项目"][6])) == Decimal("30000")
    assert Decimal(str(by_name["甲项目"][7])) == Decimal("350")
    assert Decimal(str(by_name["乙项目"][7])) == Decimal("4")
    total = rows[-1]
    assert "2" in total[0]  # "合计（2个项目）"
    assert Decimal(str(total[6])) == Decimal("35000") and Decimal(str(total[7])) == Decimal("354")


def test_summary_export_is_scoped_to_the_enterprise(api, demo, ent_a, enterprise_a):
    ProjectFactory(name="自己的项目", enterprise=enterprise_a)
    ProjectFactory(name="别人的项目")
    ws = _workbook(api(ent_a).get("/api/v1/projects/summary.xlsx")).active
    names = [r[0] for r in ws.iter_rows(min_row=4, values_only=True) if r[0]]
    assert names[0] == "自己的项目" and "别人的项目" not in names


def test_photos_are_served_only_through_the_project_scoping(
    api, client, demo, ent_a, ent_b, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    project = ProjectFactory(enterprise=demo.enterprises["A"])
    photo = SimpleUploadedFile("site.jpg", b"\xff\xd8\xff\xe0fake-jpeg", content_type="image/jpeg")
    response = api(project.leader).post(
        f"/api/v1/projects/{project.pk}/ledger/",
        {"entry_date": "2026-10-31", "investment_completed": "10", "progress_percent": 3, "upload": [photo]},
        format="multipart",
    )
    (api_url,) = response.json()["photos"]
    photo_id = project.ledger_entries.get().photos.get().pk
    assert api_url == f"/api/v1/projects/{project.pk}/photos/{photo_id}/"
    download = api(ent_a).get(api_url)
    assert download.status_code == 200 and b"".join(download.streaming_content).endswith(b"fake-jpeg")
    assert api(ent_b).get(api_url).status_code == 404
    client.force_login(ent_a)
    html = client.get(f"/projects/{project.pk}/").content.decode()
    page_url = f"/projects/{project.pk}/photos/{photo_id}/"
    assert f'href="{page_url}"' in html
    assert client.get(page_url).status_code == 200
    client.force_login(ent_b)
    assert client.get(page_url).status_code == 404
    other = ProjectFactory(enterprise=demo.enterprises["B"])
    assert api(ent_b).get(api_url.replace(f"/{project.pk}/", f"/{other.pk}/")).status_code == 404
    project.ledger_entries.get().photos.get().file.delete(save=False)
    assert api(ent_a).get(api_url).status_code == 404  # the row outlived its file


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 100
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


@pytest.mark.parametrize(("name", "content"), [("site.jpg", EXE), ("site.png", HTML), ("site.webp", HTML)])
def test_a_program_or_a_page_named_like_a_photo_is_refused(api, demo, leader1, name, content):
    project = ProjectFactory(leader=leader1)
    response = api(leader1).post(
        f"/api/v1/projects/{project.pk}/ledger/",
        {
            "entry_date": "2026-10-31",
            "investment_completed": "10",
            "progress_percent": 3,
            "upload": [SimpleUploadedFile(name, content, content_type="image/jpeg")],
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert name in response.json()["error"]["fields"]["photos"][0]
    assert not LedgerEntry.objects.exists()


def test_a_photo_is_downloaded_as_an_attachment_of_its_detected_type_under_a_generated_name(
    api, client, demo, leader1, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    project = ProjectFactory(leader=leader1)
    response = api(leader1).post(
        f"/api/v1/projects/{project.pk}/ledger/",
        {
            "entry_date": "2026-10-31",
            "investment_completed": "10",
            "progress_percent": 3,
            "upload": [SimpleUploadedFile("现场<b>.jpg", PNG, content_type="image/jpeg")],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    photo = project.ledger_entries.get().photos.get()
    assert photo.file.name.endswith(".png") and "现场" not in photo.file.name
    client.force_login(leader1)
    for url in (response.json()["photos"][0], f"/projects/{project.pk}/photos/{photo.pk}/"):
        download = client.get(url)
        assert download.status_code == 200
        assert download["Content-Type"] == "image/png"
        disposition = download["Content-Disposition"]
        assert disposition.startswith("attachment;") and "现场" not in disposition and "<" not in disposition
        assert disposition.endswith('.png"')


def test_the_created_entry_answers_its_cumulative_figure(api, demo, leader1):
    project = ProjectFactory(leader=leader1)
    _entry(api, leader1, project, entry_date="2026-08-31", investment_completed="100", progress_percent=5)
    _entry(api, leader1, project, entry_date="2026-10-31", investment_completed="20", progress_percent=9)
    late = _entry(
        api, leader1, project, entry_date="2026-09-30", investment_completed="3", progress_percent=7
    )
    assert late.status_code == 201
    assert late.json()["cumulative"] == "103.00"  # the entries up to its date, as the list says
    rows = api(leader1).get(f"/api/v1/projects/{project.pk}/ledger/").json()["results"]
    assert [r["cumulative"] for r in rows] == ["100.00", "103.00", "123.00"]
