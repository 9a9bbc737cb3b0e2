"""Tier 3: joint meetings take the waiting tickets, minutes assign action items tracked to done."""

from datetime import timedelta

import pytest
from django.utils import timezone

from feedback.actions import ticket_escalate
from feedback.models import ActionItem

from .factories import raise_ticket

pytestmark = pytest.mark.django_db


def tier3(org, title="会议议题"):
    ticket = raise_ticket(org, title=title, now=timezone.now())
    ticket_escalate(actor=org.users["cso1"], ticket=ticket, reason="园区协调")
    ticket_escalate(actor=org.users["park1"], ticket=ticket, reason="多部门")
    return ticket


def test_leader_schedules_a_meeting_that_takes_the_waiting_tickets(api, org, leader1, park1):
    ticket = tier3(org)
    starts = (timezone.now() + timedelta(days=3)).isoformat()
    assert (
        api(park1).post("/api/v1/meetings/", {"title": "x", "starts_at": starts}, format="json").status_code
        == 403
    )
    response = api(leader1).post(
        "/api/v1/meetings/",
        {"title": "第十三次联席会议", "starts_at": starts, "location": "三楼"},
        format="json",
    )
    assert response.status_code == 201
    assert [a["id"] for a in response.json()["agenda"]] == [ticket.pk]
    second = api(leader1).post("/api/v1/meetings/", {"title": "下一次", "starts_at": starts}, format="json")
    assert second.json()["agenda"] == []  # already on a scheduled meeting's agenda


def test_minutes_assign_action_items_that_departments_complete(api, org, leader1, dept_land, dept_tax):
    ticket = tier3(org)
    meeting = (
        api(leader1)
        .post("/api/v1/meetings/", {"title": "会议", "starts_at": timezone.now().isoformat()}, format="json")
        .json()
    )
    bad = api(leader1).post(
        f"/api/v1/meetings/{meeting['id']}/minutes/",
        {"minutes": "纪要", "actions": [{"ticket": 999999, "department": "land", "description": "x"}]},
        format="json",
    )
    assert bad.status_code == 400
    response = api(leader1).post(
        f"/api/v1/meetings/{meeting['id']}/minutes/",
        {
            "minutes": "会议决定",
            "actions": [{"ticket": ticket.pk, "department": "land", "description": "出具意见"}],
        },
        format="json",
    )
    assert response.status_code == 200 and response.json()["status"] == "held"
    item = ActionItem.objects.get()
    assert item.due_at > timezone.now()
    assert (
        api(leader1)
        .post(f"/api/v1/meetings/{meeting['id']}/minutes/", {"minutes": "again"}, format="json")
        .status_code
        == 409
    )

    # The leader cannot resolve while the action item is open.
    refused = api(leader1).post(f"/api/v1/tickets/{ticket.pk}/resolve/", {"resolution": "r"}, format="json")
    assert refused.status_code == 409
    assert (
        api(dept_tax)
        .post(f"/api/v1/action-items/{item.pk}/complete/", {"note": "n"}, format="json")
        .status_code
        == 404
    )
    done = api(dept_land).post(
        f"/api/v1/action-items/{item.pk}/complete/", {"note": "意见已出具"}, format="json"
    )
    assert done.status_code == 200 and done.json()["status"] == "done"
    resolved = api(leader1).post(
        f"/api/v1/tickets/{ticket.pk}/resolve/", {"resolution": "会议事项均已落实"}, format="json"
    )
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"


def test_meetings_are_not_for_enterprises(api, org, ent_a, leader1):
    api(leader1).post(
        "/api/v1/meetings/", {"title": "会议", "starts_at": timezone.now().isoformat()}, format="json"
    )
    assert api(ent_a).get("/api/v1/meetings/").json()["count"] == 0


def test_minutes_give_no_action_item_to_a_problem_resolved_since_the_meeting_was_scheduled(api, org, leader1):
    ticket = tier3(org)
    meeting = (
        api(leader1)
        .post("/api/v1/meetings/", {"title": "会议", "starts_at": timezone.now().isoformat()}, format="json")
        .json()
    )
    resolved = api(leader1).post(
        f"/api/v1/tickets/{ticket.pk}/resolve/", {"resolution": "会前已解决"}, format="json"
    )
    assert resolved.status_code == 200
    response = api(leader1).post(
        f"/api/v1/meetings/{meeting['id']}/minutes/",
        {"minutes": "纪要", "actions": [{"ticket": ticket.pk, "department": "land", "description": "x"}]},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["error"]["fields"] == {"actions.0.ticket": ["已不在办理中。"]}
    assert ticket.number in response.json()["error"]["message"]
    assert not ActionItem.objects.exists()


def test_minutes_of_a_meeting_not_yet_started_are_refused(api, org, leader1, client):
    ticket = tier3(org)
    starts = timezone.now() + timedelta(days=2)
    meeting = (
        api(leader1)
        .post("/api/v1/meetings/", {"title": "会议", "starts_at": starts.isoformat()}, format="json")
        .json()
    )
    response = api(leader1).post(
        f"/api/v1/meetings/{meeting['id']}/minutes/",
        {"minutes": "纪要", "actions": [{"ticket": ticket.pk, "department": "land", "description": "x"}]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 409
    assert response.json()["error"]["message"].startswith("This meeting has not started yet")
    assert api(leader1).get(f"/api/v1/meetings/{meeting['id']}/").json()["status"] == "scheduled"
    assert not ActionItem.objects.exists()

    client.force_login(leader1)
    page = client.get(f"/problems/meetings/{meeting['id']}/")
    assert page.status_code == 200 and not page.context["can_record"]
