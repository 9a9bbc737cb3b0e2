"""Branded error pages in the portal's layout (Chinese first), the favicon, the admin's name, and the
login page's ways in for people without an account."""

from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.urls("tests.foundation.error_urls")

LAYOUT = (
    'class="topbar"',
    "高新区企业服务门户",
    'class="foot"',
    "/static/css/portal.css",
    "/static/favicon.svg",
)


def _page(response) -> str:
    return response.content.decode()


def _has_layout(page: str) -> bool:
    return all(piece in page for piece in LAYOUT)


@pytest.mark.django_db
def test_a_missing_page_is_a_branded_404_with_the_menu_of_the_signed_in_user(client, demo, clerk1):
    client.force_login(clerk1)
    response = client.get("/no-such-page/")
    page = _page(response)
    assert response.status_code == 404
    assert _has_layout(page) and 'data-testid="error-page"' in page
    assert "页面不存在" in page and 'href="/"' in page
    assert 'class="mainnav"' in page and "/services/queue/" in page  # the clerk's own menu
    assert "Page not found" not in page  # Chinese first


@pytest.mark.django_db
def test_a_404_of_another_enterprise_says_the_same_as_a_missing_page(client, demo, ent_a):
    client.force_login(ent_a)
    response = client.get("/calendar/")  # administrators only: a 404, as for a page that does not exist
    assert response.status_code == 404 and "页面不存在" in _page(response)


@pytest.mark.django_db
def test_an_anonymous_404_offers_sign_in_and_no_menu(client):
    page = _page(client.get("/no-such-page/"))
    assert _has_layout(page) and 'href="/accounts/login/"' in page and 'class="mainnav"' not in page


@pytest.mark.django_db
def test_a_refusal_is_a_branded_403_with_the_menu(client, demo, clerk1):
    client.force_login(clerk1)
    response = client.get("/test-errors/forbidden/")
    page = _page(response)
    assert response.status_code == 403
    assert _has_layout(page) and "无权访问" in page and 'class="mainnav"' in page


@pytest.mark.django_db
def test_an_expired_form_is_a_branded_403():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert _has_layout(_page(response)) and "表单已过期" in _page(response)


def test_a_bug_is_a_branded_500_that_needs_no_database():
    # No database mark: pytest-django fails any query, so this page is rendered without a database.
    client = Client(raise_request_exception=False)
    response = client.get("/test-errors/broken/")
    page = _page(response)
    assert response.status_code == 500
    assert _has_layout(page) and "系统出错了" in page and 'href="/"' in page
    assert "Traceback" not in page and "RuntimeError" not in page


def test_the_favicon_is_a_static_file_and_favicon_ico_leads_to_it(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/favicon.svg"
    from django.contrib.staticfiles import finders

    svg = finders.find("favicon.svg")
    assert svg and Path(svg).read_text(encoding="utf-8").lstrip().startswith("<svg")


@pytest.mark.django_db
def test_the_admin_is_branded_in_chinese(client, demo, admin_user):
    client.force_login(admin_user)
    page = _page(client.get("/admin/"))
    assert (
        "高新区企业服务门户 · 管理后台" in page and "<title>数据管理 | 企业服务门户管理后台</title>" in page
    )
    assert "Django" not in page.split("<body")[1].split("</header>")[0]
    login = _page(Client().get("/admin/login/"))
    assert "高新区企业服务门户 · 管理后台" in login


@pytest.mark.django_db
def test_the_login_page_links_to_the_account_request_and_the_public_figures(client):
    page = _page(client.get("/accounts/login/"))
    assert '<a href="/enterprises/account-request/">申请企业账号</a>' in page
    assert '<a href="/dashboard/public/">高新区服务数据公开</a>' in page
    assert client.get("/enterprises/account-request/").status_code == 200
    assert client.get("/dashboard/public/").status_code == 200
