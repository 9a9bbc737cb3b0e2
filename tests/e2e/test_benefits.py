"""Browser journey: ent_a sees a policy it qualifies for, applies for an innovation voucher, is
issued it, submits the redemption with its materials, two experts review it, it is paid, and the
administrator's dashboard totals move."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from benefits import actions
from benefits.models import AmountRule, PolicyKind, Voucher, VoucherStatus
from zone_portal.accounts.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n% redemption material\n"


def _figure(page, testid) -> Decimal:
    return Decimal(page.get_by_test_id(testid).inner_text().strip().replace(",", ""))


def test_a_voucher_from_application_to_payment_moves_the_dashboard(page, login, demo, tmp_path):
    today = timezone.localdate()
    admin = demo.users["admin"]
    for i in (1, 2):
        demo.user(f"expert{i}", f"评审专家{i}", roles=[Role.EXPERT])
    policy = actions.policy_create(
        actor=admin,
        data={
            "name": "新入驻企业房租补贴",
            "department": demo.departments["investment"],
            "kind": PolicyKind.SUBSIDY,
            "amount_rule": AmountRule.FIXED,
            "fixed_amount": Decimal("30000"),
            "opens_on": today - timedelta(days=5),
            "closes_on": today + timedelta(days=60),
            "valid_until": today + timedelta(days=365),
            "materials": ["申请表"],
        },
        parks=[demo.parks["park1"]],
    )
    actions.voucher_round_create(
        actor=admin,
        data={
            "name": f"{today.year}年度科技创新券第一批",
            "year": today.year,
            "opens_on": today - timedelta(days=5),
            "closes_on": today + timedelta(days=30),
            "valid_until": today + timedelta(days=200),
            "budget": Decimal("5000000"),
        },
    )

    # ent_a: the policy it may apply for is on its home page; it applies for a voucher.
    login("ent_a")
    expect(page.get_by_test_id("may-apply")).to_contain_text(policy.name)
    page.goto("/benefits/vouchers/")
    form = page.get_by_test_id("voucher-apply")
    form.locator("input[name=purposes][value=rnd]").check()
    form.locator("input[name=purposes][value=testing]").check()
    form.locator("input[name=amount]").fill("150000")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("status")).to_have_text("已申请")
    voucher = Voucher.objects.get()
    assert voucher.amount == Decimal("150000.00") and voucher.purposes == ["rnd", "testing"]

    # The administrator issues it and notes the dashboard's voucher figures.
    login("admin")
    page.goto("/dashboard/")
    issued_before, paid_before = _figure(page, "vouchers-issued"), _figure(page, "vouchers-paid")
    page.goto(f"/benefits/vouchers/{voucher.pk}/")
    # Its facts read as a table: each label on the same line as its value, left of it.
    label, value = (
        page.locator("dl.facts dt").first.bounding_box(),
        page.locator("dl.facts dd").first.bounding_box(),
    )
    assert abs(label["y"] - value["y"]) < 2 and label["x"] + label["width"] <= value["x"]
    page.get_by_test_id("issue").click()
    expect(page.get_by_test_id("status")).to_have_text("已发放")

    # ent_a redeems it with the contract, invoices and report.
    login("ent_a")
    page.goto(f"/benefits/vouchers/{voucher.pk}/")
    redeem = page.get_by_test_id("redeem-form")
    for kind in ("contract", "invoice", "report"):
        path = tmp_path / f"{kind}.pdf"
        path.write_bytes(PDF)
        redeem.locator(f"input[name={kind}]").set_input_files(str(path))
    redeem.locator("button[type=submit]").click()
    expect(page.get_by_test_id("status")).to_have_text("已提交兑付")

    # Two experts are assigned and review it.
    login("admin")
    page.goto(f"/benefits/vouchers/{voucher.pk}/")
    assign = page.get_by_test_id("assign-form")
    for username in ("expert1", "expert2"):
        assign.locator(f"input[value='{demo.users[username].pk}']").check()
    assign.locator("button[type=submit]").click()
    expect(page.get_by_test_id("status")).to_have_text("专家评审")
    for username, score in (("expert1", "90"), ("expert2", "85")):
        login(username)
        page.goto(f"/benefits/vouchers/{voucher.pk}/")
        review = page.get_by_test_id("review-form")
        review.locator("input[name=score]").fill(score)
        review.locator("textarea[name=opinion]").fill("合作研发合同与发票一致，同意兑付")
        review.locator("button[type=submit]").click()
        expect(page.get_by_test_id("review-form")).to_have_count(0)

    # The administrator pays it; the dashboard's totals move by the amounts.
    login("admin")
    page.goto(f"/benefits/vouchers/{voucher.pk}/")
    pay = page.get_by_test_id("pay-form")
    pay.locator("input[name=amount]").fill("148000.50")
    pay.locator("button[type=submit]").click()
    expect(page.get_by_test_id("paid")).to_have_text("148,000.50")
    voucher.refresh_from_db()
    assert voucher.status == VoucherStatus.PAID
    page.goto("/dashboard/")
    assert _figure(page, "vouchers-issued") == issued_before + Decimal("150000.00")
    assert _figure(page, "vouchers-paid") == paid_before + Decimal("148000.50")
