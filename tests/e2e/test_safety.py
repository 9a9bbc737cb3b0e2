"""Browser journey: the bureau's inspector records an unannounced inspection (暗访) with a major
hazard, the enterprise submits its plan and reports the fix with evidence, and the re-inspection
closes the hazard."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from safety.demo import seed_people
from safety.models import Hazard, HazardStatus, Inspection
from tests.e2e.conftest import menu_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def test_an_unannounced_inspection_finds_a_major_hazard_that_is_fixed_and_closed(page, login, demo):
    seed_people(demo)
    enterprise = demo.enterprises["A"]

    login("dept_emergency")
    menu_link(page, "安全检查").click()
    page.get_by_role("link", name="新建检查").click()
    page.get_by_label("企业").select_option(label=enterprise.name)
    page.get_by_label("暗访").check()
    page.get_by_role("button", name="安排检查").click()
    expect(page.get_by_text("检查已安排")).to_be_visible()
    inspection = Inspection.objects.get(enterprise=enterprise)
    assert inspection.unannounced and inspection.planned_on == timezone.localdate()

    for point in ("patrol_records", "duty_on_watch", "emergency_plan", "hazard_control"):
        page.check(f"input[name={point}_result][value=pass]")
    page.check("input[name=key_equipment_result][value=fail]")
    page.fill("input[name=key_equipment_note]", "储气罐安全阀超期未校验")
    page.get_by_label("检查发现").fill("暗访发现储气罐安全阀超期未校验。")
    page.get_by_role("button", name="提交检查记录").click()
    expect(page.get_by_text("检查结果已记录")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("已登记")

    form = page.get_by_role("form", name="登记隐患")
    form.get_by_label("重大").check()
    form.get_by_label("隐患", exact=True).fill("储气罐安全阀超期未校验，存在超压风险")
    form.get_by_role("button", name="登记隐患").click()
    expect(page.get_by_text("隐患已登记")).to_be_visible()
    expect(page.get_by_test_id("severity")).to_have_text("重大")
    hazard = Hazard.objects.get(inspection=inspection)
    due = timezone.localtime(hazard.due_at)
    expect(page.get_by_test_id("due")).to_contain_text(due.strftime("%Y-%m-%d"))

    # The enterprise: from its own page's safety panel to the hazard.
    login("ent_a")
    page.goto(f"/enterprises/{enterprise.pk}/")
    panel = page.get_by_test_id("safety-panel")
    expect(panel).to_contain_text("储气罐安全阀超期未校验")
    panel.get_by_role("link", name="储气罐安全阀超期未校验").click()
    expect(page.get_by_role("button", name="上报整改")).to_have_count(0)  # the plan comes first
    page.get_by_role("textbox", name="整改方案").fill("立即停用储气罐，委托特检机构校验安全阀。")
    page.get_by_role("button", name="提交整改方案").click()
    expect(page.get_by_text("整改方案已提交")).to_be_visible()
    page.get_by_label("整改情况").fill("安全阀已校验合格并重新铅封。")
    page.set_input_files(
        "input[name=evidence]", files=[{"name": "校验报告.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.get_by_role("button", name="上报整改").click()
    expect(page.get_by_text("整改情况已上报")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("已上报整改")

    # The re-inspection closes it.
    login("dept_emergency")
    page.goto(f"/safety/hazards/{hazard.pk}/")
    page.get_by_label("整改到位：销号").check()
    page.get_by_role("button", name="提交复查结论").click()
    expect(page.get_by_text("复查结论已记录")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("已销号")
    expect(page.get_by_test_id("lateness")).to_have_text("已销号")
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.CLOSED and hazard.files.filter(purpose="evidence").count() == 1
