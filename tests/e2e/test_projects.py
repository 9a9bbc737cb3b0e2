"""Browser journey: a leader works the battle map (挂图作战)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from projects.models import Stage, Supervision
from tests.e2e.conftest import menu_link
from tests.projects.factories import MilestoneFactory, ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RED = "rgb(192, 31, 31)"  # --bad in portal.css
GREEN = "rgb(26, 127, 55)"  # --ok


def test_leader_sees_a_delayed_project_in_red_opens_it_and_records_weekly_supervision(page, login, demo):
    leader1 = demo.users["leader1"]
    today = timezone.localdate()
    delayed = ProjectFactory(
        name="光伏组件材料项目", leader=leader1, park=demo.parks["park3"], stage=Stage.UNDER_CONSTRUCTION
    )
    MilestoneFactory(project=delayed, name="主体结构封顶", planned_date=today - timedelta(days=12))
    on_track = ProjectFactory(name="棚户区改造项目", leader=leader1, park=demo.parks["park6"])
    MilestoneFactory(project=on_track, name="回迁安置", planned_date=today + timedelta(days=90))

    login("leader1")
    menu_link(page, "挂图作战").click()
    expect(page.get_by_role("heading", name="重点项目挂图作战")).to_be_visible()

    column = page.locator("section.board-col", has=page.get_by_role("heading", name="在建"))
    card = column.get_by_test_id("project-card").filter(has_text="光伏组件材料项目")
    expect(card).to_be_visible()
    badge = card.locator(".health")
    expect(badge).to_have_text("延期")
    assert badge.evaluate("e => getComputedStyle(e).backgroundColor") == RED
    assert card.evaluate("e => getComputedStyle(e).borderLeftColor") == RED
    calm = page.get_by_test_id("project-card").filter(has_text="棚户区改造项目")
    expect(calm.locator(".health")).to_have_text("正常")
    assert calm.locator(".health").evaluate("e => getComputedStyle(e).backgroundColor") == GREEN

    card.click()
    expect(page.get_by_role("heading", name="光伏组件材料项目", level=1)).to_be_visible()
    expect(page.get_by_test_id("milestone-timeline").locator("[data-status=delayed]")).to_have_count(1)
    expect(page.locator("#milestone")).to_contain_text("主体结构封顶")

    supervision = page.locator("#supervision")
    supervision.get_by_label("督导情况").fill("主体结构施工滞后约两周，已督促增加作业面")
    supervision.get_by_label("需协调解决的问题").fill("施工用电增容待供电公司办理")
    supervision.get_by_role("button", name="提交督导记录").click()

    expect(page.get_by_text("周督导已记录")).to_be_visible()
    expect(page.locator("#supervision .list")).to_contain_text("主体结构施工滞后约两周")
    expect(page.locator("#supervision .list")).to_contain_text("分包领导 冯军")
    record = Supervision.objects.get(project=delayed)
    assert record.supervisor == leader1 and record.supervised_on == today
