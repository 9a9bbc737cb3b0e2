"""The pages and the Swagger UI work in a real browser under the Content-Security-Policy."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch(page, base):
    """Record CSP violations and requests leaving the live server."""
    seen = {"violations": [], "outside": []}
    page.on(
        "console",
        lambda m: seen["violations"].append(m.text) if "Content Security Policy" in m.text else None,
    )

    def on_request(request):
        if not request.url.startswith(base) and not request.url.startswith("data:"):
            seen["outside"].append(request.url)

    page.on("request", on_request)
    return seen


def test_htmx_and_the_page_scripts_run_under_the_policy(page, login, live_server):
    seen = _watch(page, live_server.url)
    login("clerk1")
    page.goto("/services/queue/")
    assert page.evaluate("typeof htmx") == "object"
    page.keyboard.press("/")  # the queue's script focuses the search field
    expect(page.locator("#queue-search")).to_be_focused()
    page.goto("/services/appointments/")
    select = page.locator("select[name=kind]")
    value = select.locator("option").nth(1).get_attribute("value")
    select.select_option(value)  # submits the filter by itself
    page.wait_for_url(f"**kind={value}**")
    assert seen["violations"] == [] and seen["outside"] == []


def test_swagger_ui_renders_offline_under_the_policy(page, login, live_server):
    seen = _watch(page, live_server.url)
    login("clerk1")
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("zone-portal API")
    expect(page.locator(".opblock").first).to_be_visible()
    assert seen["violations"] == []
    assert seen["outside"] == []
