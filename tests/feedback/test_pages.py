"""The pages: each role's page renders what it should, scoped, with a pinned number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feedback.actions import whistle_report
from zone_portal.ratings.selectors import rating_for

from .factories import raise_ticket, resolved_ticket, whistled_ticket

pytestmark = pytest.mark.django_db


def page(client, user, url, status=200):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_the_list_says_each_problems_status_beside_how_late_it_is(client, org, ent_a):
    """The status column named only the lateness (正常, 超期) of an open problem; it says both."""
    open_one = raise_ticket(org, title="道路问题")
    html = page(client, ent_a, reverse("feedback:list"))
    row = html.split(open_one.number, 1)[1].split("</tr>", 1)[0]
    assert '<td>办理中 <span class="sla sla-' in row


def test_a_finished_problems_page_names_its_status_once(client, org, ent_a):
    """A problem no longer open showed its status twice in the title bar (the lateness badge
    falls back to the status); the badge is for open problems only."""
    done = resolved_ticket(org, title="已解决的道路问题")
    html = page(client, ent_a, reverse("feedback:detail", args=[done.pk]))
    assert 'data-testid="status"' in html and "sla-done" not in html


def test_enterprise_sees_its_problems_and_not_the_others(client, org, ent_a, ent_b):
    mine = raise_ticket(org, title="甲企业的问题")
    theirs = raise_ticket(org, title="乙企业的问题", enterprise="B", by="ent_b")
    html = page(client, ent_a, reverse("feedback:list"))
    assert "甲企业的问题" in html and "乙企业的问题" not in html
    page(client, ent_a, reverse("feedback:detail", args=[theirs.pk]), status=404)
    detail = page(client, ent_a, reverse("feedback:detail", args=[mine.pk]))
    assert mine.number in detail and "首席服务员 张伟" in detail


def test_list_board_and_inbox_queries_do_not_grow_with_rows(client, org, park1, dept_land, ent_a):
    whistled_ticket(org, ("land",), title="first")
    pages = [(park1, "feedback:board"), (dept_land, "feedback:department"), (ent_a, "feedback:list")]
    counts = {}
    for user, name in pages:
        client.force_login(user)
        client.get(reverse(name))
        with CaptureQueriesContext(connection) as run:
            client.get(reverse(name))
        counts[name] = len(run)
    for i in range(8):
        whistled_ticket(org, ("land", "power"), title=f"more {i}")
    for user, name in pages:
        client.force_login(user)
        with CaptureQueriesContext(connection) as run:
            assert client.get(reverse(name)).status_code == 200
        assert len(run) == counts[name], name


def test_park_whistles_from_the_board(client, org, park1):
    ticket = raise_ticket(org)
    client.force_login(park1)
    board = client.get(reverse("feedback:board")).content.decode()
    assert ticket.number in board
    response = client.post(
        reverse("feedback:act", args=[ticket.pk, "whistle"]),
        {"departments": ["land", "power"], "note": "请报到", "next": reverse("feedback:board")},
    )
    assert response.status_code == 302 and response["Location"] == reverse("feedback:board")
    ticket.refresh_from_db()
    assert ticket.tier == 2 and ticket.whistles.count() == 2


def test_a_refused_action_comes_back_as_a_message(client, org, park1):
    ticket = whistled_ticket(org, ("land",))
    client.force_login(park1)
    response = client.post(
        reverse("feedback:act", args=[ticket.pk, "resolve"]), {"resolution": "r"}, follow=True
    )
    assert "自然资源和规划局" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == "open"


def test_department_inbox_shows_overdue_in_red_and_reports(client, org, dept_land):
    ticket = whistled_ticket(org, ("land",))  # March 2026: long overdue
    html = page(client, dept_land, reverse("feedback:department"))
    assert ticket.number in html and 'class="overdue"' in html
    client.post(reverse("feedback:act", args=[ticket.pk, "report"]), {"department": "land"})
    assert ticket.whistles.get().status == "reported"


def test_enterprise_confirms_and_rates_on_the_page(client, org, ent_a):
    ticket = resolved_ticket(org)
    html = page(client, ent_a, reverse("feedback:detail", args=[ticket.pk]))
    assert "非常满意" in html
    client.post(
        reverse("feedback:act", args=[ticket.pk, "confirm"]), {"solved": "1", "score": "5", "comment": "好"}
    )
    ticket.refresh_from_db()
    assert (ticket.status, rating_for(ticket).score) == ("closed", 5)


def test_the_timeline_names_every_step(client, org, park1, dept_land):
    ticket = whistled_ticket(org, ("land",))
    whistle_report(actor=dept_land, ticket=ticket)
    html = page(client, park1, reverse("feedback:detail", args=[ticket.pk]))
    for label in ("提交诉求", "升级", "吹哨", "报到", "自然资源 吴静"):
        assert label in html, label


def test_raise_page_creates_a_ticket_with_an_attachment(client, org, ent_a, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(ent_a)
    form = client.get(reverse("feedback:new")).content.decode()
    assert "中金科技有限公司" in form and "华创材料有限公司" not in form
    response = client.post(
        reverse("feedback:new"),
        {
            "enterprise": org.enterprises["A"].pk,
            "category": "land",
            "title": "规划许可",
            "description": "说明",
            "urgency": "normal",
            "files": [SimpleUploadedFile("现场.pdf", b"%PDF-1.4", content_type="application/pdf")],
        },
    )
    assert response.status_code == 302
    ticket = org.enterprises["A"].tickets.get()
    assert [a.name for a in ticket.attachments.all()] == ["现场.pdf"]
    download = client.get(reverse("feedback:attachment", args=[ticket.pk, ticket.attachments.get().pk]))
    assert download.status_code == 200
    client.force_login(org.users["ent_b"])
    assert (
        client.get(reverse("feedback:attachment", args=[ticket.pk, ticket.attachments.get().pk])).status_code
        == 404
    )


def test_a_file_of_the_wrong_type_is_refused(client, org, ent_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(ent_a)
    response = client.post(
        reverse("feedback:new"),
        {
            "enterprise": org.enterprises["A"].pk,
            "category": "land",
            "title": "t",
            "description": "d",
            "urgency": "normal",
            "files": [SimpleUploadedFile("run.exe", b"MZ")],
        },
    )
    assert response.status_code == 400
    assert not org.enterprises["A"].tickets.exists()


def test_policies_page_is_for_administrators(client, org, admin_user, park1):
    html = page(client, admin_user, reverse("feedback:policies"))
    assert "自然资源和规划局" in html
    page(client, park1, reverse("feedback:policies"), status=404)


def test_statistics_page_shows_the_figures(client, org, admin_user):
    resolved_ticket(org)
    html = page(client, admin_user, reverse("feedback:statistics") + "?start=2026-01-01&end=2026-12-31")
    assert 'data-testid="received">1<' in html and 'data-testid="resolution-rate">100.0%<' in html


def test_meetings_pages(client, org, leader1):
    client.force_login(leader1)
    response = client.post(
        reverse("feedback:meetings"),
        {"title": "联席会议", "starts_at": "2026-12-20T15:00", "location": "三楼"},
    )
    assert response.status_code == 302
    assert "联席会议" in client.get(response["Location"]).content.decode()
