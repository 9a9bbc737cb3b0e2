import pytest
from playwright.sync_api import expect

from enterprises.actions import enterprise_search_keys_refresh
from tests.e2e.conftest import menu_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_finds_an_enterprise_by_pinyin_hands_it_over_and_sees_the_history(page, login, demo):
    enterprise_search_keys_refresh()  # the foundation's demo writes A and B without pinyin keys
    login("cso1")
    menu_link(page, "企业", exact=True).click()
    expect(page.get_by_role("heading", name="企业名录")).to_be_visible()

    page.get_by_role("searchbox").fill("zjkj")
    page.get_by_role("button", name="搜索").click()
    results = page.locator("table.grid tbody")
    expect(results.get_by_role("link", name="中金科技有限公司")).to_be_visible()
    assert results.get_by_text("华创材料有限公司").count() == 0

    results.get_by_role("link", name="中金科技有限公司").click()
    expect(page.get_by_role("heading", name="中金科技有限公司")).to_be_visible()
    assert page.get_by_test_id("current-officer").inner_text().startswith("首席服务员 张伟")

    handover = page.get_by_role("form", name="移交")
    handover.get_by_label("新的首席服务员").select_option(label="首席服务员 刘洋（1 家企业）")
    handover.get_by_label("原因").fill("片区工作调整")
    handover.get_by_role("button", name="移交").click()

    expect(page.get_by_text("首席服务员 刘洋 现为首席服务员。")).to_be_visible()
    assert page.get_by_test_id("current-officer").inner_text().startswith("首席服务员 刘洋")
    history = page.get_by_role("table", name="首席服务员变更记录").locator("tbody tr")
    assert history.count() == 2
    assert history.nth(0).inner_text().split("\t")[0] == "首席服务员 刘洋"
    assert "当前" in history.nth(0).inner_text() and "片区工作调整" in history.nth(0).inner_text()
    assert history.nth(1).inner_text().startswith("首席服务员 张伟")
    assert "当前" not in history.nth(1).inner_text()
    # cso1 no longer holds the enterprise: no handover form for them any more
    assert page.get_by_role("form", name="移交").count() == 0
    expect(page.get_by_role("list", name="时间线").get_by_text("移交其他首席服务员")).to_be_visible()
