"""Pages people read all day show words, not codes, and no link they cannot follow (issue 14)."""

import re

import pytest
from django.urls import reverse

from feedback.actions import whistle_answer, whistle_report

from .factories import raise_ticket, whistled_ticket

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


def test_the_enterprise_page_tells_the_enterprises_whole_story(client, org, ent_a, ent_b, cso1):
    """Its problems (feedback), requests and ratings (services), projects (projects) on the
    register's page, through the panel registry, scoped to the reader; its officer's phone."""
    from zone_portal.ratings.actions import rating_submit

    from .factories import resolved_ticket

    mine = raise_ticket(org, title="甲企业的用电问题")
    theirs = raise_ticket(org, enterprise="B", by="ent_b", title="乙企业的问题")
    done = resolved_ticket(org, title="已解决的问题")
    rating_submit(actor=ent_a, case=done, score=5, enterprise=org.enterprises["A"])
    client.force_login(ent_a)
    html = client.get(reverse("enterprises:detail", args=[org.enterprises["A"].pk])).content.decode()
    for anchor in ("requests", "problems", "projects", "ratings"):
        assert f'data-testid="panel-{anchor}"' in html, anchor
    problems = html[html.index('data-testid="panel-problems"') :]
    assert reverse("feedback:detail", args=[mine.pk]) in problems and "甲企业的用电问题" in problems
    assert theirs.title not in html
    ratings = html[html.index('data-testid="panel-ratings"') :]
    assert "非常满意" in ratings
    assert 'data-testid="officer-phone"' in html and cso1.phone in html


def test_a_projects_problems_link_to_them(client, org, admin_user):
    from tests.projects.factories import ProjectFactory

    project = ProjectFactory(enterprise=org.enterprises["A"])
    ticket = raise_ticket(org, project=project)
    client.force_login(admin_user)
    html = client.get(project.get_absolute_url()).content.decode()
    assert f'href="{reverse("feedback:detail", args=[ticket.pk])}"' in html


def test_an_empty_choice_is_said_in_words_not_dashes(client, org, ent_a, clerk1):
    client.force_login(ent_a)
    html = client.get(reverse("feedback:new")).content.decode()
    assert "---------" not in html and "请选择" in html
    client.force_login(clerk1)
    html = client.get(reverse("enterprises:directory")).content.decode()
    assert "---------" not in html and "全部首席服务员" in html


def test_the_actions_card_says_so_when_there_is_nothing_to_do(client, org, admin_user):
    """An empty card read as a page that failed to load: it says there is nothing to do now."""
    from feedback.models import Ticket

    ticket = raise_ticket(org)
    client.force_login(admin_user)
    url = reverse("feedback:detail", args=[ticket.pk])
    assert "您目前对该诉求没有可办理的操作" not in client.get(url).content.decode()  # it may comment
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.CLOSED)
    assert "您目前对该诉求没有可办理的操作" in client.get(url).content.decode()
