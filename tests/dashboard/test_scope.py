"""Who sees which figures: administrators any scope, a park's staff only their park, a department
officer only their department; enterprise staff and other roles are refused."""

import pytest

from tests.dashboard.conftest import MARCH
from tests.dashboard.factories import at, completed
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/dashboard/summary/"


@pytest.fixture
def two_parks(demo, catalog, ent_a, enterprise_a):
    other = EnterpriseFactory(name="远景光电有限公司", park=demo.parks["park2"])
    completed(
        catalog["seal-engraving"],
        by=ent_a,
        enterprise=enterprise_a,
        accepted_at=at(2026, 3, 3, 9),
        closed_at=at(2026, 3, 3, 10),
    )
    for day in (4, 5):
        completed(
            catalog["invoice"],
            by=ent_a,
            enterprise=other,
            accepted_at=at(2026, 3, day, 9),
            closed_at=at(2026, 3, day, 10),
        )
    return demo


def test_park_director_gets_their_own_park_by_default(api, park1, two_parks):
    body = api(park1).get(URL, MARCH).json()

    assert body["scope"]["kind"] == "park"
    assert body["scope"]["park"]["id"] == two_parks.parks["park1"].pk
    assert body["service_requests"]["completed"] == 1
    assert body["by_park"] is None  # no other park's figures


def test_park_director_cannot_ask_for_another_park(api, park1, two_parks):
    response = api(park1).get(URL, {**MARCH, "park": two_parks.parks["park2"].pk})

    assert response.status_code == 404
    assert api(park1).get(URL, {**MARCH, "department": two_parks.departments["tax"].pk}).status_code == 404


def test_administrator_may_look_at_any_park(api, admin_user, two_parks):
    body = api(admin_user).get(URL, {**MARCH, "park": two_parks.parks["park2"].pk}).json()

    assert body["scope"]["park"]["name"] == two_parks.parks["park2"].name
    assert body["service_requests"]["completed"] == 2
    assert api(admin_user).get(URL, {**MARCH, "park": 999999}).status_code == 404
    assert api(admin_user).get(URL, {**MARCH, "park": "one"}).status_code == 400


def test_department_officer_sees_only_their_department(api, dept_tax, dept_market, two_parks):
    body = api(dept_tax).get(URL, MARCH).json()

    assert body["scope"]["department"]["code"] == "tax"
    assert body["service_requests"]["completed"] == 2
    assert body["enterprises"] is None and body["projects"] is None
    market = two_parks.departments["market"]
    assert api(dept_tax).get(URL, {**MARCH, "department": market.pk}).status_code == 404
    assert api(dept_tax).get(URL, {**MARCH, "park": two_parks.parks["park1"].pk}).status_code == 404


@pytest.mark.parametrize("username", ["ent_a", "ent_b", "clerk1", "hotline", "supervisor1"])
def test_other_roles_are_refused(api, demo, username):
    assert api(demo.users[username]).get(URL, MARCH).status_code == 403


def test_anonymous_is_asked_to_sign_in(api, demo):
    assert api().get(URL, MARCH).status_code == 401


def test_pages_answer_404_to_those_without_the_role(client, demo):
    client.force_login(demo.users["ent_a"])
    for url in (
        "/dashboard/",
        "/dashboard/park/",
        "/dashboard/department/",
        "/dashboard/cases/requests-submitted/",
        "/dashboard/export.xlsx",
    ):
        assert client.get(url).status_code == 404, url
    client.force_login(demo.users["park1"])
    assert client.get("/dashboard/")["Location"] == "/dashboard/park/"  # their own, not a bare 404
    assert client.get("/dashboard/department/").status_code == 404
    assert client.get("/dashboard/park/").status_code == 200


def test_a_director_of_two_parks_picks_one_of_them(client, demo, two_parks):
    director = UserFactory(roles=["park_director"], parks=[demo.parks["park2"], demo.parks["park3"]])
    client.force_login(director)

    page = client.get("/dashboard/park/", {**MARCH, "park": demo.parks["park3"].pk})
    assert page.status_code == 200
    assert page.context["scope"].park == demo.parks["park3"]
    assert client.get("/dashboard/park/", {**MARCH, "park": demo.parks["park1"].pk}).status_code == 404


def test_anonymous_page_visitors_are_sent_to_sign_in(client, demo):
    response = client.get("/dashboard/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
