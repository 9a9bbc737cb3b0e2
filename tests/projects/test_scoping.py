"""Who sees which project: zone officers and leaders all of them, enterprise staff only their own
enterprise's, everyone else none; "not yours" is the same 404 as "missing"."""

from datetime import date

import pytest

from .factories import LedgerEntryFactory, MilestoneFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects(demo, enterprise_a, enterprise_b):
    return {"a": ProjectFactory(enterprise=enterprise_a), "b": ProjectFactory(enterprise=enterprise_b)}


def test_enterprise_staff_see_only_their_own_projects(api, projects, ent_a):
    body = api(ent_a).get("/api/v1/projects/").json()
    assert [row["id"] for row in body["results"]] == [projects["a"].pk]
    assert api(ent_a).get(f"/api/v1/projects/{projects['a'].pk}/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "",
        "milestones/",
        "ledger/",
        "supervisions/",
        "observations/",
        "ledger.xlsx",
    ],
)
def test_another_enterprises_project_is_404(api, projects, ent_a, path):
    other = projects["b"]
    MilestoneFactory(project=other)
    LedgerEntryFactory(project=other, entry_date=date(2026, 9, 1))
    response = api(ent_a).get(f"/api/v1/projects/{other.pk}/{path}")
    assert response.status_code == 404
    assert api(ent_a).get(f"/api/v1/projects/999999/{path}").status_code == 404


def test_writes_to_another_enterprises_project_are_404(api, projects, ent_a):
    other = projects["b"]
    milestone = MilestoneFactory(project=other)
    client = api(ent_a)
    assert client.post(f"/api/v1/projects/{other.pk}/stage/", {"stage": "suspended"}).status_code == 404
    assert client.patch(f"/api/v1/projects/{other.pk}/milestones/{milestone.pk}/", {}).status_code == 404
    assert client.post(f"/api/v1/projects/{other.pk}/supervisions/", {}).status_code == 404


def test_enterprise_staff_read_but_do_not_write_their_project(api, projects, ent_a):
    own = projects["a"]
    response = api(ent_a).post(
        f"/api/v1/projects/{own.pk}/ledger/",
        {"entry_date": "2026-10-01", "investment_completed": "1", "progress_percent": 1},
        format="json",
    )
    assert response.status_code == 403
    assert api(ent_a).patch(f"/api/v1/projects/{own.pk}/", {"goal": "x"}, format="json").status_code == 403


def test_zone_officers_and_leaders_read_every_project(api, projects, clerk1, leader1, dept_land, park2):
    for user in (clerk1, leader1, dept_land, park2):
        assert api(user).get("/api/v1/projects/").json()["count"] == 2


def test_supervisors_hotline_and_anonymous_see_nothing(api, projects, supervisor1, hotline):
    assert api(supervisor1).get("/api/v1/projects/").json()["count"] == 0
    assert api(supervisor1).get(f"/api/v1/projects/{projects['a'].pk}/").status_code == 404
    # the hotline client uses its intake endpoint only
    assert api(hotline).get("/api/v1/projects/").status_code == 403
    assert api(hotline).get(f"/api/v1/projects/{projects['a'].pk}/").status_code == 403
    assert api().get("/api/v1/projects/").status_code == 401


def test_pages_answer_404_for_another_enterprises_project(client, projects, ent_a):
    client.force_login(ent_a)
    assert client.get(f"/projects/{projects['a'].pk}/").status_code == 200
    for path in ("", "ledger.xlsx"):
        assert client.get(f"/projects/{projects['b'].pk}/{path}").status_code == 404
    assert client.post(f"/projects/{projects['b'].pk}/supervisions/", {}).status_code == 404
    listed = client.get("/projects/").content.decode()
    assert projects["a"].name in listed and projects["b"].name not in listed


def test_the_list_filters_by_park_leader_and_delay(api, demo, admin_user, leader1):
    mine = ProjectFactory(leader=leader1, park=demo.parks["park1"])
    ProjectFactory(park=demo.parks["park2"])
    MilestoneFactory(project=mine, planned_date=date(2026, 1, 1))
    client = api(admin_user)
    assert [r["id"] for r in client.get(f"/api/v1/projects/?leader={leader1.pk}").json()["results"]] == [
        mine.pk
    ]
    assert [r["id"] for r in client.get(f"/api/v1/projects/?park={mine.park_id}").json()["results"]] == [
        mine.pk
    ]
    delayed = client.get("/api/v1/projects/?delayed=true").json()["results"]
    assert [(r["id"], r["is_delayed"], r["health"]) for r in delayed] == [(mine.pk, True, "delayed")]


def test_list_endpoints_query_count_does_not_grow(api, demo, admin_user, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    project = ProjectFactory()
    for _ in range(2):
        ProjectFactory()
        LedgerEntryFactory(project=project, entry_date=date(2026, 9, 1))
    client = api(admin_user)
    client.get("/api/v1/projects/")
    counts = {}
    for url in ("/api/v1/projects/", f"/api/v1/projects/{project.pk}/ledger/"):
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        counts[url] = len(few.captured_queries)
    for _ in range(12):
        MilestoneFactory(project=ProjectFactory())
        LedgerEntryFactory(project=project, entry_date=date(2026, 10, 1))
    for url, count in counts.items():
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200
