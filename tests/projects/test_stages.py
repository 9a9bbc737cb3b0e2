"""Stages: the allowed path, suspension and resumption, each change an event with date and who."""

from datetime import timedelta

import pytest
from django.utils import timezone

from projects.actions import project_change_stage
from projects.models import Stage
from zone_portal.errors import InvalidInput, PermissionDeniedError, TransitionForbidden
from zone_portal.events.log import events_for

from .factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_the_leader_moves_the_project_along_with_date_and_who(api, demo, leader1):
    project = ProjectFactory(leader=leader1, stage=Stage.SIGNED, construction_started_on=None)
    day = timezone.localdate() - timedelta(days=2)
    response = api(leader1).post(
        f"/api/v1/projects/{project.pk}/stage/",
        {"stage": "construction_started", "date": str(day)},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["stage"] == "construction_started"
    event = body["events"][-1]
    assert (event["kind"], event["actor"], event["from_state"], event["to_state"]) == (
        "stage_changed",
        "leader1",
        "signed",
        "construction_started",
    )
    assert event["data"]["date"] == str(day)
    project.refresh_from_db()
    assert project.construction_started_on == day and project.stage_changed_on == day


def test_a_stage_cannot_be_skipped(api, demo, leader1):
    project = ProjectFactory(leader=leader1, stage=Stage.SIGNED)
    response = api(leader1).post(
        f"/api/v1/projects/{project.pk}/stage/", {"stage": "completed"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "transition_forbidden"
    project.refresh_from_db()
    assert project.stage == Stage.SIGNED
    assert not [e for e in events_for(project) if e.kind == "stage_changed"]


def test_suspension_needs_a_reason_and_resumes_where_it_stopped(demo, leader1):
    project = ProjectFactory(leader=leader1, stage=Stage.UNDER_CONSTRUCTION)
    with pytest.raises(InvalidInput):
        project_change_stage(actor=leader1, project=project, to_stage=Stage.SUSPENDED)
    project = project_change_stage(
        actor=leader1, project=project, to_stage=Stage.SUSPENDED, reason="资金未到位"
    )
    assert project.allowed_stages() == [Stage.UNDER_CONSTRUCTION]
    with pytest.raises(TransitionForbidden):
        project_change_stage(actor=leader1, project=project, to_stage=Stage.COMPLETED)
    project = project_change_stage(actor=leader1, project=project, to_stage=Stage.UNDER_CONSTRUCTION)
    assert project.stage == Stage.UNDER_CONSTRUCTION and project.suspended_from == ""


def test_in_production_is_the_end(demo, admin_user):
    project = ProjectFactory(stage=Stage.IN_PRODUCTION)
    assert project.allowed_stages() == []
    with pytest.raises(TransitionForbidden):
        project_change_stage(actor=admin_user, project=project, to_stage=Stage.SUSPENDED, reason="x")


def test_a_future_date_is_refused(demo, leader1):
    project = ProjectFactory(leader=leader1, stage=Stage.SIGNED)
    with pytest.raises(InvalidInput):
        project_change_stage(
            actor=leader1,
            project=project,
            to_stage=Stage.CONSTRUCTION_STARTED,
            on_date=timezone.localdate() + timedelta(days=1),
        )


def test_only_the_projects_leader_or_an_administrator_changes_the_stage(api, demo, leader1, park1):
    other_leaders = ProjectFactory(stage=Stage.SIGNED)
    assert (
        api(leader1).post(f"/api/v1/projects/{other_leaders.pk}/stage/", {"stage": "suspended"}).status_code
        == 403
    )
    with pytest.raises(PermissionDeniedError):
        project_change_stage(
            actor=other_leaders.service_member, project=other_leaders, to_stage=Stage.SUSPENDED
        )


def test_administrator_moves_the_stage_by_patch(api, demo, admin_user):
    project = ProjectFactory(stage=Stage.NEGOTIATING)
    response = api(admin_user).patch(f"/api/v1/projects/{project.pk}/", {"stage": "signed"}, format="json")
    assert response.status_code == 200 and response.json()["stage"] == "signed"
    response = api(admin_user).patch(
        f"/api/v1/projects/{project.pk}/", {"stage": "in_production"}, format="json"
    )
    assert response.status_code == 409
