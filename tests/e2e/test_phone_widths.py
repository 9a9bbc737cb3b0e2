"""No page of any demo role is wider than a phone (390 px), links to a page its reader cannot open,
or shows an internal code (a status or field name of the database) in its words.

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
from html import unescape

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from tests.access.test_matrix import _params, _url, exempt, has_parameters, routes, rule_for
from zone_portal.access.policy import visible
from zone_portal.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PASSWORD = "pw-for-phones-1"

# One demo user per role (park1 is both park director and park officer), and anonymous (None);
# a role a later app adds to the demo (an expert, an inspector) is covered by its first user.
PREFERRED = ["ent_a", "clerk1", "cso1", "park1", "dept_market", "leader1", "supervisor1", "admin"]


def demo_roles() -> list:
    from zone_portal.accounts.models import UserRole
    from zone_portal.accounts.roles import MACHINE_ROLES

    holders = {}
    for username, role in UserRole.objects.order_by("user__username").values_list("user__username", "role"):
        holders.setdefault(role, []).append(username)
    chosen = [name for name in PREFERRED if any(name in users for users in holders.values())]
    for role, users in sorted(holders.items()):
        if role not in MACHINE_ROLES and not set(users) & set(chosen):
            chosen.append(users[0])
    return [*chosen, None]


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
    r"^services/requests/new/checklist/$": "an htmx fragment of the new-request form (the form's page "
    "is checked; the fragment alone has no layout)",
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


def internal_codes(pattern, html: str) -> list[str]:
    """Codes of the database (a status, a field name) in the words of a page's main part; what
    sits in <code> (a credit code, a username to type) is meant to be read as it is."""
    main = html[html.find("<main") : html.find("</main>")]
    main = re.sub(r"<(script|style|code)\b.*?</\1>", " ", main, flags=re.S)
    found = sorted(set(pattern.findall(unescape(re.sub(r"<[^>]+>", " ", main)))))
    return found + (["---------"] if ">---------<" in main else [])  # Django's empty choice


def code_pattern():
    """Every lowercase value of a model field's choices, and any snake_case word."""
    values = {
        value
        for model in apps.get_models()
        for model_field in model._meta.fields
        if model_field.choices
        for value, _label in model_field.flatchoices
        if isinstance(value, str) and re.fullmatch(r"[a-z][a-z_]+", value)
    }
    words = "|".join(sorted(values, key=len, reverse=True))
    return re.compile(rf"(?<![\w/.@:-])(?:{words}|[a-z]+(?:_[a-z]+)+)(?![\w/.@:-])")


LINK = re.compile(r'<a\b[^>]*\bhref="(/[^"#]*)"')


def links_refused(client, user, html_pages: dict[str, str], statuses: dict[str, int]) -> list:
    """The links on the role's pages that the role cannot open (403, 404): links a role cannot
    follow are not shown. A link to an object is held to the access policy (is the object among
    those the user may read?) without a request; any other link is asked once, in-process."""
    refused, readable = [], {}
    for url, html in html_pages.items():
        for href in dict.fromkeys(LINK.findall(html)):
            href = href.replace("&amp;", "&")
            path = href.split("?")[0]
            if _not_a_page(path.lstrip("/")) or path.startswith(("/static/", "/media/")):
                continue
            try:
                match = resolve(path)
            except Resolver404:
                refused.append((user.username if user else "anonymous", url, href, 404))
                continue
            rule = rule_for(match.view_name) if user else None
            if rule:
                kind, _read, extra = rule
                own = next((param for param, source in extra.items() if source == "pk"), "pk")
                if kind not in readable:
                    readable[kind] = set(visible(user, kind).values_list("pk", flat=True))
                if int(match.kwargs[own]) not in readable[kind]:
                    refused.append((user.username, url, href, "not readable"))
                continue
            if href not in statuses:
                statuses[href] = client.get(href, HTTP_ACCEPT_LANGUAGE="zh-CN").status_code
            if statuses[href] in (403, 404):
                refused.append((user.username if user else "anonymous", url, href, statuses[href]))
    return refused


def check_role(
    browser, base_url: str, username, urls: list[str], codes_pattern
) -> tuple[list, list, list, int]:
    """Open each page of `urls` as `username` at 390 px: the pages wider than that, the links the
    role cannot follow, the pages showing internal codes, and how many pages were opened.

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
        wide, codes, opened, html_pages, statuses = [], [], 0, {}, {}
        for url in urls:
            answer = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN")
            statuses[url] = answer.status_code
            if answer.status_code != 200 or not answer["Content-Type"].startswith("text/html"):
                continue
            if b"<html" not in answer.content[:1000]:
                continue  # an htmx fragment of another page, not a page
            html_pages[url] = answer.content.decode()
            if found := internal_codes(codes_pattern, html_pages[url]):
                codes.append((username or "anonymous", url, found[:5]))
            documents[base_url + url] = answer
            response = page.goto(url)
            assert response.status == 200, (username, url, response.status)
            assert not username or "/accounts/login/" not in page.url, (username, url, "signed out")
            opened += 1
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                wide.append((username or "anonymous", url, width, page.evaluate(WIDEST)))
        user = User.objects.get(username=username) if username else None
        return wide, links_refused(client, user, html_pages, statuses), codes, opened
    finally:
        context.close()


@pytest.fixture
def seeded_demo(db):
    started = time.monotonic()
    call_command("seed_demo", password=PASSWORD, stdout=open("/dev/null", "w"))  # noqa: SIM115
    print(f"\nseed_demo: {time.monotonic() - started:.1f} s")


def test_no_page_of_any_role_is_wider_than_a_phone(browser, live_server, seeded_demo):
    started = time.monotonic()
    codes_pattern = code_pattern()
    wide, refused, codes, opened = [], [], [], 0
    roles = demo_roles()
    for username in roles:
        user = User.objects.get(username=username) if username else None
        role_started = time.monotonic()
        role_wide, role_refused, role_codes, count = check_role(
            browser, live_server.url, username, page_urls(user), codes_pattern
        )
        print(f"{username}: {count} pages, {time.monotonic() - role_started:.1f} s")
        wide += role_wide
        refused += role_refused
        codes += role_codes
        opened += count
    print(f"\nphone widths: {opened} pages of {len(roles)} roles in {time.monotonic() - started:.1f} s")
    assert opened > 60, f"only {opened} pages opened: the page list or the sign-in is broken"
    assert not wide, "Pages wider than 390 px:\n" + "\n".join(map(str, wide))
    assert not refused, "Links to pages the role cannot open:\n" + "\n".join(map(str, refused))
    assert not codes, "Internal codes on pages (Chinese mode):\n" + "\n".join(map(str, codes))
