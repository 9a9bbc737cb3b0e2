"""The whistle journey in Chromium: an enterprise raises a land problem, the park whistles two
departments, one reports and answers, the silent one is reminded (催办) by the sweep, then answers;
the park resolves; the enterprise confirms and rates."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from feedback.actions import escalation_defaults_install
from feedback.models import Ticket, Whistle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_park_whistles_departments_report_and_the_enterprise_confirms(page, login):
    escalation_defaults_install()

    # The enterprise raises a land problem.
    login("ent_a")
    page.goto("/problems/new/")
    page.get_by_label("类别").select_option("land")
    page.get_by_label("标题").fill("二期厂房用地规划调整")
    page.get_by_label("问题描述").fill("二期厂房用地需调整容积率，规划条件变更申请提交后进展不明。")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("已提交").first).to_be_visible()
    ticket = Ticket.objects.get(title="二期厂房用地规划调整")
    expect(page.get_by_role("heading", name=f"{ticket.number} · 二期厂房用地规划调整")).to_be_visible()
    assert page.get_by_test_id("tier").inner_text() == "一级 · 园区就地解决"
    assert page.get_by_test_id("owner").inner_text() == "首席服务员 张伟"

    # The park director whistles land and power from the board.
    login("park1")
    page.goto("/problems/board/")
    row = page.get_by_role("row").filter(has_text=ticket.number)
    row.locator("summary", has_text="吹哨").click()
    row.get_by_label("自然资源和规划局").check()
    row.get_by_label("供电公司").check()
    row.get_by_label("给部门的说明").fill("请两个部门一个工作日内报到。")
    row.get_by_role("button", name="吹哨").click()
    expect(page.get_by_text("已向部门吹哨。")).to_be_visible()
    page.goto(f"/problems/{ticket.pk}/")
    assert page.get_by_test_id("tier").inner_text() == "二级 · 园区吹哨、部门报到"
    expect(page.locator("tr[data-department=land]").get_by_text("已吹哨，未报到")).to_be_visible()

    # The land department reports from its inbox, then answers on the ticket.
    login("dept_land")
    page.goto("/problems/department/")
    page.get_by_role("row").filter(has_text=ticket.number).get_by_role("button", name="报到").click()
    expect(page.get_by_text("已报到：您是本部门承办人。")).to_be_visible()
    page.goto(f"/problems/{ticket.pk}/")
    page.get_by_label("自然资源和规划局的答复").fill("规划条件变更已受理，10个工作日内出具意见。")
    page.get_by_role("button", name="提交答复").click()
    expect(page.get_by_text("答复已提交。")).to_be_visible()
    expect(page.locator("tr[data-department=land]").get_by_text("已答复")).to_be_visible()

    # Power stays silent; the sweep runs as of after its report deadline.
    power = Whistle.objects.get(ticket=ticket, department__code="power")
    call_command("sweep_deadlines", "--as-of", (power.report_due_at + timedelta(minutes=1)).isoformat())
    login("dept_power")
    expect(page.get_by_test_id("unread")).to_be_visible()
    page.goto("/inbox/")
    expect(page.get_by_text(f"催办：报到已超期 · {ticket.number} 二期厂房用地规划调整")).to_be_visible()
    page.goto("/problems/department/")
    late = page.get_by_role("row").filter(has_text=ticket.number)
    expect(late.get_by_text("超期")).to_be_visible()
    late.get_by_role("button", name="报到").click()
    page.goto(f"/problems/{ticket.pk}/")
    page.get_by_label("供电公司的答复").fill("二期用电容量已评估，可满足需求。")
    page.get_by_role("button", name="提交答复").click()
    expect(page.get_by_text("答复已提交。")).to_be_visible()
    assert timeline_has(page, "催办")

    # The park resolves.
    login("park1")
    page.goto(f"/problems/{ticket.pk}/")
    page.get_by_text("标记办结").click()
    page.get_by_label("办理结果").fill("规划意见已出具，用电容量已落实。")
    page.get_by_role("button", name="办结", exact=True).click()
    assert page.get_by_test_id("status").inner_text() == "已办结，待企业确认"

    # The enterprise confirms and rates.
    login("ent_a")
    page.goto(f"/problems/{ticket.pk}/")
    page.get_by_label("已解决", exact=True).check()
    page.get_by_label("非常满意").check()
    page.get_by_label("意见").first.fill("协调及时，非常满意。")
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page.get_by_text("感谢您的反馈。")).to_be_visible()
    assert page.get_by_test_id("status").inner_text() == "已办结"
    assert page.get_by_test_id("rating").inner_text().startswith("非常满意 (5/5)")
    for step in ("提交诉求", "吹哨", "部门报到", "部门答复", "催办", "已办结", "企业确认已解决"):
        assert timeline_has(page, step), step


def timeline_has(page, text):
    return page.get_by_role("list", name="时间线").get_by_text(text, exact=True).count() > 0
