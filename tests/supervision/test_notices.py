"""Supervision's notifications are codes with parameters: the department and the administrators
read them in the language each chose, the category named in that language."""

import pytest

from supervision import actions, notices
from supervision.sweep import observations_sweep

from ..notices import reads, subjects

pytestmark = pytest.mark.django_db


def test_a_filed_observation_reads_in_each_responders_language(
    file_observation, demo, dept_market, admin_user
):
    reads(dept_market, "en")
    observation = file_observation(place="department", department=demo.departments["market"])
    n = observation.pk
    assert subjects(dept_market, notices.TO_ANSWER) == [
        f"A supervisor's observation to answer: #{n} Blocking point (堵点)"
    ]
    assert subjects(admin_user, notices.TO_ANSWER) == [f"待答复的监督意见：#{n} 堵点"]


def test_the_overdue_sweep_reads_in_each_recipients_language(file_observation, demo, dept_market, admin_user):
    reads(dept_market, "en")
    observation = file_observation(place="department", department=demo.departments["market"])
    assert observations_sweep(now=observation.due_at)["overdue"] == 1
    assert subjects(dept_market, notices.OVERDUE) == [f"Observation #{observation.pk} is overdue"]
    assert subjects(admin_user, notices.OVERDUE) == [f"监督意见 #{observation.pk} 已超期"]


def test_the_service_center_is_named_in_the_readers_language_on_the_timeline(
    file_observation, demo, admin_user, client
):
    from django.urls import reverse

    observation = file_observation(place="hall_window")
    actions.observation_assign(
        actor=admin_user, observation=observation, department=demo.departments["market"]
    )
    actions.observation_assign(actor=admin_user, observation=observation, department=None)
    client.force_login(admin_user)
    url = reverse("supervision:observation", args=[observation.pk])
    assert "Service center" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "服务中心" in client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
