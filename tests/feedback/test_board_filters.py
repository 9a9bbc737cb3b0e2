"""The park board and the department inbox: filters and search, the 通报 list folded, the whistle
dialog ticking the category's default departments, a new whistle on the first page."""

import pytest
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import raise_ticket, whistled_ticket

pytestmark = pytest.mark.django_db


def test_the_board_searches_and_filters(client, org, park1):
    land = raise_ticket(org, title="用地规划调整")
    other = raise_ticket(org, title="供电接入", category="utilities")
    client.force_login(park1)
    html = client.get(reverse("feedback:board"), {"q": "供电"}).content.decode()
    assert other.number in html and land.number not in html
    html = client.get(reverse("feedback:board"), {"category": "land"}).content.decode()
    assert land.number in html and other.number not in html
    assert client.get(reverse("feedback:board"), {"tier": "\x00", "category": "x"}).status_code == 200


def test_the_whistle_dialog_ticks_the_categorys_default_departments(client, org, park1):
    from feedback.models import CategoryDepartment

    ticket = raise_ticket(org, category="land")
    defaults = set(
        CategoryDepartment.objects.filter(category="land").values_list("department__code", flat=True)
    )
    assert defaults
    client.force_login(park1)
    html = client.get(reverse("feedback:board")).content.decode()
    row = html.split(f">{ticket.number}<")[1].split("</tr>")[0]
    for code in defaults:
        assert f'value="{code}" checked' in row


def test_a_new_whistle_lands_on_the_first_page_of_the_inbox(client, org, dept_land):
    for i in range(21):
        whistled_ticket(org, ("land",), title=f"旧 {i}")
    newest = whistled_ticket(org, ("land",), title="最新的吹哨")
    client.force_login(dept_land)
    html = client.get(reverse("feedback:department")).content.decode()
    assert newest.number in html
    late = client.get(reverse("feedback:department"), {"late": "1", "q": "最新"}).content.decode()
    assert newest.number in late and "旧 3" not in late


@pytest.mark.postgres
def test_the_board_walks_the_open_tickets_by_deadline_not_every_ticket(org, park1):
    """At a million tickets the board's ordered scan of `ticket_by_due` read every ticket to find a
    park's few open ones (1.8 s); the partial index holds the open ones only. Plans are asked with
    sequential scans and sorts priced out, so the choice is between the indexes, as at scale."""
    from django.db import connection, transaction

    from feedback import selectors

    raise_ticket(org, title="用地规划调整")
    sql, params = selectors.park_board(park1).order_by("due_at", "id")[:20].query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "ticket_open_by_due" in plan, plan


@pytest.mark.postgres
def test_the_home_panel_counts_read_the_open_and_resolved_tickets_only(org, admin_user):
    """The administrator's home panel counted over every ticket (213 ms at a million)."""
    from django.db import connection, transaction

    from feedback import selectors

    raise_ticket(org, title="用地规划调整")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        with CaptureQueriesContext(connection) as captured:
            counts = selectors.home_counts(admin_user)
        cursor.execute("EXPLAIN " + captured.captured_queries[-1]["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert counts["open"] == 1
    assert "Seq Scan on feedback_ticket" not in plan, plan
