"""The summary is a fixed number of aggregate queries: the same for 3 and for 30 of every kind of
row, for the zone, a park and a department; the drill-down lists are pinned too."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import Stage
from tests.dashboard.conftest import MARCH
from tests.dashboard.factories import at, completed, make_request, rate_case, rectify
from tests.factories import EnterpriseFactory
from tests.projects.factories import MilestoneFactory, ProjectFactory
from zone_portal.dashboard.rollup import refresh

pytestmark = pytest.mark.django_db


def add_rows(n, *, demo, catalog, ent_a):
    parks = list(demo.parks.values())
    for i in range(n):
        enterprise = EnterpriseFactory(park=parks[i % len(parks)], patents=i % 3)
        service = list(catalog.values())[i % len(catalog)]
        accepted = at(2026, 3, 2, 9) + timedelta(hours=i)
        done = completed(
            service,
            by=ent_a,
            enterprise=enterprise,
            accepted_at=accepted,
            closed_at=accepted + timedelta(hours=2),
        )
        make_request(service, by=ent_a, enterprise=enterprise, submitted_at=accepted)
        rating = rate_case(done, score=1 + i % 5, rater=ent_a, created_at=accepted + timedelta(hours=3))
        if rating.score <= 2:
            rectify(
                rating,
                opened_at=accepted,
                verify_due_at=accepted + timedelta(days=1),
                fix_due_at=accepted + timedelta(days=15),
            )
        project = ProjectFactory(
            park=parks[i % len(parks)], stage=[Stage.SIGNED, Stage.UNDER_CONSTRUCTION][i % 2]
        )
        MilestoneFactory(project=project)


def count_queries(client, url, params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    return len(captured)


USERS = [("admin", {}), ("admin", {"park": "PARK1"}), ("park1", {}), ("dept_tax", {})]


@pytest.mark.parametrize("username, params", USERS)
def test_summary_query_count_does_not_grow_with_the_data(
    client, demo, catalog, ent_a, settle, username, params
):
    client.force_login(demo.users[username])
    params = {**MARCH, **{k: demo.parks["park1"].pk for k in params}}
    add_rows(3, demo=demo, catalog=catalog, ent_a=ent_a)
    settle()
    count_queries(client, "/api/v1/dashboard/summary/", params)  # warm the calendar and content types
    few = count_queries(client, "/api/v1/dashboard/summary/", params)

    add_rows(30, demo=demo, catalog=catalog, ent_a=ent_a)
    settle()
    many = count_queries(client, "/api/v1/dashboard/summary/", params)

    assert few == many
    # the summary's queries (benefits: ledger, by policy, vouchers, city figure, credit lines, loans;
    # supervision: weights and indicator results; safety: inspections, hazards, parks), plus the
    # session, the user and their roles
    assert many <= 52


@pytest.mark.parametrize("username, params", USERS)
def test_summary_query_count_is_bounded_before_any_refresh_and_with_cases_changed(
    client, demo, catalog, ent_a, username, params
):
    """Before any refresh every day is read from the cases; with cases changed since, their
    counts now are read: one more query per fact with changed cases (per 500 of them; their kept
    counts come with the kept days), whatever the number of rows."""
    client.force_login(demo.users[username])
    params = {**MARCH, **{k: demo.parks["park1"].pk for k in params}}
    add_rows(3, demo=demo, catalog=catalog, ent_a=ent_a)
    count_queries(client, "/api/v1/dashboard/summary/", params)
    never_refreshed = count_queries(client, "/api/v1/dashboard/summary/", params)
    add_rows(30, demo=demo, catalog=catalog, ent_a=ent_a)
    assert count_queries(client, "/api/v1/dashboard/summary/", params) == never_refreshed

    refresh()
    add_rows(30, demo=demo, catalog=catalog, ent_a=ent_a)  # changed since: added to the rollups
    changed = count_queries(client, "/api/v1/dashboard/summary/", params)
    add_rows(30, demo=demo, catalog=catalog, ent_a=ent_a)
    assert count_queries(client, "/api/v1/dashboard/summary/", params) == changed
    assert changed <= 61  # on PostgreSQL the handling times ask their cases' calendar span first


def test_pinned_query_count_of_the_zone_summary(
    api, demo, catalog, ent_a, admin_user, settle, django_assert_num_queries
):
    add_rows(5, demo=demo, catalog=catalog, ent_a=ent_a)
    settle()
    client = api(admin_user)
    client.get("/api/v1/dashboard/summary/", MARCH)
    # What changed since the last refresh: its watermark; tickets changed, tickets rated,
    # whistles, action items, requests changed, requests rated, ratings, rated kinds' cases
    # changed or rated (a UNION ALL over the kinds); marked cases; cases past a deadline (11).
    # Rollup reads: requests filed and closed, ratings (every rated kind of case), tickets,
    # departments' tickets, whistles and notices (7); what is open now: requests, tickets, departments'
    # tickets by whistle and by action item, pending whistles (5); rectifications (1); the rating
    # coverage of every rated kind of case (1, its rollup).
    # Handling-time histograms; the services and departments they name (2); the two weekly
    # trends (2 each); parks and departments to compare (2); enterprises (2); projects
    # (settings, aggregate, ranking); benefits (ledger, by policy, vouchers, the city's figure,
    # credit lines, loans: 6); supervision: the administrators' 四比四看 weights and the
    # quarter's indicator results (2); work safety (inspections and hazards by park, the parks: 3).
    with django_assert_num_queries(50):
        assert client.get("/api/v1/dashboard/summary/", MARCH).status_code == 200


@pytest.mark.parametrize(
    "metric", ["requests-completed", "ratings", "rectifications-open", "enterprises-patents"]
)
def test_drill_down_pages_have_a_bounded_query_count(client, demo, catalog, ent_a, metric):
    client.force_login(demo.users["admin"])
    add_rows(3, demo=demo, catalog=catalog, ent_a=ent_a)
    count_queries(client, f"/dashboard/cases/{metric}/", MARCH)
    few = count_queries(client, f"/dashboard/cases/{metric}/", MARCH)
    add_rows(30, demo=demo, catalog=catalog, ent_a=ent_a)
    assert count_queries(client, f"/dashboard/cases/{metric}/", MARCH) == few


def test_dashboard_page_query_count_does_not_grow_with_the_data(client, demo, catalog, ent_a):
    client.force_login(demo.users["admin"])
    add_rows(3, demo=demo, catalog=catalog, ent_a=ent_a)
    count_queries(client, "/dashboard/", MARCH)
    few = count_queries(client, "/dashboard/", MARCH)
    add_rows(30, demo=demo, catalog=catalog, ent_a=ent_a)
    assert count_queries(client, "/dashboard/", MARCH) == few
