import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from enterprises.actions import enterprise_create, enterprise_import_confirm, enterprise_import_start
from enterprises.models import Enterprise, EnterpriseImport
from tests.factories import make_uscc
from zone_portal.errors import PermissionDeniedError, TransitionForbidden
from zone_portal.events.models import Event

pytestmark = pytest.mark.django_db

HEADER = "企业名称,统一社会信用代码,园区,法定代表人,注册资本（元）,成立日期,后备高企\n"


def _csv(rows, header=HEADER, encoding="utf-8"):
    return SimpleUploadedFile("register.csv", (header + "\n".join(rows) + "\n").encode(encoding), "text/csv")


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Actions enqueue their tasks on commit; run them (eagerly) as the commit would."""

    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = function(**kwargs)
        result.refresh_from_db()
        return result

    return run


def test_preview_lists_every_bad_row_with_its_reason_then_imports_the_valid_ones(register, clerk1, run_tasks):
    rows = [
        f"瑞丰新材料有限公司,{make_uscc(1)},尼龙新材料产业园,王建国,5000000,2015-06-01,是",
        f'宏达机械有限公司,{make_uscc(2).lower()},park2,李四,"1,200,000.50",2019/3/8,否',
        f"坏代码有限公司,{make_uscc(3)[:-1]}X,park2,,,,",
        f"无园区有限公司,{make_uscc(4)},火星园区,,,,",
        f",{make_uscc(5)},park1,,,,",
        f"重复有限公司,{make_uscc(1)},park1,,,,",
        "已登记有限公司,91410400MA44L8KX5B,park1,,,,",
        f"坏日期有限公司,{make_uscc(6)},park1,,abc,31/02/2020,也许",
    ]
    job = run_tasks(enterprise_import_start, actor=clerk1, upload=_csv(rows))
    assert job.status == "validated"
    assert (job.total_rows, job.valid_rows) == (8, 2)
    by_row = {}
    for error in job.errors:
        by_row.setdefault(error["row"], []).append((error["field"], error["message"]))
    assert sorted(by_row) == [4, 5, 6, 7, 8, 9]
    assert by_row[4][0][0] == "uscc" and "校验码" in by_row[4][0][1]
    assert by_row[5] == [("park", "未知园区“火星园区”。")]
    assert by_row[6][0][0] == "name"
    assert by_row[7] == [("uscc", "第 2 行已有相同的代码。")]
    assert by_row[8] == [("uscc", "该代码的企业已登记。")]
    assert {field for field, _ in by_row[9]} == {"registered_capital", "founded_on", "is_high_tech_reserve"}
    assert Enterprise.objects.count() == 2  # nothing written by the preview

    job = run_tasks(enterprise_import_confirm, actor=clerk1, job=job)
    assert job.status == "done" and job.imported_rows == 2
    ruifeng = Enterprise.objects.get(uscc=make_uscc(1))
    assert (ruifeng.name_initials, ruifeng.is_high_tech_reserve, str(ruifeng.founded_on)) == (
        "rfxclyxgs",
        True,
        "2015-06-01",
    )
    hongda = Enterprise.objects.get(uscc=make_uscc(2))
    assert str(hongda.registered_capital) == "1200000.50" and hongda.park == register.parks["park2"]
    assert Event.objects.filter(kind="enterprise_imported", object_id=hongda.pk).exists()
    with pytest.raises(TransitionForbidden):
        enterprise_import_confirm(actor=clerk1, job=job)


def test_xlsx_and_gbk_csv_are_read(register, clerk1, run_tasks):
    book = Workbook()
    sheet = book.active
    sheet.append(["Enterprise name", "Unified social credit code", "Park", "Founding date", "Patents"])
    sheet.append(
        ["博远软件有限公司", make_uscc(11), "park5", __import__("datetime").datetime(2018, 5, 4), 12]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("register.xlsx", buffer.getvalue())
    job = run_tasks(enterprise_import_start, actor=clerk1, upload=upload)
    assert (job.status, job.valid_rows, job.errors) == ("validated", 1, [])
    job = run_tasks(enterprise_import_confirm, actor=clerk1, job=job)
    enterprise = Enterprise.objects.get(uscc=make_uscc(11))
    assert (enterprise.patents, str(enterprise.founded_on)) == (12, "2018-05-04")

    job = run_tasks(
        enterprise_import_start,
        actor=clerk1,
        upload=_csv([f"天成光伏有限公司,{make_uscc(12)},park3,,,,"], encoding="gbk"),
    )
    assert job.valid_rows == 1 and job.preview[0]["name"] == "天成光伏有限公司"


def test_a_file_without_the_required_columns_fails_with_a_reason(register, clerk1, run_tasks):
    job = run_tasks(enterprise_import_start, actor=clerk1, upload=_csv(["a,b"], header="甲,乙\n"))
    assert job.status == "failed" and "统一社会信用代码" in job.failure


def test_a_failing_import_writes_nothing(register, clerk1, run_tasks):
    """1,100 rows in batches of 500: the conflict sits in the third batch, after two were inserted."""
    rows = [f"批量企业{n}有限公司,{make_uscc(20_000 + n)},park{1 + n % 6},,,," for n in range(1100)]
    job = run_tasks(enterprise_import_start, actor=clerk1, upload=_csv(rows))
    assert job.valid_rows == 1100
    # someone registers row 1,050's enterprise between the preview and the confirmation
    enterprise_create(
        actor=clerk1, data={"name": "抢先登记", "uscc": make_uscc(21_049), "park": register.parks["park1"]}
    )
    before = Enterprise.objects.count()

    job = run_tasks(enterprise_import_confirm, actor=clerk1, job=job)

    assert job.status == "failed" and "没有导入任何" in job.failure
    assert Enterprise.objects.count() == before
    assert not Event.objects.filter(kind="enterprise_imported").exists()
    assert job.imported_rows == 0


def test_only_clerks_and_administrators_import(register, cso1):
    with pytest.raises(PermissionDeniedError):
        enterprise_import_start(actor=cso1, upload=_csv([]))


def test_import_pages_upload_preview_confirm_and_poll_progress(
    client, register, clerk1, cso1, django_capture_on_commit_callbacks
):
    client.force_login(clerk1)
    upload = _csv([f"鹏程通信有限公司,{make_uscc(31)},park5,,,,", f"坏,{make_uscc(32)},nowhere,,,,"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("enterprises:import"), {"file": upload})
    job = EnterpriseImport.objects.get()
    assert response.url == reverse("enterprises:import-detail", args=[job.pk])
    html = client.get(response.url).content.decode()
    assert "未知园区“nowhere”" in html and "导入 1 行有效数据" in html

    EnterpriseImport.objects.filter(pk=job.pk).update(status="running", valid_rows=10, processed_rows=4)
    partial = client.get(reverse("enterprises:import-progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert 'value="40"' in body and "hx-trigger" in body and "HX-Refresh" not in partial
    EnterpriseImport.objects.filter(pk=job.pk).update(status="validated", valid_rows=1)
    partial = client.get(reverse("enterprises:import-progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert partial["HX-Refresh"] == "true" and "hx-trigger" not in partial.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("enterprises:import-confirm", args=[job.pk]))
    assert Enterprise.objects.filter(uscc=make_uscc(31)).exists()
    client.force_login(cso1)
    assert client.get(reverse("enterprises:import-detail", args=[job.pk])).status_code == 404


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_while_the_import_transaction_is_open(register, clerk1):
    """A competing, uncommitted registration of row 800's code holds the import after its first batch:
    the page can read the committed progress meanwhile; once the competitor rolls back, all rows land."""
    import threading
    import time

    from django.db import connection, transaction

    rows = [f"进度企业{n}有限公司,{make_uscc(40_000 + n)},park{1 + n % 6},,,," for n in range(1000)]
    job = enterprise_import_start(actor=clerk1, upload=_csv(rows))  # validated inline (eager, autocommit)
    job.refresh_from_db()
    assert job.valid_rows == 1000
    done = threading.Event()

    def confirm():
        try:
            enterprise_import_confirm(actor=clerk1, job=job)  # the run task follows on commit
        finally:
            connection.close()
            done.set()

    seen = []
    with transaction.atomic():
        enterprise_create(
            actor=clerk1, data={"name": "竞争者", "uscc": make_uscc(40_799), "park": register.parks["park1"]}
        )
        worker = threading.Thread(target=confirm)
        worker.start()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            seen.append(EnterpriseImport.objects.values_list("status", "processed_rows").get(pk=job.pk))
            if seen[-1] == ("running", 500):
                break
            time.sleep(0.05)
        assert seen[-1] == ("running", 500)
        assert not done.is_set()
        transaction.set_rollback(True)  # the competitor gives up
    worker.join(timeout=30)
    job.refresh_from_db()
    assert (job.status, job.imported_rows) == ("done", 1000)
    assert Enterprise.objects.filter(name__startswith="进度企业").count() == 1000


def test_a_date_beyond_the_portals_range_is_a_row_error(register, clerk1, run_tasks):
    rows = [
        f"远古有限公司,{make_uscc(11)},park1,,,0001-01-01,",
        f"未来有限公司,{make_uscc(12)},park1,,,9999-12-31,",
        f"老牌有限公司,{make_uscc(13)},park1,,,1993-04-01,",
    ]
    job = run_tasks(enterprise_import_start, actor=clerk1, upload=_csv(rows))
    assert job.valid_rows == 1
    assert [(e["row"], e["field"]) for e in job.errors] == [(2, "founded_on"), (3, "founded_on")]
    assert "1900-01-01" in job.errors[0]["message"]


def test_a_yes_no_header_is_recognised_and_an_unknown_column_is_reported(register, clerk1, run_tasks):
    header = "企业名称,统一社会信用代码,园区,是否规上企业,备注栏\n"
    upload = _csv([f"瑞丰新材料有限公司,{make_uscc(1)},park1,是,老客户"], header=header)
    job = run_tasks(enterprise_import_start, actor=clerk1, upload=upload)
    assert (job.status, job.valid_rows, job.skipped_rows) == ("validated", 1, [])
    (warning,) = job.errors
    assert warning["warning"] and warning["row"] == 1 and warning["field"] == "备注栏"
    assert "备注栏" in warning["message"]
    job = run_tasks(enterprise_import_confirm, actor=clerk1, job=job)
    assert Enterprise.objects.get(uscc=make_uscc(1)).is_above_scale is True


def test_an_import_file_is_checked_by_content_and_stored_under_a_generated_name(register, clerk1, run_tasks):
    from zone_portal.errors import InvalidInput

    with pytest.raises(InvalidInput):
        enterprise_import_start(
            actor=clerk1, upload=SimpleUploadedFile("名录<script>.xlsx", b"<html>x</html>")
        )
    assert not EnterpriseImport.objects.exists()
    upload = _csv([f"甲有限公司,{make_uscc(1)},park1,,,,"])
    upload.name = "名录<b>.csv"
    job = run_tasks(enterprise_import_start, actor=clerk1, upload=upload)
    assert job.original_name == "名录<b>.csv" and job.valid_rows == 1  # the name is kept for display only
    assert "名录" not in job.file.name and job.file.name.endswith(".csv")
