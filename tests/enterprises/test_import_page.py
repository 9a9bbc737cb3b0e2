"""The import's page as the person importing reads it (issue 14): errors named by the file's own
headers, paged and downloadable; no confirm without a valid row; a word when no worker runs."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from enterprises.actions import enterprise_import_start
from enterprises.models import EnterpriseImport
from tests.factories import make_uscc

pytestmark = pytest.mark.django_db

HEADER = "企业名称*,统一社会信用代码*,园区*,成立日期,备注栏\n"


def _csv(rows, header=HEADER):
    return SimpleUploadedFile("register.csv", (header + "\n".join(rows) + "\n").encode(), "text/csv")


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = function(**kwargs)
        result.refresh_from_db()
        return result

    return run


def test_errors_are_named_by_the_files_headers_paged_and_downloadable(client, register, clerk1, run_tasks):
    rows = [f"坏日期{i}有限公司,{make_uscc(i)},park1,不是日期,备注" for i in range(1, 61)]
    rows.append(f"火星有限公司,{make_uscc(99)},火星园区,,")
    job = run_tasks(enterprise_import_start, actor=clerk1, upload=_csv(rows))
    client.force_login(clerk1)
    url = reverse("enterprises:import-detail", args=[job.pk])
    first = client.get(url).content.decode()
    table = first[first.index('data-testid="import-errors"') :]
    assert "<td>成立日期</td>" in table and "<td>备注栏</td>" in table  # the file's words
    assert "founded_on" not in first and ">park<" not in first
    assert table.count("<tr") == 1 + 50  # the header and one page of 50
    last = client.get(url, {"page": 2}).content.decode()
    assert "<td>园区*</td>" in last and "火星园区" in last

    download = client.get(reverse("enterprises:import-errors", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(download.content)).active
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert cells[0] == ["行", "列", "类型", "原因"]
    assert len(cells) == 1 + 62  # the warning and 61 errors
    assert cells[1][:3] == [1, "备注栏", "提醒"] and cells[2][:3] == [2, "成立日期", "错误"]


def test_a_file_without_a_valid_row_offers_no_confirm(client, register, clerk1, run_tasks):
    job = run_tasks(
        enterprise_import_start, actor=clerk1, upload=_csv([f"甲有限公司,{make_uscc(1)},火星园区,,"])
    )
    assert (job.status, job.valid_rows) == ("validated", 0)
    client.force_login(clerk1)
    html = client.get(reverse("enterprises:import-detail", args=[job.pk])).content.decode()
    assert reverse("enterprises:import-confirm", args=[job.pk]) not in html
    assert "没有可以导入的行" in html


def test_the_progress_says_when_no_worker_takes_the_file_up(client, register, clerk1):
    job = enterprise_import_start(actor=clerk1, upload=_csv([f"甲有限公司,{make_uscc(1)},park1,,"]))
    assert job.status == EnterpriseImport.Status.VALIDATING  # its task was never run
    client.force_login(clerk1)
    progress = reverse("enterprises:import-progress", args=[job.pk])
    assert 'data-testid="no-worker"' not in client.get(progress).content.decode()
    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        html = client.get(progress).content.decode()
    assert 'data-testid="no-worker"' in html and "dev.py up" in html
