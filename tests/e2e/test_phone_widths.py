"""No page of any demo role is wider than a phone (390 px).

The pages come from the URL configuration, as in the access matrix (`tests/access/test_matrix.py`):
every route without a parameter, and every object route the matrix has a rule for, opened with an
object of the demo data the signed-in user may read. A new page is covered without editing this
file; `NOT_PAGES` lists what is not a page, with the reason. A page the role is refused (403, 404,
a redirect to sign in) is not a page of that role and is skipped.

One browser, one context per role, one live server and one seeding of the demo data: about 30 s
on PostgreSQL (the figure is printed).
"""

import re
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from tests.access.test_matrix import _params, _url, exempt, has_parameters, routes, rule_for
from zone_portal.access.policy import visible
from zone_portal.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PASSWORD = "pw-for-phones-1"

# One demo user per role (park1 is both park director and park officer), and anonymous (None).
ROLES = ["ent_a", "clerk1", "cso1", "park1", "dept_market", "leader1", "supervisor1", "admin", None]

# Routes that are not pages, by route pattern or name, with the reason.
NOT_PAGES = {
    r"^api/": "the JSON API",
    r"^admin/": "Django's admin (desktop screens for administrators)",
    r"\.xlsx$": "workbook downloads",
    r"^healthz$": "a probe for the load balancer",
    r"^favicon\.ico$": "a redirect to the icon",
    r"^i18n/setlang/$": "POST only: switches the language",
    r"^accounts/logout/$": "POST only: signs out",
    r"^inbox/read/$": "POST only: marks the inbox read",
}
NOT_PAGE_KINDS = {
    "material": "a file download",
    "attachment": "a file download",
}


def _not_a_page(route: str) -> bool:
    return any(re.search(pattern, route) for pattern in NOT_PAGES)


def page_urls(user) -> list[str]:
    """The pages to open as `user` (None: anonymous): every page route, objects the user may read."""
    urls = []
    for route, name, _pattern in routes():
        if _not_a_page(route):
            continue
        if not has_parameters(route):
            urls.append("/" + route)
            continue
        rule = rule_for(name)
        if user is None or rule is None or exempt(route, name):
            continue
        kind, _read, extra = rule
        if kind in NOT_PAGE_KINDS:
            continue
        obj = visible(user, kind).order_by("-pk").first()
        if obj is not None:
            urls.append(_url(route, _params(obj, extra)))
    return list(dict.fromkeys(urls))


# What makes the page wide: the outermost elements whose right edge passes the viewport.
WIDEST = """() => {
  const limit = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right > limit + 1 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > limit + 1)) {
      wide.push(el.tagName.toLowerCase() + (el.className && el.className.baseVal === undefined ? '.' + el.className.split(' ').join('.') : '') + ' ' + Math.round(box.right) + 'px');
    }
  }
  return wide.slice(0, 3);
}"""


LINK = re.compile(r'<a\b[^>]*\bhref="(/[^"#]*)"')


def links_refused(client, username, html_pages: dict[str, str], statuses: dict[str, int]) -> list:
    """The links on the role's pages that the role cannot open (403, 404): links a role cannot
    follow are not shown. Checked in-process, each address once."""
    refused = []
    for url, html in html_pages.items():
        for href in dict.fromkeys(LINK.findall(html)):
            href = href.replace("&amp;", "&")
            if _not_a_page(href.lstrip("/")) or href.startswith(("/static/", "/media/")):
                continue
            if href not in statuses:
                statuses[href] = client.get(href, HTTP_ACCEPT_LANGUAGE="zh-CN").status_code
            if statuses[href] in (403, 404):
                refused.append((username or "anonymous", url, href, statuses[href]))
    return refused


def check_role(browser, base_url: str, username, urls: list[str]) -> tuple[list, list, int]:
    """Open each page of `urls` as `username` at 390 px: the pages wider than that, the links the
    role cannot follow, and how many pages were opened.

    Each address is asked of the application in-process (Django's test client, signed in with the
    same session as the browser): the browser opens only the role's pages (no time spent on
    refusals, POST-only routes and downloads), and receives that answer as the document instead of
    having the live server render the page a second time. Everything the page loads itself (styles,
    scripts, htmx requests) comes from the live server."""
    client = Client()
    context = browser.new_context(
        locale="zh-CN", base_url=base_url, viewport=PHONE, is_mobile=True, has_touch=True
    )
    if username:
        client.force_login(User.objects.get(username=username))
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}])
    context.set_default_timeout(15_000)
    documents = {}

    def serve(route):
        answer = documents.pop(route.request.url, None) if route.request.resource_type == "document" else None
        if answer is None:
            route.continue_()
        else:
            route.fulfill(status=answer.status_code, headers=dict(answer.items()), body=answer.content)

    context.route("**/*", serve)
    page = context.new_page()
    try:
        wide, opened, html_pages, statuses = [], 0, {}, {}
        for url in urls:
            answer = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN")
            statuses[url] = answer.status_code
            if answer.status_code != 200 or not answer["Content-Type"].startswith("text/html"):
                continue
            html_pages[url] = answer.content.decode()
            documents[base_url + url] = answer
            response = page.goto(url)
            assert response.status == 200, (username, url, response.status)
            assert not username or "/accounts/login/" not in page.url, (username, url, "signed out")
            opened += 1
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                wide.append((username or "anonymous", url, width, page.evaluate(WIDEST)))
        return wide, links_refused(client, username, html_pages, statuses), opened
    finally:
        context.close()


@pytest.fixture
def seeded_demo(db):
    started = time.monotonic()
    call_command("seed_demo", password=PASSWORD, stdout=open("/dev/null", "w"))  # noqa: SIM115
    print(f"\nseed_demo: {time.monotonic() - started:.1f} s")


def test_no_page_of_any_role_is_wider_than_a_phone(browser, live_server, seeded_demo):
    started = time.monotonic()
    wide, refused, opened = [], [], 0
    for username in ROLES:
        user = User.objects.get(username=username) if username else None
        role_started = time.monotonic()
        role_wide, role_refused, count = check_role(browser, live_server.url, username, page_urls(user))
        print(f"{username}: {count} pages, {time.monotonic() - role_started:.1f} s")
        wide += role_wide
        refused += role_refused
        opened += count
    print(f"\nphone widths: {opened} pages of {len(ROLES)} roles in {time.monotonic() - started:.1f} s")
    assert opened > 60, f"only {opened} pages opened: the page list or the sign-in is broken"
    assert not wide, "Pages wider than 390 px:\n" + "\n".join(map(str, wide))
    assert not refused, "Links to pages the role cannot open:\n" + "\n".join(map(str, refused))
