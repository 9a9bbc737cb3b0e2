"""The delay sweep: an open milestone past its planned date makes the project delayed; the sweep
records it once, tells the leader and the trio once, whatever the number of runs or projects."""

import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from projects.actions import milestone_update, projects_flag_delays
from projects.models import Project
from zone_portal.events.models import Event
from zone_portal.notifications.models import Notification

from .factories import MilestoneFactory, ProjectFactory

TODAY = timezone.localdate()


def _delay_events():
    return Event.objects.filter(kind="milestone_delayed")


@pytest.mark.django_db
def test_a_passed_planned_date_makes_the_project_delayed_and_is_recorded_once(api, demo, admin_user):
    project = ProjectFactory()
    late = MilestoneFactory(project=project, name="主体封顶", planned_date=TODAY - timedelta(days=1))
    MilestoneFactory(project=project, planned_date=TODAY + timedelta(days=60))
    MilestoneFactory(
        project=project, planned_date=TODAY - timedelta(days=9), actual_date=TODAY - timedelta(days=9)
    )

    assert api(admin_user).get(f"/api/v1/projects/{project.pk}/").json()["is_delayed"] is True
    assert projects_flag_delays() == 1
    assert projects_flag_delays() == 0  # a rerun changes nothing
    event = _delay_events().get()
    assert event.object_id == project.pk and event.data["milestone"] == "主体封顶"
    told = Notification.objects.filter(kind="project_delayed")
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(
        [project.leader_id, *project.team_ids]
    )
    assert "主体封顶" in told.first().title
    late.refresh_from_db()
    assert late.delay_flagged_for == late.planned_date


@pytest.mark.django_db
def test_a_milestone_due_today_is_not_delayed_yet(demo):
    MilestoneFactory(planned_date=TODAY)
    assert projects_flag_delays() == 0
    assert projects_flag_delays(today=TODAY + timedelta(days=1)) == 1


@pytest.mark.django_db
def test_reaching_the_milestone_ends_the_delay(api, demo, admin_user):
    milestone = MilestoneFactory(planned_date=TODAY - timedelta(days=3))
    projects_flag_delays()
    milestone_update(actor=admin_user, milestone=milestone, actual_date=TODAY)
    body = api(admin_user).get(f"/api/v1/projects/{milestone.project_id}/").json()
    assert body["is_delayed"] is False
    assert projects_flag_delays() == 0


@pytest.mark.django_db
def test_a_replanned_milestone_that_slips_again_is_recorded_again(demo, admin_user):
    milestone = MilestoneFactory(planned_date=TODAY - timedelta(days=10))
    assert projects_flag_delays() == 1
    milestone_update(
        actor=admin_user, milestone=milestone, planned_date=TODAY - timedelta(days=2), reason="设计变更"
    )
    assert projects_flag_delays() == 1
    assert projects_flag_delays() == 0
    assert _delay_events().count() == 2


@pytest.mark.django_db
def test_the_sweep_query_count_does_not_grow_with_projects(demo, django_assert_num_queries):
    for _ in range(2):
        MilestoneFactory(planned_date=TODAY - timedelta(days=5))
    with django_assert_num_queries(6) as few:
        assert projects_flag_delays() == 2
    for _ in range(20):
        MilestoneFactory(planned_date=TODAY - timedelta(days=5))
    with django_assert_num_queries(len(few.captured_queries)):
        assert projects_flag_delays() == 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_record_each_delay_once(demo):
    milestones = [MilestoneFactory(planned_date=TODAY - timedelta(days=4)) for _ in range(30)]
    barrier = threading.Barrier(2)
    results, errors = [], []

    def sweep():
        try:
            barrier.wait()
            results.append(projects_flag_delays())
        except Exception as exc:  # surfaced below
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
    assert sum(results) == 30
    assert _delay_events().count() == 30
    recipients = 4 * len(milestones)
    assert Notification.objects.filter(kind="project_delayed").count() == recipients
    assert Project.objects.count() == 30


@pytest.mark.django_db
def test_milestones_run_on_the_cases_clock_kept_in_dates(demo):
    """A milestone is a clock kept in dates: overdue the day after its planned date, at risk from
    `at_risk_days` before it. The Python form and the query agree on every edge."""
    from projects.models import Milestone
    from projects.selectors import milestone_lateness_q
    from zone_portal.cases.lateness import Lateness, lateness_on

    offsets = (-30, -1, 0, 1, 13, 14, 15, 90)
    for days in offsets:
        MilestoneFactory(planned_date=TODAY + timedelta(days=days))
    rows = Milestone.objects.all()
    python = {m.pk: lateness_on(TODAY, due_on=m.planned_date, at_risk_days=14) for m in rows}

    for state in (Lateness.OVERDUE, Lateness.AT_RISK, Lateness.ON_TRACK):
        query = set(rows.filter(milestone_lateness_q(state, TODAY, 14)).values_list("pk", flat=True))
        assert query == {pk for pk, s in python.items() if s == state}, state
    by_offset = {(m.planned_date - TODAY).days: python[m.pk] for m in rows}
    assert by_offset == {
        -30: Lateness.OVERDUE,
        -1: Lateness.OVERDUE,
        0: Lateness.AT_RISK,
        1: Lateness.AT_RISK,
        13: Lateness.AT_RISK,
        14: Lateness.AT_RISK,
        15: Lateness.ON_TRACK,
        90: Lateness.ON_TRACK,
    }
