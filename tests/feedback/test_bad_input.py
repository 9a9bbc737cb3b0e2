"""Bad input answers a clear 400 (or 404), never a 500, and writes nothing."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from feedback.actions import ticket_attach, ticket_escalate
from feedback.models import ActionItem, JointMeeting

from .factories import raise_ticket

pytestmark = pytest.mark.django_db

FAR_DATES = ["0001-01-01T00:00", "9999-12-31T23:59:59", "1900-01-01T09:00"]


@pytest.mark.parametrize("starts_at", FAR_DATES)
def test_api_refuses_a_meeting_far_in_the_past_or_future(api, org, leader1, starts_at):
    response = api(leader1).post(
        "/api/v1/meetings/", {"title": "会议", "starts_at": starts_at}, format="json"
    )
    assert response.status_code == 400
    assert "starts_at" in response.json()["error"]["fields"]
    assert not JointMeeting.objects.exists()
    assert api(leader1).get("/api/v1/meetings/").status_code == 200


@pytest.mark.parametrize("starts_at", FAR_DATES)
def test_meeting_page_refuses_a_far_date_with_the_form(client, org, leader1, starts_at):
    client.force_login(leader1)
    response = client.post(reverse("feedback:meetings"), {"title": "会议", "starts_at": starts_at})
    assert response.status_code == 400
    assert response.context["form"].errors["starts_at"]
    assert not JointMeeting.objects.exists()
    assert client.get(reverse("feedback:meetings")).status_code == 200


def test_a_meeting_within_the_window_is_accepted(api, org, leader1):
    starts = (timezone.now() + timedelta(days=400)).isoformat()
    response = api(leader1).post("/api/v1/meetings/", {"title": "会议", "starts_at": starts}, format="json")
    assert response.status_code == 201


@pytest.mark.parametrize("due_at", ["9999-12-31T23:59:59", "0001-01-01T00:00"])
def test_minutes_refuse_an_action_item_due_far_away(api, org, leader1, due_at):
    ticket = raise_ticket(org, title="议题", now=timezone.now())
    ticket_escalate(actor=org.users["cso1"], ticket=ticket, reason="园区协调")
    ticket_escalate(actor=org.users["park1"], ticket=ticket, reason="多部门")
    meeting = (
        api(leader1)
        .post("/api/v1/meetings/", {"title": "会议", "starts_at": timezone.now().isoformat()}, format="json")
        .json()
    )
    response = api(leader1).post(
        f"/api/v1/meetings/{meeting['id']}/minutes/",
        {
            "minutes": "纪要",
            "actions": [{"ticket": ticket.pk, "department": "land", "description": "x", "due_at": due_at}],
        },
        format="json",
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert fields.get("actions.0.due_at") or fields["actions"]["0"]["due_at"]  # the action's or the parser's
    assert JointMeeting.objects.get().status == JointMeeting.Status.SCHEDULED
    assert not ActionItem.objects.exists()


@pytest.mark.parametrize(
    ("start", "end"),
    [("2026-01-01", "9999-12-31"), ("0001-01-01", "2026-01-01"), ("2026-03-01", "2026-01-01")],
)
def test_statistics_refuse_an_insane_range_with_the_form(client, org, leader1, start, end):
    client.force_login(leader1)
    response = client.get(reverse("feedback:statistics"), {"start": start, "end": end})
    assert response.status_code == 400
    assert response.context["form"].errors


@pytest.mark.parametrize("category", ["\x00", "nonsense"])
def test_ticket_list_ignores_an_unknown_category(client, org, cso1, category):
    raise_ticket(org, title="看得见的问题")
    client.force_login(cso1)
    response = client.get(reverse("feedback:list"), {"category": category})
    assert response.status_code == 200
    assert "看得见的问题" in response.content.decode()


def test_a_missing_attachment_file_answers_404(client, org, ent_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ticket = raise_ticket(org, title="有附件的问题")
    (attachment,) = ticket_attach(
        actor=ent_a, ticket=ticket, files=[SimpleUploadedFile("现场.pdf", b"%PDF-1.4")]
    )
    attachment.file.delete(save=False)
    client.force_login(ent_a)
    response = client.get(reverse("feedback:attachment", args=[ticket.pk, attachment.pk]))
    assert response.status_code == 404


def test_attachments_follow_the_service_upload_rules_by_content(org, ent_a, settings, tmp_path):
    from zone_portal.errors import InvalidInput

    settings.MEDIA_ROOT = tmp_path
    ticket = raise_ticket(org, title="附件规则")
    with pytest.raises(InvalidInput) as refused:
        ticket_attach(
            actor=ent_a, ticket=ticket, files=[SimpleUploadedFile("合同.pdf", b"MZ\x90\x00program")]
        )
    assert "合同.pdf" in str(refused.value.fields["files"][0])
    assert not ticket.attachments.exists()
    (kept,) = ticket_attach(
        actor=ent_a, ticket=ticket, files=[SimpleUploadedFile("现场 照片.pdf", b"%PDF-1.4")]
    )
    assert kept.name == "现场 照片.pdf"
    assert "现场" not in kept.file.name and kept.file.name.endswith(".pdf")  # generated name on disk


def test_an_attachment_is_stored_and_served_as_its_content_not_its_name(
    client, org, ent_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    ticket = raise_ticket(org, title="伪装的附件")
    (attachment,) = ticket_attach(
        actor=ent_a,
        ticket=ticket,
        files=[SimpleUploadedFile("poly.html", b"%PDF-1.4", content_type="text/html")],
    )
    assert attachment.name == "poly.html"  # kept for display only
    assert not attachment.file.name.endswith(".html") and attachment.file.name.endswith(".pdf")
    client.force_login(ent_a)
    response = client.get(reverse("feedback:attachment", args=[ticket.pk, attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "poly" not in disposition and "html" not in disposition


def test_a_ticket_holds_at_most_the_configured_number_of_files(org, ent_a, settings, tmp_path):
    from zone_portal.errors import Conflict

    settings.MEDIA_ROOT = tmp_path
    settings.UPLOAD_MAX_FILES_PER_CASE = 2
    ticket = raise_ticket(org, title="很多附件")
    ticket_attach(
        actor=ent_a, ticket=ticket, files=[SimpleUploadedFile(f"{n}.pdf", b"%PDF-1.4") for n in "ab"]
    )
    with pytest.raises(Conflict):
        ticket_attach(actor=ent_a, ticket=ticket, files=[SimpleUploadedFile("c.pdf", b"%PDF-1.4")])
    assert ticket.attachments.count() == 2
