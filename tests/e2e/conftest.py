"""Browser tests: real Chromium (Debian's, never a downloaded one) against pytest-django's live server."""

import os

import pytest

from tests.conftest import CHROMIUM

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by fixtures there
# are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, demo):
    """A fresh Chinese-speaking browser context on the live server, with the demo organisation."""
    context = browser.new_context(
        locale="zh-CN", base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login(page):
    """`login("ent_a")` signs that demo user in through the login page."""

    def sign_in(username: str, password: str = "pw-for-tests-1"):
        page.context.clear_cookies()
        page.goto("/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit].primary")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    return sign_in


def menu_link(page, name: str, *, exact: bool = False):
    """The main menu's link `name`, its section opened first when a long menu keeps it in one."""
    nav = page.locator("nav.mainnav")
    link = nav.get_by_role("link", name=name, exact=exact)
    if not link.is_visible():
        # A link of a closed section is not in the accessibility tree, so no role finds it: its text does.
        inner = page.locator(f'a:text-is("{name}")' if exact else f'a:has-text("{name}")')
        nav.locator("details[data-navgroup]", has=inner).locator("summary").click()
    return link
