"""Each verb allowed and forbidden, through the API (the public face), with the state it leaves."""

import pytest

from feedback.actions import (
    ticket_acknowledge,
    ticket_escalate,
    ticket_whistle,
    whistle_answer,
    whistle_report,
)
from feedback.models import AgendaItem, Extension, Ticket, Whistle
from zone_portal.errors import TransitionForbidden
from zone_portal.events.models import Event
from zone_portal.notifications.models import Notification
from zone_portal.ratings.models import Rectification
from zone_portal.ratings.selectors import rating_for

from .factories import raise_ticket, resolved_ticket, whistled_ticket

pytestmark = pytest.mark.django_db


def post(api, user, ticket, verb, body=None):
    return api(user).post(f"/api/v1/tickets/{ticket.pk}/{verb}/", body or {}, format="json")


def error_code(response):
    return response.json()["error"]["code"]


def test_raise_puts_the_ticket_at_tier_1_with_the_officer(api, org, ent_a, cso1, enterprise_a):
    response = api(ent_a).post(
        "/api/v1/tickets/",
        {"category": "land", "title": "用地规划", "description": "容积率调整"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["tier"] == 1 and body["status"] == "open"
    assert body["owner"]["username"] == "cso1"
    assert body["enterprise"] == {"id": enterprise_a.pk, "name": enterprise_a.name}
    assert body["number"].startswith("SQ") and body["source"] == "enterprise"
    assert [e["kind"] for e in body["events"]] == ["created"]
    assert Notification.objects.filter(recipient=cso1, kind="feedback_new").exists()


def test_raise_validates_and_checks_the_enterprise(api, org, ent_a, enterprise_b):
    bad = api(ent_a).post(
        "/api/v1/tickets/", {"category": "moon", "title": "", "description": "x"}, format="json"
    )
    assert bad.status_code == 400 and {"category", "title"} <= set(bad.json()["error"]["fields"])
    other = api(ent_a).post(
        "/api/v1/tickets/",
        {"enterprise": enterprise_b.pk, "category": "tax", "title": "t", "description": "d"},
        format="json",
    )
    assert other.status_code == 403


def test_officer_recording_a_visit_counts_as_the_first_response(org, cso1):
    ticket = raise_ticket(org, by="cso1", source="visit")
    assert ticket.acknowledged_at == ticket.created_at and ticket.source == "visit"


def test_acknowledge_once_by_the_holder(api, org, cso1, ent_a, park1):
    ticket = raise_ticket(org)
    assert post(api, ent_a, ticket, "acknowledge").status_code == 403
    response = post(api, cso1, ticket, "acknowledge", {"note": "已收到"})
    assert response.status_code == 200 and response.json()["acknowledged_at"]
    again = post(api, park1, ticket, "acknowledge")
    assert again.status_code == 409 and error_code(again) == "transition_forbidden"


def test_whistle_moves_to_tier_2_with_each_department_deadlines(api, org, park1, cso1, dept_land):
    ticket = raise_ticket(org)
    assert post(api, cso1, ticket, "whistle", {"departments": ["land"]}).status_code == 403
    response = post(api, park1, ticket, "whistle", {"departments": ["land", "power"], "note": "请报到"})
    assert response.status_code == 200
    body = response.json()
    assert body["tier"] == 2 and body["owner"]["username"] == "park1"
    departments = {d["code"]: d for d in body["departments"]}
    assert set(departments) == {"land", "power"}
    assert all(
        d["status"] == "whistled" and d["report_due_at"] and d["answer_due_at"] for d in departments.values()
    )
    assert Notification.objects.filter(recipient=dept_land, kind="feedback_whistled").exists()

    again = post(api, park1, ticket, "whistle", {"departments": ["land"]})
    assert again.status_code == 409 and error_code(again) == "conflict"
    unknown = post(api, park1, ticket, "whistle", {"departments": ["nowhere"]})
    assert unknown.status_code == 400


def test_report_then_answer_only_for_ones_own_department(api, org, dept_land, dept_power, dept_tax):
    ticket = whistled_ticket(org, ("land", "power"))
    # Not whistled to tax: the ticket does not exist for dept_tax.
    assert post(api, dept_tax, ticket, "report").status_code == 404
    # The power officer cannot report for land.
    assert post(api, dept_power, ticket, "report", {"department": "land"}).status_code == 403
    early = post(api, dept_land, ticket, "answer", {"text": "答复"})
    assert early.status_code == 409
    report = post(api, dept_land, ticket, "report")
    assert report.status_code == 200
    land = next(d for d in report.json()["departments"] if d["code"] == "land")
    assert land["status"] == "reported" and land["reported_by"]["username"] == "dept_land"
    assert post(api, dept_land, ticket, "report").status_code == 409
    answer = post(api, dept_land, ticket, "answer", {"text": "规划条件变更已受理"})
    land = next(d for d in answer.json()["departments"] if d["code"] == "land")
    assert land["status"] == "answered" and land["answer"] == "规划条件变更已受理"


def test_park_resolves_only_when_every_department_answered(api, org, park1, dept_land, dept_power):
    ticket = whistled_ticket(org, ("land", "power"))
    whistle_report(actor=dept_land, ticket=ticket)
    whistle_answer(actor=dept_land, ticket=ticket, text="已答复")
    refused = post(api, park1, ticket, "resolve", {"resolution": "已解决"})
    assert refused.status_code == 409
    assert "供电公司" in refused.json()["error"]["message"]
    whistle_report(actor=dept_power, ticket=ticket)
    whistle_answer(actor=dept_power, ticket=ticket, text="容量已评估")
    response = post(api, park1, ticket, "resolve", {"resolution": "规划与用电均已落实"})
    assert response.status_code == 200
    assert response.json()["status"] == "resolved" and response.json()["confirm_due_at"]
    assert post(api, park1, ticket, "resolve", {"resolution": "again"}).status_code == 409


def test_a_returned_department_no_longer_blocks_the_park(api, org, park1, dept_power):
    ticket = whistled_ticket(org, ("power",))
    response = post(api, dept_power, ticket, "reassign", {"reason": "不属于供电职责"})
    assert response.status_code == 200
    assert response.json()["departments"][0]["status"] == "returned"
    assert Notification.objects.filter(recipient=park1, kind="feedback_returned").exists()
    assert post(api, park1, ticket, "resolve", {"resolution": "园区协调解决"}).status_code == 200


def test_officer_hands_a_tier1_ticket_back_to_the_park(api, org, cso1, park1):
    ticket = raise_ticket(org)
    response = post(api, cso1, ticket, "reassign", {"reason": "不属于企业服务范围"})
    assert response.status_code == 200 and response.json()["owner"]["username"] == "park1"
    assert Event.objects.filter(object_id=ticket.pk, kind="reassigned", reason="不属于企业服务范围").exists()


def test_a_bad_rating_of_a_ticket_opens_a_rectification_for_whoever_resolved_it(api, org, ent_a, cso1):
    ticket = resolved_ticket(org)
    response = post(api, ent_a, ticket, "confirm", {"solved": True, "score": 2, "comment": "拖了很久"})
    assert response.status_code == 200
    rectification = Rectification.objects.get()
    assert rectification.rating.case == ticket and rectification.rating.is_bad
    assert rectification.handler == cso1
    assert rectification.department == cso1.departments.order_by("code").first()
    assert rectification.rating.enterprise == ticket.enterprise


def test_confirm_solved_closes_and_records_the_rating(api, org, ent_a, ent_b, cso1):
    ticket = resolved_ticket(org)
    assert post(api, ent_b, ticket, "confirm", {"solved": True, "score": 5}).status_code == 404
    assert post(api, cso1, ticket, "confirm", {"solved": True, "score": 5}).status_code == 403
    assert post(api, ent_a, ticket, "confirm", {"solved": True}).status_code == 400
    response = post(api, ent_a, ticket, "confirm", {"solved": True, "score": 4, "comment": "满意"})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "closed" and body["score"] == 4 and body["rating_comment"] == "满意"
    confirmed = [e for e in body["events"] if e["kind"] == "confirmed"]
    assert len(confirmed) == 1 and confirmed[0]["data"] == {"score": 4}
    assert body["events"][-1]["kind"] == "rated"  # the zone's shared good/bad ratings took it
    assert rating_for(ticket).score == 4
    assert not Rectification.objects.exists()
    assert post(api, ent_a, ticket, "confirm", {"solved": True, "score": 4}).status_code == 409
    assert post(api, ent_a, ticket, "comment", {"text": "谢谢"}).status_code == 409


def test_confirm_on_an_open_ticket_is_409(api, org, ent_a):
    ticket = raise_ticket(org)
    assert post(api, ent_a, ticket, "confirm", {"solved": True, "score": 5}).status_code == 409


def test_not_solved_reopens_and_the_second_time_climbs_a_tier(api, org, ent_a, cso1, dept_land):
    ticket = resolved_ticket(org)
    first = post(api, ent_a, ticket, "confirm", {"solved": False, "comment": "仍未解决"})
    assert first.status_code == 200
    assert (first.json()["status"], first.json()["tier"], first.json()["reopen_count"]) == ("open", 1, 1)
    assert first.json()["due_at"]
    post(api, cso1, ticket, "resolve", {"resolution": "再次处理"})
    second = post(api, ent_a, ticket, "confirm", {"solved": False, "comment": "还是没解决"})
    body = second.json()
    assert (body["status"], body["tier"], body["reopen_count"]) == ("open", 2, 2)
    # Nobody chose departments: the category's default ones are whistled.
    assert [d["code"] for d in body["departments"]] == ["land"]


def test_manual_escalation_needs_a_reason_and_stops_at_tier_3(api, org, cso1, park1, leader1):
    ticket = raise_ticket(org)
    assert post(api, cso1, ticket, "escalate", {}).status_code == 400
    assert post(api, cso1, ticket, "escalate", {"reason": "需要园区协调"}).json()["tier"] == 2
    from datetime import timedelta

    from django.utils import timezone

    from feedback.actions import meeting_schedule

    meeting = meeting_schedule(actor=leader1, title="联席会议", starts_at=timezone.now() + timedelta(days=7))
    body = post(api, park1, ticket, "escalate", {"reason": "涉及多部门"}).json()
    assert body["tier"] == 3 and body["owner"]["username"] == "leader1"
    assert AgendaItem.objects.filter(meeting=meeting, ticket=ticket).exists()
    top = post(api, leader1, ticket, "escalate", {"reason": "再升级"})
    assert top.status_code == 409


def test_whistle_at_tier_3_is_409(org, park1):
    ticket = raise_ticket(org)
    ticket_escalate(actor=org.users["cso1"], ticket=ticket, reason="a")
    ticket_escalate(actor=park1, ticket=ticket, reason="b")
    with pytest.raises(TransitionForbidden):
        ticket_whistle(actor=park1, ticket=ticket, departments=["land"])


def test_extension_is_requested_then_decided_by_someone_else(api, org, cso1, park1, leader1):
    ticket = raise_ticket(org)
    ticket_acknowledge(actor=cso1, ticket=ticket)
    due_before = Ticket.objects.get(pk=ticket.pk).due_at
    assert post(api, cso1, ticket, "extend", {"days": 2}).status_code == 400  # a reason is required
    assert post(api, cso1, ticket, "extend", {"days": 2, "reason": "等待现场勘查"}).status_code == 200
    assert post(api, cso1, ticket, "extend", {"days": 1, "reason": "again"}).status_code == 409
    assert post(api, cso1, ticket, "approve-extension", {"approve": True}).status_code == 403
    response = post(api, park1, ticket, "approve-extension", {"approve": True, "note": "同意"})
    assert response.status_code == 200
    ticket.refresh_from_db()
    assert ticket.due_at > due_before and ticket.reminded_at is None
    assert Extension.objects.get().status == "approved"
    assert post(api, leader1, ticket, "approve-extension", {"approve": False}).status_code == 409
    kinds = list(Event.objects.filter(object_id=ticket.pk).values_list("kind", flat=True))
    assert "extension_requested" in kinds and "extension_approved" in kinds


def test_extension_refused_keeps_the_deadline(api, org, cso1, leader1):
    ticket = raise_ticket(org)
    due = ticket.due_at
    post(api, cso1, ticket, "extend", {"days": 3, "reason": "材料未齐"})
    response = post(api, leader1, ticket, "approve-extension", {"approve": False, "note": "不同意"})
    assert response.status_code == 200
    assert Ticket.objects.get(pk=ticket.pk).due_at == due
    assert Extension.objects.get().status == "refused"


def test_whistle_rows_follow_their_transition_table(org, dept_land):
    ticket = whistled_ticket(org, ("land",))
    row = Whistle.objects.get(ticket=ticket)
    assert row.can_become("reported") and not row.can_become("answered")
    whistle_report(actor=dept_land, ticket=ticket)
    row.refresh_from_db()
    assert row.can_become("answered") and not row.can_become("reported")


def test_staff_who_raised_a_ticket_cannot_confirm_and_rate_their_own_work(api, org, cso1):
    ticket = raise_ticket(org, by="cso1", source="visit")
    assert post(api, cso1, ticket, "resolve", {"resolution": "已协调。"}).status_code == 200
    assert post(api, cso1, ticket, "confirm", {"solved": True, "score": 5}).status_code == 403
    assert not Rectification.objects.exists() and rating_for(ticket) is None


def test_an_extension_asked_at_tier_1_does_not_move_the_deadline_after_the_climb(api, org, cso1, leader1):
    ticket = raise_ticket(org)
    assert post(api, cso1, ticket, "extend", {"days": 5, "reason": "等待现场勘查"}).status_code == 200
    ticket_escalate(actor=cso1, ticket=ticket, reason="园区协调")
    climbed = Ticket.objects.get(pk=ticket.pk)
    assert climbed.tier == 2
    response = post(api, leader1, ticket, "approve-extension", {"approve": True, "note": "同意"})
    assert response.status_code == 200
    after = Ticket.objects.get(pk=ticket.pk)
    assert (after.due_at, after.deadline_round) == (climbed.due_at, climbed.deadline_round)
    assert Extension.objects.get().status == "refused"  # asked at tier 1, so refused


def test_a_pending_tier_1_extension_does_not_block_the_next_tiers_holder(api, org, cso1, park1):
    ticket = raise_ticket(org)
    assert post(api, cso1, ticket, "extend", {"days": 5, "reason": "等待现场勘查"}).status_code == 200
    ticket_escalate(actor=cso1, ticket=ticket, reason="园区协调")
    assert post(api, org.users["park1"], ticket, "extend", {"days": 1, "reason": "协调中"}).status_code == 200


def test_a_tier1_hand_over_cannot_be_repeated(api, org, cso1, park1):
    ticket = raise_ticket(org)
    assert post(api, cso1, ticket, "reassign", {"reason": "不属于企业服务范围"}).status_code == 200
    again = post(api, cso1, ticket, "reassign", {"reason": "再交一次"})
    assert again.status_code == 409
    assert Event.objects.filter(object_id=ticket.pk, kind="reassigned").count() == 1
    assert Notification.objects.filter(recipient=park1, kind="feedback_reassigned").count() == 1
