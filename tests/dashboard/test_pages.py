"""The dashboard pages as people see them: tiles, "—" for rates without cases, charts with their
tables, the menu entries and home panels of each role, the English UI, bad dates explained."""

import pytest

from tests.dashboard.conftest import MARCH
from tests.dashboard.test_figures import constructed  # noqa: F401

pytestmark = pytest.mark.django_db


def test_zero_denominators_show_a_dash_on_the_page(client, demo, admin_user):
    client.force_login(admin_user)

    html = client.get("/dashboard/", MARCH).content.decode()

    tile = html[html.index('data-testid="tile-service-on-time-rate"') :]
    assert '<div class="figure">—</div>' in tile[:300]


def test_the_administrator_sees_figures_charts_and_their_tables(client, constructed, admin_user):  # noqa: F811
    client.force_login(admin_user)

    page = client.get("/dashboard/", MARCH)

    html = page.content.decode()
    tile = html[html.index('data-testid="tile-service-on-time-rate"') :][:300]
    assert "83.3%" in tile  # 5 of 6
    for chart in ("chart-trend", "chart-ratings", "chart-rates", "chart-funnel"):
        assert f'data-testid="{chart}"><svg' in html
    for table in (
        "table-trend",
        "table-ratings",
        "table-rates",
        "table-stages",
        "table-by-park",
        "table-by-department",
        "table-by-service",
    ):
        assert f'data-testid="{table}"' in html
    assert "/dashboard/cases/requests-late/?" in html


def test_park_dashboard_shows_the_rank_and_formula(client, demo, constructed):  # noqa: F811
    from tests.projects.factories import ProjectFactory

    ProjectFactory(park=demo.parks["park1"])
    client.force_login(demo.users["park1"])

    page = client.get("/dashboard/park/", MARCH)

    html = page.content.decode()
    assert page.context["scope"].park == demo.parks["park1"]
    assert 'data-testid="park-formula"' in html
    assert 'data-testid="table-by-park"' not in html


def test_department_scoreboard_shows_rank_and_formula(client, demo, constructed):  # noqa: F811
    client.force_login(demo.users["dept_tax"])

    html = client.get("/dashboard/department/", MARCH).content.decode()

    assert 'data-testid="department-rank"' in html
    assert 'data-testid="department-formula"' in html
    assert 'class="own"' in html


def test_a_bad_date_is_explained_with_400(client, admin_user):
    client.force_login(admin_user)

    page = client.get("/dashboard/", {"period": "custom", "from": "2026-02-30"})

    assert page.status_code == 400
    assert 'role="alert"' in page.content.decode()


def test_menu_entries_follow_the_roles(client, demo):
    for username, expected, absent in [
        ("admin", "/dashboard/", "/dashboard/park/"),
        ("park1", "/dashboard/park/", "/dashboard/department/"),
        ("dept_market", "/dashboard/department/", "/dashboard/park/"),
    ]:
        client.force_login(demo.users[username])
        html = client.get("/").content.decode()
        nav = html[html.index('class="mainnav"') : html.index("</nav>")]
        assert f'href="{expected}"' in nav, username
        assert f'href="{absent}"' not in nav, username
        assert 'id="h-home-dashboard"' in html, username
    client.force_login(demo.users["ent_a"])
    html = client.get("/").content.decode()
    assert "/dashboard/" not in html


def test_english_interface(client, constructed, admin_user):  # noqa: F811
    client.force_login(admin_user)

    html = client.get("/dashboard/", MARCH, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Zone dashboard" in html and "On-time rate" in html
