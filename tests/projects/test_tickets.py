"""A project's problem tickets (项目困难) on its page, and how many difficulties were solved."""

import pytest
from django.urls import reverse

from feedback.actions import escalation_defaults_install, ticket_resolve
from feedback.selectors import project_tickets
from tests.feedback.factories import raise_ticket
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project_with_tickets(demo):
    escalation_defaults_install()
    project = ProjectFactory(
        name="光伏组件材料项目", enterprise=demo.enterprises["A"], park=demo.parks["park1"]
    )
    solved = raise_ticket(demo, title="施工用电增容", project=project, source="project")
    ticket_resolve(actor=demo.users["cso1"], ticket=solved, resolution="已协调供电公司完成增容。")
    raise_ticket(demo, title="规划条件变更", project=project, source="project")
    raise_ticket(demo, title="与项目无关的问题")
    return project


def test_the_project_page_lists_its_tickets_and_the_solved_count(client, demo, project_with_tickets, leader1):
    client.force_login(demo.users["admin"])
    page = client.get(reverse("projects:detail", args=[project_with_tickets.pk])).content.decode()
    assert "施工用电增容" in page and "规划条件变更" in page
    assert "与项目无关的问题" not in page
    assert "已解决困难 1 个（共 2 个）" in page


def test_ticket_list_follows_what_the_viewer_may_see(demo, project_with_tickets):
    assert project_tickets(project_with_tickets, demo.users["admin"])["total"] == 2
    seen_by_b = project_tickets(project_with_tickets, demo.users["ent_b"])
    assert seen_by_b["total"] == 0 and seen_by_b["items"] == []
