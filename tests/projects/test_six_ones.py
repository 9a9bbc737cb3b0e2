"""The "six ones": every part required, the leader a leader, the trio one from each department."""

from decimal import Decimal

import pytest

from projects.models import Project, Stage
from zone_portal.events.log import events_for
from zone_portal.notifications.models import Notification

from .factories import leader, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def trio(demo):
    return [member_of("investment"), member_of("enterprise_service"), member_of("platform")]


@pytest.fixture
def payload(demo, enterprise_a, leader1, trio):
    return {
        "name": "光伏组件材料项目",
        "enterprise": enterprise_a.pk,
        "park": demo.parks["park3"].pk,
        "industry": "新能源",
        "content": "年产5GW光伏组件封装材料生产线",
        "total_investment": "1200000000.00",
        "leader": leader1.pk,
        "team": [u.pk for u in trio],
        "goal": "2027年6月建成投产，年产值15亿元",
        "target_date": "2027-06-30",
    }


def test_administrator_creates_a_project_with_all_six_ones(api, admin_user, payload, leader1, trio):
    response = api(admin_user).post("/api/v1/projects/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["stage"] == "negotiating" and body["is_delayed"] is False
    assert body["team"] == [u.pk for u in trio]
    assert body["team_members"]["platform"]["id"] == trio[2].pk
    project = Project.objects.get(pk=body["id"])
    assert project.total_investment == Decimal("1200000000.00")
    assert [e.kind for e in events_for(project)] == ["project_created"]
    told = set(Notification.objects.filter(kind="project_assigned").values_list("recipient_id", flat=True))
    assert told == {leader1.pk, *[u.pk for u in trio]}


def test_team_order_does_not_matter(api, admin_user, payload, trio):
    payload["team"] = [trio[2].pk, trio[0].pk, trio[1].pk]
    body = api(admin_user).post("/api/v1/projects/", payload, format="json").json()
    project = Project.objects.get(pk=body["id"])
    assert (project.investment_member, project.service_member, project.platform_member) == tuple(trio)


@pytest.mark.parametrize(
    "missing", ["name", "enterprise", "park", "leader", "team", "goal", "target_date", "total_investment"]
)
def test_a_missing_one_is_a_400_naming_it(api, admin_user, payload, missing):
    payload.pop(missing)
    response = api(admin_user).post("/api/v1/projects/", payload, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    error = response.json()["error"]
    assert list(error["fields"]) == [missing]
    assert "six ones" in error["message"]
    assert not Project.objects.exists()


def test_every_missing_one_is_named_at_once_in_chinese(api, admin_user):
    response = api(admin_user).post("/api/v1/projects/", {"name": "空项目"}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert set(error["fields"]) == {
        "enterprise",
        "park",
        "industry",
        "content",
        "total_investment",
        "leader",
        "team",
        "goal",
        "target_date",
    }
    assert "六个一" in error["message"] and "分包领导" in error["message"] and "服务团队" in error["message"]


def test_zero_investment_is_not_a_project(api, admin_user, payload):
    payload["total_investment"] = "0"
    response = api(admin_user).post("/api/v1/projects/", payload, format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["total_investment"]


def test_the_leader_must_hold_the_leader_role(api, admin_user, payload, park1):
    payload["leader"] = park1.pk
    response = api(admin_user).post("/api/v1/projects/", payload, format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["leader"]


def test_the_trio_needs_the_three_departments(api, admin_user, payload, trio, dept_land):
    payload["team"] = [trio[0].pk, trio[1].pk, dept_land.pk]
    response = api(admin_user).post("/api/v1/projects/", payload, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    error = response.json()["error"]
    assert "investment, enterprise service and platform" in error["message"]
    assert "平台部" in error["fields"]["team"][0]  # names the department that has nobody


def test_the_trio_is_three_different_people(api, admin_user, payload, trio):
    payload["team"] = [trio[0].pk, trio[0].pk, trio[1].pk]
    response = api(admin_user).post("/api/v1/projects/", payload, format="json")
    assert response.status_code == 400 and "team" in response.json()["error"]["fields"]


def test_one_person_in_two_departments_cannot_fill_two_places(api, admin_user, payload, trio, demo):
    both = member_of("investment")
    both.departments.add(demo.departments["platform"])
    payload["team"] = [both.pk, trio[1].pk, member_of("enterprise_service").pk]
    response = api(admin_user).post("/api/v1/projects/", payload, format="json")
    assert response.status_code == 400
    payload["team"] = [both.pk, trio[1].pk, trio[0].pk]  # both fills platform, trio[0] investment
    assert api(admin_user).post("/api/v1/projects/", payload, format="json").status_code == 201


def test_only_administrators_create_projects(api, leader1, cso1, payload):
    for user in (leader1, cso1):
        assert api(user).post("/api/v1/projects/", payload, format="json").status_code == 403
    assert not Project.objects.exists()


def test_administrator_changes_the_leader_and_the_trio(api, admin_user, payload, trio):
    project_id = api(admin_user).post("/api/v1/projects/", payload, format="json").json()["id"]
    new_leader, new_platform = leader(), member_of("platform")
    response = api(admin_user).patch(
        f"/api/v1/projects/{project_id}/",
        {"leader": new_leader.pk, "team": [trio[0].pk, trio[1].pk, new_platform.pk]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["leader"] == new_leader.pk
    assert response.json()["team_members"]["platform"]["id"] == new_platform.pk
    updated = [e for e in response.json()["events"] if e["kind"] == "project_updated"]
    assert updated[0]["data"]["fields"] == ["leader", "platform_member"]


def test_an_update_cannot_remove_one_of_the_six(api, admin_user, payload):
    project_id = api(admin_user).post("/api/v1/projects/", payload, format="json").json()["id"]
    response = api(admin_user).patch(f"/api/v1/projects/{project_id}/", {"goal": ""}, format="json")
    assert response.status_code == 400 and list(response.json()["error"]["fields"]) == ["goal"]
    assert Project.objects.get(pk=project_id).goal == payload["goal"]


def test_a_project_can_start_at_a_later_stage(api, admin_user, payload):
    payload |= {"stage": "under_construction", "stage_date": "2026-03-01"}
    body = api(admin_user).post("/api/v1/projects/", payload, format="json").json()
    project = Project.objects.get(pk=body["id"])
    assert project.stage == Stage.UNDER_CONSTRUCTION
    assert str(project.construction_started_on) == "2026-03-01"
