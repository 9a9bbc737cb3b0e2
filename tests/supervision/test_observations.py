"""Observations of blocking points: filed with or without an enterprise, answered by the center or
the department (fixed at once or tracked with a deadline), rated by their supervisor; the sweep
reminds and escalates once per deadline."""

from datetime import timedelta

import pytest
from django.utils import timezone

from supervision import actions, selectors
from supervision.models import Observation, ObservationPhoto
from supervision.sweep import observations_sweep
from tests.supervision.conftest import jpeg
from zone_portal.errors import Conflict, InvalidInput, PermissionDeniedError, TransitionForbidden
from zone_portal.events.models import Event
from zone_portal.notifications.models import Notification
from zone_portal.ratings.models import Rating, Rectification

pytestmark = pytest.mark.django_db


def test_an_observation_about_the_hall_needs_no_enterprise(file_observation, clerk1, admin_user):
    observation = file_observation(photos=[jpeg()])
    assert observation.enterprise is None and observation.status == "submitted"
    assert observation.due_at > observation.risk_at > observation.created_at
    assert ObservationPhoto.objects.get().content_type == "image/jpeg"
    notified = set(Notification.objects.values_list("recipient__username", flat=True))
    assert {"clerk1", "clerk2", "admin"} <= notified  # the service center answers the hall
    assert Event.objects.get(kind="filed").object_id == observation.pk


def test_bad_input_is_refused_with_the_field_and_nothing_written(file_observation, demo):
    with pytest.raises(InvalidInput) as park:
        file_observation(place="park_office")
    assert "park" in park.value.fields
    with pytest.raises(InvalidInput) as category:
        file_observation(category="nonsense")
    assert "category" in category.value.fields
    with pytest.raises(InvalidInput) as photo:
        file_observation(
            photos=[jpeg().__class__("x.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")]
        )
    assert "photos" in photo.value.fields
    assert not Observation.objects.exists()


def test_only_a_supervisor_in_office_files(file_observation, roster, ent_a):
    with pytest.raises(PermissionDeniedError):
        actions.observation_file(actor=ent_a, category="pain", place="hall_window", description="x")
    roster.term_end = roster.term_start = timezone.localdate() - timedelta(days=400)
    roster.save()
    with pytest.raises(PermissionDeniedError):
        file_observation()


def test_fixed_at_once_by_the_center_then_rated_by_its_supervisor(
    file_observation, clerk1, supervisor1, demo
):
    observation = file_observation()
    answered = actions.observation_answer(
        actor=clerk1, observation=observation, measures="当场更换叫号机", fixed_at_once=True
    )
    assert answered.status == "resolved" and answered.fixed_at_once and answered.resolved_at
    with pytest.raises(TransitionForbidden):
        actions.observation_resolve(actor=clerk1, observation=answered, result="again")
    rating = actions.observation_rate(actor=supervisor1, observation=answered, score=5, comment="很及时")
    assert rating.case == answered and rating.rater == supervisor1 and rating.handler == clerk1
    with pytest.raises(Conflict):
        actions.observation_rate(actor=supervisor1, observation=answered, score=4)


def test_a_bad_rating_opens_a_rectification_of_the_answering_department(
    file_observation, dept_market, supervisor1, demo
):
    observation = file_observation(place="department", department=demo.departments["market"])
    actions.observation_answer(
        actor=dept_market, observation=observation, measures="已整改", fixed_at_once=True
    )
    observation.refresh_from_db()
    actions.observation_rate(actor=supervisor1, observation=observation, score=1, comment="没有改")
    assert Rectification.objects.get().department == demo.departments["market"]


def test_only_the_filer_rates_and_only_once_rectified(file_observation, clerk1, leader1, supervisor1):
    observation = file_observation()
    with pytest.raises(Conflict):
        actions.observation_rate(actor=supervisor1, observation=observation, score=5)
    actions.observation_answer(actor=clerk1, observation=observation, measures="修好", fixed_at_once=True)
    observation.refresh_from_db()
    with pytest.raises(PermissionDeniedError):
        actions.observation_rate(actor=leader1, observation=observation, score=5)
    assert not Rating.objects.exists()


def test_tracked_to_the_end_with_a_deadline_of_its_own(file_observation, dept_market, dept_tax, clerk1, demo):
    observation = file_observation(place="department", department=demo.departments["market"])
    with pytest.raises(PermissionDeniedError):  # another department
        actions.observation_answer(actor=dept_tax, observation=observation, measures="x", fixed_at_once=True)
    with pytest.raises(PermissionDeniedError):  # the hall's clerks answer only the center's
        actions.observation_answer(actor=clerk1, observation=observation, measures="x", fixed_at_once=True)
    with pytest.raises(InvalidInput) as missing:
        actions.observation_answer(
            actor=dept_market, observation=observation, measures="排期整改", fixed_at_once=False
        )
    assert "rectify_by" in missing.value.fields
    by = timezone.localdate() + timedelta(days=20)
    tracked = actions.observation_answer(
        actor=dept_market, observation=observation, measures="排期整改", fixed_at_once=False, rectify_by=by
    )
    assert tracked.status == "tracking" and tracked.deadline_round == 2
    assert timezone.localtime(tracked.due_at).date() == by and tracked.risk_at < tracked.due_at
    done = actions.observation_resolve(actor=dept_market, observation=tracked, result="已完成")
    assert done.status == "resolved" and not done.fixed_at_once and not done.was_overdue


def test_departments_see_what_is_theirs_and_supervisors_their_own(
    file_observation, demo, dept_market, dept_tax, clerk1, supervisor1, leader1
):
    center = file_observation()
    market = file_observation(place="department", department=demo.departments["market"])
    seen = {
        u: set(selectors.observations_visible_to(u).values_list("pk", flat=True))
        for u in (dept_market, dept_tax, clerk1, supervisor1, leader1)
    }
    assert seen[dept_market] == {market.pk}
    assert seen[dept_tax] == set()
    assert seen[clerk1] == {center.pk}
    assert seen[supervisor1] == seen[leader1] == {center.pk, market.pk}


def test_the_sweep_reminds_and_escalates_once_per_deadline(
    file_observation, demo, dept_market, leader1, admin_user
):
    observation = file_observation(place="department", department=demo.departments["market"])
    assert observations_sweep(now=observation.risk_at) == {"reminded": 1, "overdue": 0}
    assert observations_sweep(now=observation.risk_at) == {"reminded": 0, "overdue": 0}
    assert observations_sweep(now=observation.due_at) == {"reminded": 0, "overdue": 1}
    assert observations_sweep(now=observation.due_at + timedelta(days=1)) == {"reminded": 0, "overdue": 0}
    escalated = set(
        Notification.objects.filter(kind="observation_overdue").values_list("recipient__username", flat=True)
    )
    assert {"dept_market", "leader1", "admin"} <= escalated
    assert "dept_tax" not in escalated
    # Tracked with a new deadline: a new round, reminded and escalated once more.
    observation.refresh_from_db()
    by = timezone.localdate() + timedelta(days=10)
    tracked = actions.observation_answer(
        actor=dept_market, observation=observation, measures="排期", fixed_at_once=False, rectify_by=by
    )
    assert tracked.was_overdue is False or tracked.answered_at >= observation.due_at
    assert observations_sweep(now=tracked.due_at) == {"reminded": 1, "overdue": 1}
    assert observations_sweep(now=tracked.due_at) == {"reminded": 0, "overdue": 0}
    assert Event.objects.filter(kind="overdue", object_id=observation.pk).count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_escalate_each_observation_exactly_once(file_observation, demo, leader1):
    from tests.concurrency import run_together

    observations = [file_observation(place_detail=f"{i}号窗口") for i in range(5)]
    late = max(o.due_at for o in observations) + timedelta(hours=1)
    results = run_together(lambda: observations_sweep(now=late), lambda: observations_sweep(now=late))
    assert all(kind == "ok" for kind, _value in results)
    assert sum(value["overdue"] for _kind, value in results) == 5
    assert Event.objects.filter(kind="overdue").count() == 5
    assert Notification.objects.filter(kind="observation_overdue", recipient=leader1).count() == 5
