"""Registered capital has one unit for people: entered and shown in 万元 (the unit written on the
field, the page, the import's and the export's header), kept in yuan."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from enterprises.actions import enterprise_import_confirm, enterprise_import_start
from enterprises.models import Enterprise
from tests.factories import make_uscc

from .test_import import run_tasks  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def test_the_form_takes_and_shows_wan_and_the_register_keeps_yuan(client, register, clerk1, enterprise_a):
    enterprise_a.registered_capital = Decimal("1000000.00")
    enterprise_a.save(update_fields=["registered_capital"])
    client.force_login(clerk1)
    url = reverse("enterprises:edit", args=[enterprise_a.pk])
    page = client.get(url)
    field = page.context["form"]["registered_capital"]
    assert field.label == "注册资本（万元）" and field.value() == "100"
    data = {name: bf.value() for name, bf in ((bf.name, bf) for bf in page.context["form"])}
    data = {k: ("" if v is None else v) for k, v in data.items() if not isinstance(v, bool) or v}
    data["registered_capital"] = "250.5"
    assert client.post(url, data).status_code == 302
    enterprise_a.refresh_from_db()
    assert enterprise_a.registered_capital == Decimal("2505000.00")
    detail = client.get(reverse("enterprises:detail", args=[enterprise_a.pk])).content.decode()
    assert "250.50 万元" in detail


def test_the_import_reads_wan_and_still_reads_a_yuan_column(register, clerk1, run_tasks):  # noqa: F811
    def imported(header, value, n):
        upload = SimpleUploadedFile(
            "register.csv",
            f"企业名称,统一社会信用代码,园区,{header}\n某某{n}有限公司,{make_uscc(n)},park1,{value}\n".encode(),
            "text/csv",
        )
        run_tasks(
            enterprise_import_confirm,
            actor=clerk1,
            job=run_tasks(enterprise_import_start, actor=clerk1, upload=upload),
        )
        return Enterprise.objects.get(uscc=make_uscc(n)).registered_capital

    assert imported("注册资本（万元）", "120.00005", 1) == Decimal("1200000.50")
    assert imported("注册资本（元）", "1200000.50", 2) == Decimal("1200000.50")


def test_the_export_writes_wan_under_a_header_that_says_so(client, register, clerk1, enterprise_a):
    enterprise_a.registered_capital = Decimal("1234567.89")
    enterprise_a.save(update_fields=["registered_capital"])
    client.force_login(clerk1)
    sheet = load_workbook(io.BytesIO(client.get(reverse("enterprises:export")).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("注册资本（万元）")
    assert {row[column] for row in rows[1:] if row[0] == enterprise_a.name} == {123.456789}
