"""Every figure drills down to the cases behind it: a list with as many rows as the figure,
in the same scope, each row linking to its case."""

import pytest

from tests.dashboard.conftest import MARCH
from tests.dashboard.test_figures import constructed  # noqa: F401 - the constructed data set
from zone_portal.dashboard.drilldown import METRICS
from zone_portal.dashboard.periods import period_from_params
from zone_portal.dashboard.scope import Scope
from zone_portal.dashboard.selectors import dashboard_summary

pytestmark = pytest.mark.django_db

# metric → where its figure sits in the summary
FIGURES = {
    "requests-submitted": ("service_requests", "submitted"),
    "requests-completed": ("service_requests", "completed"),
    "requests-on-time": ("service_requests", "on_time"),
    "requests-late": ("service_requests", "late"),
    "requests-agency": ("service_requests", "agency"),
    "requests-rejected": ("service_requests", "rejected"),
    "requests-overdue": ("service_requests", "overdue_now"),
    "requests-open": ("service_requests", "open_now"),
    "ratings": ("ratings", "total"),
    "ratings-bad": ("ratings", "bad"),
    "rectifications-opened": ("ratings", "rectifications", "opened"),
    "rectifications-open": ("ratings", "rectifications", "open"),
    "rectifications-overdue": ("ratings", "rectifications", "overdue"),
}


def figure(summary, path):
    for key in path:
        summary = summary[key]
    return summary


@pytest.mark.parametrize("scope_kind", ["zone", "park1", "approval"])
def test_each_list_has_as_many_cases_as_its_figure(client, constructed, demo, admin_user, scope_kind):  # noqa: F811
    scope = {
        "zone": Scope(),
        "park1": Scope(park=demo.parks["park1"]),
        "approval": Scope(department=demo.departments["approval"]),
    }[scope_kind]
    summary = dashboard_summary(scope, period_from_params(MARCH), user=admin_user)
    client.force_login(admin_user)

    for metric, path in FIGURES.items():
        page = client.get(f"/dashboard/cases/{metric}/", {**MARCH, **scope.as_params()})
        assert page.status_code == 200, metric
        assert page.context["page"].paginator.count == figure(summary, path), metric


def test_unrated_and_bundle_lists_complete_their_rates(client, constructed, admin_user):  # noqa: F811
    summary = dashboard_summary(Scope(), period_from_params(MARCH), user=admin_user)
    client.force_login(admin_user)
    coverage = summary["service_requests"]["coverage"]

    unrated = client.get("/dashboard/cases/requests-unrated/", MARCH).context["page"].paginator.count
    assert unrated == coverage["completed"] - coverage["rated"]
    bundles = client.get("/dashboard/cases/bundles-completed/", MARCH).context["page"].paginator.count
    assert bundles == summary["service_requests"]["bundles"]["completed"]


def test_list_rows_link_to_their_cases(client, constructed, admin_user):  # noqa: F811
    client.force_login(admin_user)

    page = client.get("/dashboard/cases/requests-late/", MARCH)

    late = constructed["late"]
    assert f'href="/services/requests/{late.pk}/"' in page.content.decode()
    assert late.number in page.content.decode()
    assert page.context["page"].paginator.count == 1


def test_service_and_level_filters(client, constructed, catalog, admin_user):  # noqa: F811
    client.force_login(admin_user)

    seals = client.get(
        "/dashboard/cases/requests-completed/", {**MARCH, "service": catalog["seal-engraving"].pk}
    )
    assert seals.context["page"].paginator.count == 3
    very_bad = client.get("/dashboard/cases/ratings/", {**MARCH, "score": 1})
    assert very_bad.context["page"].paginator.count == 1
    assert client.get("/dashboard/cases/ratings/", {**MARCH, "score": "x"}).status_code == 400


def test_requests_without_a_park_have_their_list(client, constructed, admin_user):  # noqa: F811
    client.force_login(admin_user)

    page = client.get("/dashboard/cases/requests-submitted/", {**MARCH, "without_park": "1"})

    assert [r.pk for r in page.context["page"]] == [constructed["founding"].pk]


def test_a_park_director_drills_only_into_their_park(client, constructed, demo):  # noqa: F811
    client.force_login(demo.users["park1"])

    mine = client.get("/dashboard/cases/requests-completed/", MARCH)
    assert mine.context["page"].paginator.count == 5
    assert constructed["park2"].number not in mine.content.decode()
    assert (
        client.get(
            "/dashboard/cases/requests-completed/", {**MARCH, "park": demo.parks["park2"].pk}
        ).status_code
        == 404
    )


def test_a_department_officer_drills_only_into_their_department(client, constructed, demo):  # noqa: F811
    client.force_login(demo.users["dept_tax"])

    mine = client.get("/dashboard/cases/requests-completed/", MARCH)
    assert {r.service.code for r in mine.context["page"]} == {"invoice"}
    approval = demo.departments["approval"].pk
    assert (
        client.get("/dashboard/cases/requests-completed/", {**MARCH, "department": approval}).status_code
        == 404
    )


def test_unknown_metric_is_not_found(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/dashboard/cases/everything/").status_code == 404


def test_every_metric_has_a_page(client, constructed, admin_user):  # noqa: F811
    client.force_login(admin_user)
    for metric in METRICS:
        assert client.get(f"/dashboard/cases/{metric}/", MARCH).status_code == 200, metric
