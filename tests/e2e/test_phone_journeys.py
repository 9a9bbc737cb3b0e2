"""An enterprise's phone journey in Chromium at 390 px: one menu button, lists as cards with the
action inside each card, and a problem confirmed and rated without leaving the phone's width."""

import pytest
from playwright.sync_api import expect

from feedback.actions import escalation_defaults_install, ticket_raise, ticket_resolve

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server, demo):
    context = browser.new_context(
        locale="zh-CN", base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def test_an_enterprise_confirms_a_problem_and_rates_it_on_a_phone(phone, demo):
    escalation_defaults_install()
    ticket = ticket_raise(
        actor=demo.users["ent_a"],
        enterprise=demo.enterprises["A"],
        category="land",
        title="厂区临时用电接入",
        description="二期厂房施工需要临时用电。",
    )
    ticket_resolve(actor=demo.users["cso1"], ticket=ticket, resolution="供电公司已接入临时电源。")

    page = phone
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "ent_a")
    page.fill("input[name=password]", demo.password)
    page.click("button[type=submit].primary")

    # One menu button; the menu opens as a panel.
    menu = page.get_by_role("button", name="菜单")
    expect(menu).to_be_visible()
    expect(page.get_by_role("link", name="诉求", exact=True)).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    page.get_by_role("link", name="诉求", exact=True).click()
    _fits(page)

    # The list is a list of cards: the problem's card names its fields, its link is inside.
    card = page.locator("table.grid.cards tbody tr", has_text=ticket.title)
    expect(card).to_be_visible()
    assert card.locator("td[data-label]").count() >= 3
    box = card.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    card.get_by_role("link").first.click()
    _fits(page)

    # Confirm and rate.
    page.get_by_label("已解决", exact=True).check()
    page.get_by_label("非常满意").check()
    page.get_by_label("意见").first.fill("处理及时。")
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page.get_by_text("感谢您的反馈。")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("已办结")
    expect(page.get_by_test_id("rating")).to_contain_text("非常满意 (5/5)")
    _fits(page)

    # The enterprise's own page tells the story, with the problem and its rating, on the phone.
    page.get_by_role("button", name="菜单").click()
    page.get_by_role("link", name="我的企业").click()
    expect(page.get_by_test_id("panel-problems")).to_contain_text(ticket.title)
    expect(page.get_by_test_id("panel-ratings")).to_contain_text("非常满意")
    _fits(page)


def test_a_card_holds_its_long_labels(phone, demo):
    """A label of two lines (统一社会信用代码) stays inside its own line of the card instead of
    running into the next label and value."""
    page = phone
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "clerk1")
    page.fill("input[name=password]", demo.password)
    page.click("button[type=submit].primary")
    page.goto("/enterprises/")
    cells = page.locator("table.grid.cards tbody tr").first.locator("td[data-label]")
    assert cells.count() >= 3
    spill = cells.evaluate_all("cells => cells.filter(c => c.scrollHeight > c.clientHeight + 1).length")
    assert spill == 0
    _fits(page)
