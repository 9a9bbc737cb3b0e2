"""Browser journey: the administrator reads the zone's dashboard, narrows it to park 1, drills into
the overdue problems and exports the tables to Excel."""

from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from feedback.actions import escalation_defaults_install, ticket_raise, ticket_resolve
from tests.e2e.conftest import menu_link
from tests.factories import EnterpriseFactory, MembershipFactory
from zone_portal.worktime.calendar import add_working_days

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _working_moment_days_ago(days: int):
    """A moment about `days` calendar days ago, moved to the next opening of the service center."""
    start = (timezone.now() - timedelta(days=days)).replace(hour=9, minute=0, second=0, microsecond=0)
    return add_working_days(start, 0)


def test_admin_reads_the_dashboard_filters_to_park_1_drills_into_overdue_problems_and_exports(
    page, login, demo
):
    escalation_defaults_install()
    users = demo.users
    # Park 1: one problem resolved, one overdue (raised three weeks ago, nobody resolved it).
    resolved = ticket_raise(
        actor=users["ent_a"],
        enterprise=demo.enterprises["A"],
        category="land",
        title="厂房用地规划调整",
        description="二期厂房用地需调整容积率。",
        now=_working_moment_days_ago(20),
    )
    ticket_resolve(
        actor=users["cso1"], ticket=resolved, resolution="已协调", now=_working_moment_days_ago(19)
    )
    ticket_raise(
        actor=users["ent_b"],
        enterprise=demo.enterprises["B"],
        category="utilities",
        title="供电增容迟迟未批",
        description="新产线需增容 800kVA。",
        now=_working_moment_days_ago(21),
    )
    # Park 2: an overdue problem the park-1 view must not show.
    elsewhere = EnterpriseFactory(name="远景光电有限公司", park=demo.parks["park2"])
    ticket_raise(
        actor=MembershipFactory(enterprise=elsewhere).user,
        enterprise=elsewhere,
        category="tax",
        title="出口退税进度慢",
        description="退税已申报两个月。",
        now=_working_moment_days_ago(22),
    )

    login("admin")
    menu_link(page, "数据看板").click()
    expect(page.get_by_role("heading", name="全区数据看板 · 全区", level=1)).to_be_visible()
    tile = page.get_by_test_id("tile-resolution-rate")
    expect(tile).to_contain_text("办结率")
    expect(tile.locator(".figure")).to_have_text("33.3%")  # 1 of 3 received this year
    expect(page.get_by_test_id("chart-ticket-trend").locator("svg")).to_be_visible()
    expect(page.get_by_test_id("table-ticket-trend")).to_contain_text("受理")
    expect(page.get_by_test_id("tile-tickets-overdue").locator(".figure")).to_have_text("2")

    page.get_by_test_id("park-filter").select_option(label="尼龙新材料产业园")
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_test_id("scope")).to_have_text("尼龙新材料产业园")
    expect(page.get_by_test_id("tile-resolution-rate").locator(".figure")).to_have_text("50.0%")
    overdue = page.get_by_test_id("tile-tickets-overdue")
    expect(overdue.locator(".figure")).to_have_text("1")

    overdue.click()
    expect(page.get_by_role("heading", name="当前超期诉求 · 尼龙新材料产业园")).to_be_visible()
    rows = page.get_by_test_id("drill-table").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("供电增容迟迟未批")
    expect(page.get_by_test_id("drill-table")).not_to_contain_text("出口退税进度慢")
    expect(rows.first.locator(".tag")).to_have_text("超期")

    page.get_by_role("link", name="返回数据看板").click()
    expect(page.get_by_test_id("scope")).to_have_text("尼龙新材料产业园")
    with page.expect_download() as download_info:
        page.get_by_test_id("export").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    book = load_workbook(BytesIO(Path(download.path()).read_bytes()))
    overview = {row[0]: row[1] for row in book["概览"].iter_rows(values_only=True)}
    assert overview["范围"] == "尼龙新材料产业园"
    assert overview["受理诉求"] == 2
    assert overview["当前超期诉求"] == 1
    assert abs(overview["办结率"] - 0.5) < 0.0001
