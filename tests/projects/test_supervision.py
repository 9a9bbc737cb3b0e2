"""Weekly supervision (周督导): records, and the weekly flag for a project under construction whose
past week (Monday–Sunday) has no record. Monthly observations (月观摩) with five scores."""

import threading
from datetime import date, timedelta

import pytest
from django.db import close_old_connections, connection

from projects.actions import projects_flag_missing_supervision
from projects.models import Stage, SupervisionGap
from zone_portal.events.models import Event
from zone_portal.notifications.models import Notification

from .factories import ProjectFactory, SupervisionFactory

MONDAY = date(2026, 11, 30)  # the sweep runs in the week of Monday 30 November
PAST_WEEK = date(2026, 11, 23)
LONG_AGO = date(2026, 9, 1)


def under_construction(**kwargs):
    return ProjectFactory(stage=Stage.UNDER_CONSTRUCTION, construction_started_on=LONG_AGO, **kwargs)


@pytest.mark.django_db
def test_a_project_without_last_weeks_record_is_flagged_once(demo):
    missing = under_construction()
    covered = under_construction()
    SupervisionFactory(project=covered, supervised_on=PAST_WEEK + timedelta(days=6))  # Sunday counts
    older = under_construction()
    SupervisionFactory(project=older, supervised_on=PAST_WEEK - timedelta(days=1))  # the week before
    ProjectFactory(stage=Stage.SIGNED, construction_started_on=None)  # not under construction
    ProjectFactory(stage=Stage.SUSPENDED, construction_started_on=LONG_AGO)
    ProjectFactory(stage=Stage.COMPLETED, construction_started_on=LONG_AGO)
    started_midweek = under_construction()
    started_midweek.construction_started_on = PAST_WEEK + timedelta(days=2)
    started_midweek.save()

    assert projects_flag_missing_supervision(today=MONDAY + timedelta(days=2)) == 2
    assert projects_flag_missing_supervision(today=MONDAY + timedelta(days=3)) == 0
    assert set(SupervisionGap.objects.values_list("project_id", "week_start")) == {
        (missing.pk, PAST_WEEK),
        (older.pk, PAST_WEEK),
    }
    assert Event.objects.filter(kind="supervision_missing").count() == 2
    told = Notification.objects.filter(kind="supervision_missing", url=missing.get_absolute_url())
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(
        [missing.leader_id, *missing.team_ids]
    )


@pytest.mark.django_db
def test_the_next_week_is_flagged_on_its_own(demo):
    project = under_construction()
    projects_flag_missing_supervision(today=MONDAY)
    projects_flag_missing_supervision(today=MONDAY + timedelta(days=7))
    assert sorted(SupervisionGap.objects.filter(project=project).values_list("week_start", flat=True)) == [
        PAST_WEEK,
        MONDAY,
    ]


@pytest.mark.django_db
def test_the_weekly_sweep_query_count_does_not_grow(demo, django_assert_num_queries):
    for _ in range(2):
        under_construction()
    with django_assert_num_queries(6) as few:
        assert projects_flag_missing_supervision(today=MONDAY) == 2
    for _ in range(20):
        under_construction()
    with django_assert_num_queries(len(few.captured_queries)):
        assert projects_flag_missing_supervision(today=MONDAY) == 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_weekly_sweeps_flag_once(demo):
    projects = [under_construction() for _ in range(20)]
    barrier = threading.Barrier(2)
    errors = []

    def sweep():
        try:
            barrier.wait()
            projects_flag_missing_supervision(today=MONDAY)
        except Exception as exc:
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert SupervisionGap.objects.count() == 20
    assert Event.objects.filter(kind="supervision_missing").count() == 20
    assert Notification.objects.filter(kind="supervision_missing").count() == 4 * len(projects)


@pytest.mark.django_db
def test_the_leader_records_a_weekly_supervision(api, demo, leader1):
    project = under_construction(leader=leader1)
    response = api(leader1).post(
        f"/api/v1/projects/{project.pk}/supervisions/",
        {"supervised_on": "2026-11-25", "findings": "主体施工正常", "problems": "用电增容待办"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["week_start"] == "2026-11-23"
    assert response.json()["supervisor"] == "leader1"
    listed = api(leader1).get(f"/api/v1/projects/{project.pk}/supervisions/").json()
    assert listed["count"] == 1
    assert projects_flag_missing_supervision(today=MONDAY) == 0


@pytest.mark.django_db
def test_supervision_is_for_projects_under_construction(api, demo, leader1):
    project = ProjectFactory(leader=leader1, stage=Stage.SIGNED)
    response = api(leader1).post(
        f"/api/v1/projects/{project.pk}/supervisions/", {"supervised_on": "2026-11-25", "findings": "x"}
    )
    assert response.status_code == 409


@pytest.mark.django_db
def test_people_outside_the_project_cannot_record(api, demo, cso2, dept_tax, ent_a, enterprise_a):
    project = under_construction(enterprise=enterprise_a)
    for user in (cso2, dept_tax, ent_a):
        response = api(user).post(
            f"/api/v1/projects/{project.pk}/supervisions/", {"supervised_on": "2026-11-25", "findings": "x"}
        )
        assert response.status_code == 403


@pytest.mark.django_db
def test_a_monthly_observation_scores_five_items_once_a_month(api, demo, leader1):
    project = under_construction()
    scores = {
        "progress_score": 18,
        "investment_score": 17,
        "quality_score": 19,
        "safety_score": 20,
        "service_score": 16,
    }
    url = f"/api/v1/projects/{project.pk}/observations/"
    response = api(leader1).post(url, {"observed_on": "2026-11-10", **scores}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["total_score"] == 90 and response.json()["month"] == "2026-11-01"
    again = api(leader1).post(url, {"observed_on": "2026-11-20", **scores}, format="json")
    assert again.status_code == 409
    too_high = api(leader1).post(
        url, {"observed_on": "2026-10-20", **scores, "safety_score": 21}, format="json"
    )
    assert too_high.status_code == 400 and "safety_score" in too_high.json()["error"]["fields"]


@pytest.mark.django_db
def test_only_leaders_and_administrators_score_observations(api, demo, cso1):
    project = under_construction(service_member=cso1)
    response = api(cso1).post(
        f"/api/v1/projects/{project.pk}/observations/",
        {
            "observed_on": "2026-11-10",
            "progress_score": 1,
            "investment_score": 1,
            "quality_score": 1,
            "safety_score": 1,
            "service_score": 1,
        },
        format="json",
    )
    assert response.status_code == 403
