"""The dashboard's benefits section: its figures move when a voucher is paid, each figure's
drill-down lists the rows behind it, and the export has the section's sheets."""

from decimal import Decimal
from io import BytesIO

from django.test import Client
from openpyxl import load_workbook

from benefits import actions

from .conftest import redemption_files


def _admin(admin_user):
    client = Client()
    client.force_login(admin_user)
    return client


def test_the_section_moves_drills_down_and_exports(admin_user, ent_a, issued_voucher, experts, api):
    client = _admin(admin_user)
    before = api(admin_user).get("/api/v1/dashboard/summary/").json()["benefits"]["vouchers"]
    assert Decimal(before["issued"]) == Decimal("120000.00") and Decimal(before["paid"]) == 0
    actions.voucher_redeem(
        actor=ent_a, voucher=issued_voucher, claimed_amount="120000", note="", files=redemption_files()
    )
    actions.voucher_assign_experts(actor=admin_user, voucher=issued_voucher, experts=experts[:2])
    for expert in experts[:2]:
        actions.voucher_review_submit(actor=expert, voucher=issued_voucher, score=88, opinion="合格")
    actions.voucher_pay(actor=admin_user, voucher=issued_voucher, amount="110000")
    after = api(admin_user).get("/api/v1/dashboard/summary/").json()["benefits"]["vouchers"]
    assert Decimal(after["paid"]) == Decimal("110000.00") and after["firms"] == 1
    page = client.get("/dashboard/").content.decode()
    assert 'data-testid="dashboard-benefits"' in page and "110,000.00" in page  # yuan, grouped
    assert "兑付率 91.7%" in page  # 110,000 paid of 120,000 issued, as a percentage (was 0.9167)
    assert '<th class="num">兑现笔数</th><th class="num">金额（元）</th>' in page  # the by-policy table
    drill = client.get("/dashboard/cases/vouchers-paid/")
    assert drill.status_code == 200 and issued_voucher.number in drill.content.decode()
    book = load_workbook(BytesIO(client.get("/dashboard/export.xlsx").content))
    assert "Benefits and vouchers" in book.sheetnames or "惠企政策与创新券" in book.sheetnames


def test_another_enterprise_sees_nothing_of_it_in_a_drill_down(ent_b, issued_voucher):
    client = Client()
    client.force_login(ent_b)
    assert client.get("/dashboard/cases/vouchers-issued/").status_code == 404  # no dashboard for enterprises
