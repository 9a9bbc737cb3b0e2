"""Pages people read all day show words, not codes, and no link they cannot follow (issue 14)."""

import re

import pytest
from django.urls import reverse

from feedback.actions import whistle_answer, whistle_report

from .factories import whistled_ticket

pytestmark = pytest.mark.django_db


def _timeline(html: str) -> str:
    return html[html.index('class="timeline"') :]


def test_the_timeline_names_a_whistles_states_in_words(client, org, park1, dept_land):
    ticket = whistled_ticket(org, ("land",))
    whistle_report(actor=dept_land, ticket=ticket)
    whistle_answer(actor=dept_land, ticket=ticket, text="已处理")
    client.force_login(park1)
    timeline = _timeline(client.get(reverse("feedback:detail", args=[ticket.pk])).content.decode())
    for code in ("whistled", "reported", "answered", "— →"):
        assert not re.search(rf">[^<]*{code}[^<]*<", timeline), code
    assert "已吹哨" in timeline and "已报到" in timeline


def test_statistics_filters_show_iso_dates_and_named_empty_choices(client, org, admin_user):
    client.force_login(admin_user)
    html = client.get(reverse("feedback:statistics")).content.decode()
    assert re.search(r'type="date" name="start" value="\d{4}-01-01"', html)
    assert "---------" not in html
    assert "全部园区" in html and "全部部门" in html and "全部类别" in html


def test_statistics_link_a_noticed_problem_only_for_who_may_open_it(client, org, supervisor1, admin_user):
    from feedback.sweep import tickets_sweep

    ticket = whistled_ticket(org, ("land",))  # March 2026: long overdue, so it is publicly noticed
    tickets_sweep()
    link = reverse("feedback:detail", args=[ticket.pk])
    client.force_login(admin_user)
    assert link in client.get(reverse("feedback:statistics")).content.decode()
    client.force_login(supervisor1)
    html = client.get(reverse("feedback:statistics")).content.decode()
    assert ticket.number in html and link not in html
