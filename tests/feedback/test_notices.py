"""The problems' notifications are codes with parameters: the same message reads in English for
the department that chose English and in Chinese for the one that did not, from the actions and
from the sweep's INSERT … SELECT alike."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from feedback import notices
from zone_portal.notifications.models import Notification

from ..notices import email, reads, subjects
from .factories import resolved_ticket, whistled_ticket

pytestmark = pytest.mark.django_db


def test_a_whistle_reads_in_each_departments_language(org, dept_land, dept_power, settings):
    settings.SITE_URL = "https://zone.example.cn"
    reads(dept_land, "en")
    reads(dept_power, "zh-hans")
    ticket = whistled_ticket(org)
    label = f"{ticket.number} 用地规划调整"
    assert subjects(dept_land, notices.WHISTLED) == [f"Whistle: report to this problem · {label}"]
    assert subjects(dept_power, notices.WHISTLED) == [f"吹哨：请及时报到 · {label}"]
    text = email(dept_land, notices.WHISTLED)
    assert "请报到" in text  # the park's note, as written
    assert "https://zone.example.cn" + reverse("feedback:detail", args=[ticket.pk]) in text


def test_the_sweeps_reminder_reads_in_each_departments_language(org, dept_land, dept_power):
    reads(dept_land, "en")
    ticket = whistled_ticket(org)
    remind_at = ticket.whistles.get(department__code="land").report_remind_at
    call_command("sweep_deadlines", "--as-of", remind_at.isoformat())
    label = f"{ticket.number} 用地规划调整"
    assert subjects(dept_land, notices.REPORT_REMINDER) == [f"Reminder: report to this problem · {label}"]
    assert subjects(dept_power, notices.REPORT_REMINDER) == [f"催办：请按时报到 · {label}"]
    row = Notification.objects.get(recipient=dept_land, code=notices.REPORT_REMINDER)
    assert row.title == f"催办：请按时报到 · {label}"  # stored in the portal's language for text-only readers


def test_the_inbox_shows_the_message_in_the_pages_language(client, org, dept_land):
    ticket = whistled_ticket(org)
    client.force_login(dept_land)
    english = client.get(reverse("inbox"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Whistle: report to this problem · {ticket.number}" in english
    chinese = client.get(reverse("inbox"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f"吹哨：请及时报到 · {ticket.number}" in chinese


def test_a_climb_for_a_second_reopening_gives_its_reason_in_the_readers_language(client, org, park1):
    from feedback.actions import ticket_confirm, ticket_resolve

    from .conftest import at

    ent_a, cso1 = org.users["ent_a"], org.users["cso1"]
    ticket = ticket_confirm(
        actor=ent_a, ticket=resolved_ticket(org), solved=False, comment="没解决", now=at(3)
    )
    ticket = ticket_resolve(actor=cso1, ticket=ticket, resolution="再次解决", now=at(3, 10))
    ticket = ticket_confirm(actor=ent_a, ticket=ticket, solved=False, comment="还是没解决", now=at(3, 11))
    ticket.refresh_from_db()
    assert ticket.tier == 2 and ticket.owner == park1
    reads(park1, "en")
    assert subjects(park1, notices.ESCALATED_REOPENED) == [f"Escalated to you · {ticket.number} 用地规划调整"]
    assert "Reopened a second time" in email(park1, notices.ESCALATED_REOPENED)
    dept_land = reads(org.users["dept_land"], "en")  # whistled automatically as the category's
    assert subjects(dept_land, notices.WHISTLED_REOPENED) == [
        f"Whistle: report to this problem · {ticket.number} 用地规划调整"
    ]
    assert "Reopened a second time" in email(dept_land, notices.WHISTLED_REOPENED)
    client.force_login(park1)
    url = reverse("feedback:detail", args=[ticket.pk])
    assert "Reopened a second time" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Reopened a second time" not in client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
