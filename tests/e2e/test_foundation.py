import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_enterprise_user_signs_in_sees_chinese_home_and_switches_to_english(page, login):
    login("ent_a")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    expect(page.get_by_role("heading", name="您好，中金科技 联络人")).to_be_visible()
    expect(page.get_by_role("link", name="首页")).to_be_visible()
    expect(page.get_by_text("企业用户").first).to_be_visible()

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_role("heading", name="Welcome, 中金科技 联络人")).to_be_visible()
    expect(page.get_by_role("link", name="Home")).to_be_visible()
    expect(page.get_by_text("Enterprise staff").first).to_be_visible()

    page.get_by_role("button", name="中文").click()
    page.wait_for_load_state()
    expect(page.get_by_role("link", name="首页")).to_be_visible()


def test_wrong_password_shows_a_clear_message(page):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "ent_a")
    page.fill("input[name=password]", "wrong")
    page.click("button[type=submit].primary")
    expect(page.get_by_role("alert")).to_be_visible()
    assert (
        "用户名" in page.get_by_role("alert").inner_text() or "密码" in page.get_by_role("alert").inner_text()
    )


def test_a_long_menu_comes_in_sections_that_open_one_at_a_time(page, login):
    login("admin")
    nav = page.locator("nav.mainnav")
    # Every entry on one line of the header at 1280 px: the sections keep it short.
    assert page.locator("header.topbar").bounding_box()["height"] < 60
    queue = nav.get_by_role("link", name="办件队列")
    expect(queue).to_be_hidden()
    services = nav.locator("details[data-navgroup] > summary", has_text="一站式服务")
    services.click()
    expect(queue).to_be_visible()
    # Opening another section closes the first; a click elsewhere closes it too.
    nav.locator("details[data-navgroup] > summary", has_text="诉求").click()
    expect(queue).to_be_hidden()
    expect(nav.get_by_role("link", name="联席会议")).to_be_visible()
    page.locator("main h1").click()
    expect(nav.get_by_role("link", name="联席会议")).to_be_hidden()
    services.click()
    queue.click()
    page.wait_for_url("**/services/queue/")
    # The section of the current page is marked.
    expect(nav.locator("details[data-navgroup] > summary.current")).to_have_text("一站式服务")


def test_the_menu_keeps_its_look_on_pages_with_their_own_styles(page, login):
    """The problems' pages bring a style sheet of their own; its folded forms must not reach the
    top menu's sections (they turned bold, stood lower and made the header taller)."""
    login("admin")
    home = page.locator("header.topbar").bounding_box()["height"]
    summary = page.locator("nav.mainnav details[data-navgroup] > summary").first
    weight = summary.evaluate("s => getComputedStyle(s).fontWeight")
    for path in ("/problems/board/", "/problems/department/"):
        page.goto(path)
        assert page.locator("header.topbar").bounding_box()["height"] == home, path
        assert summary.evaluate("s => getComputedStyle(s).fontWeight") == weight, path


def test_a_short_menu_stays_flat(page, login):
    login("ent_a")
    nav = page.locator("nav.mainnav")
    assert nav.locator("details[data-navgroup]").count() == 0
    expect(nav.get_by_role("link", name="事项清单")).to_be_visible()
