"""Races on PostgreSQL: minutes recorded while a problem on the agenda is resolved."""

import pytest
from django.utils import timezone

from feedback.actions import meeting_record_minutes, meeting_schedule, ticket_escalate, ticket_resolve
from feedback.models import ActionItem, Ticket, Whistle
from tests.concurrency import run_staged

from .factories import whistled_ticket

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_minutes_recorded_while_the_problem_is_resolved_add_no_action_item_to_it(org, leader1):
    """The resolution counts the open action items under the problem's lock; the minutes must take
    that lock too before adding one. Replayed so that the resolution holds the lock (waiting for a
    whistle row) while the minutes are recorded: the minutes wait, then see the problem resolved."""
    ticket = whistled_ticket(org, ("land",), now=timezone.now())
    ticket_escalate(actor=org.users["park1"], ticket=ticket, reason="需要联席会议")
    meeting = meeting_schedule(actor=leader1, title="联席会议", starts_at=timezone.now())
    whistle = Whistle.objects.get(ticket=ticket)

    results = run_staged(
        lambda: ticket_resolve(actor=leader1, ticket=ticket, resolution="会前已协调解决。"),
        lambda: meeting_record_minutes(
            actor=leader1,
            meeting=meeting,
            minutes="纪要",
            actions=[{"ticket": ticket.pk, "department": "tax", "description": "核实税务问题"}],
        ),
        holding=lambda: list(Whistle.objects.select_for_update().filter(pk=whistle.pk)),
    )

    assert [r[0] for r in results] == ["ok", "error"], results
    assert results[1][1].status == 409
    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.RESOLVED
    assert not ActionItem.objects.filter(ticket=ticket).exists()
