"""A leader's own page: /dashboard/ sends leader1 there instead of a bare 404."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_dashboard_sends_a_leader_to_their_desk(client, leader1, park1, ent_a):
    client.force_login(leader1)
    response = client.get("/dashboard/")
    assert response.status_code == 302 and response["Location"] == reverse("feedback:leader")
    page = client.get(reverse("feedback:leader"))
    assert page.status_code == 200
    body = page.content.decode()
    for testid in ("next-meeting", "escalated", "my-projects"):
        assert f'data-testid="{testid}"' in body
    client.force_login(park1)
    assert client.get("/dashboard/")["Location"] == reverse("dashboard:park")
    client.force_login(ent_a)
    assert client.get("/dashboard/").status_code == 404
    assert client.get(reverse("feedback:leader")).status_code == 404


def test_the_desk_lists_the_leaders_projects_and_the_query_count_is_pinned(
    client, leader1, demo, django_assert_max_num_queries
):
    from tests.projects.factories import ProjectFactory

    ProjectFactory(leader=leader1, name="园区一号项目")
    client.force_login(leader1)
    with django_assert_max_num_queries(25) as few:
        body = client.get(reverse("feedback:leader")).content.decode()
    assert "园区一号项目" in body
    for i in range(5):
        ProjectFactory(leader=leader1, name=f"项目{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("feedback:leader"))
