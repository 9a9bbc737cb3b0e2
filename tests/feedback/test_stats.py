"""Dashboard figures: the source's "131 received, 131 resolved, 100 %" from a data set built that way."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from feedback.actions import ticket_confirm, ticket_escalate, ticket_resolve
from feedback.models import Ticket
from feedback.selectors import ticket_stats

from .conftest import MONDAY, ZONE, at
from .factories import raise_ticket, whistled_ticket

pytestmark = pytest.mark.django_db

YEAR = {"start": datetime(2026, 1, 1, tzinfo=ZONE), "end": datetime(2027, 1, 1, tzinfo=ZONE)}


def _bulk_resolved(org, n):
    """n tickets received in 2026 and resolved on time, copies of one made by the actions."""
    template = raise_ticket(org, title="template")
    ticket_resolve(
        actor=org.users["cso1"], ticket=template, resolution="已解决", now=MONDAY + timedelta(hours=2)
    )
    template.refresh_from_db()
    fields = [f.attname for f in Ticket._meta.concrete_fields if f.attname not in ("id", "number")]
    Ticket.objects.bulk_create(
        [Ticket(number=f"B{i}", **{f: getattr(template, f) for f in fields}) for i in range(n - 1)]
    )


def test_131_received_131_resolved_is_100_percent(org, django_assert_max_num_queries):
    _bulk_resolved(org, 131)
    with django_assert_max_num_queries(2):
        figures = ticket_stats(**YEAR, now=at(31))
    assert figures["received"] == 131 and figures["resolved"] == 131
    assert figures["resolution_rate"] == Decimal("100.0")
    assert figures["on_time_rate"] == Decimal("100.0")
    assert figures["response_rate"] == Decimal("100.0")
    assert figures["overdue_now"] == 0


def test_zero_denominators_give_none_not_zero(org):
    figures = ticket_stats(**YEAR)
    assert figures["received"] == 0
    for rate in ("resolution_rate", "on_time_rate", "response_rate", "solution_rate", "satisfaction_rate"):
        assert figures[rate] is None
    raise_ticket(org)  # received, not resolved, not rated
    figures = ticket_stats(**YEAR, now=at(2, 10))
    assert figures["resolution_rate"] == Decimal("0.0")
    assert figures["on_time_rate"] is None and figures["satisfaction_rate"] is None


def test_three_rates_reopened_overdue_and_tiers(org, ent_a, cso1):
    # 4 received: one confirmed solved and rated 5, one rated 2 (bad), one reopened then open, one at tier 2 overdue.
    good = raise_ticket(org, title="good")
    ticket_resolve(actor=cso1, ticket=good, resolution="ok", now=at(2, 10))
    ticket_confirm(actor=ent_a, ticket=good, solved=True, score=5, now=at(2, 11))
    bad = raise_ticket(org, title="bad")
    ticket_resolve(actor=cso1, ticket=bad, resolution="ok", now=at(6, 10))  # after its deadline
    ticket_confirm(actor=ent_a, ticket=bad, solved=True, score=2, now=at(6, 11))
    again = raise_ticket(org, title="again")
    ticket_resolve(actor=cso1, ticket=again, resolution="ok", now=at(2, 10))
    ticket_confirm(actor=ent_a, ticket=again, solved=False, comment="没解决", now=at(2, 11))
    whistled_ticket(org, ("land",), title="whistled")
    figures = ticket_stats(**YEAR, now=at(31))
    assert figures["received"] == 4
    assert figures["resolved"] == 2  # the reopened one is open again
    assert figures["resolution_rate"] == Decimal("50.0")
    assert figures["on_time_rate"] == Decimal("50.0")
    assert figures["solution_rate"] == Decimal("100.0")
    assert figures["satisfaction_rate"] == Decimal("50.0")
    assert figures["reopened"] == 1
    assert figures["overdue_now"] == 2
    assert figures["by_tier"] == {
        1: {"total": 3, "open": 1},
        2: {"total": 1, "open": 1},
        3: {"total": 0, "open": 0},
    }


def test_filters_by_park_department_category_and_period(org, demo):
    whistled_ticket(org, ("power",), title="power", category="utilities")
    t = raise_ticket(org, title="tax", category="tax", enterprise="B", by="ent_b")
    ticket_escalate(actor=org.users["cso2"], ticket=t, reason="x", now=at(2, 10))
    assert ticket_stats(**YEAR, department=demo.departments["power"])["received"] == 1
    assert ticket_stats(**YEAR, category="tax")["received"] == 1
    assert ticket_stats(**YEAR, park=demo.parks["park1"])["received"] == 2
    assert ticket_stats(**YEAR, park=demo.parks["park2"])["received"] == 0
    assert ticket_stats(start=at(3), end=at(31))["received"] == 0
