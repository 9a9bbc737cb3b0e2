"""The rollups written by INSERT … SELECT (PostgreSQL) are the very rows the facts' cells give, for
every registered fact, every day or some; the nightly rebuild on parallel connections writes what
the one-transaction rebuild writes."""

from datetime import date, timedelta

import pytest
from django.db import transaction

from tests.dashboard.test_figures import NOW as APRIL_NOW
from tests.dashboard.test_figures import constructed  # noqa: F401 - fixture
from tests.dashboard.test_tickets import mixed, org  # noqa: F401 - fixtures
from zone_portal.dashboard import facts, rollup
from zone_portal.dashboard.models import DailyCount

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

SOME_DAYS = [date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 5), date(2026, 3, 6), date(2026, 3, 20)]


def kept_rows(name=None) -> list[tuple]:
    rows = DailyCount.objects.all() if name is None else DailyCount.objects.filter(fact=name)
    return sorted(
        (
            tuple(row.values())
            for row in rows.values("fact", "day", *rollup.KEY_COLUMNS, *rollup.COUNT_COLUMNS, "stale_after")
        ),
        key=repr,  # a key may be empty (coverage of a kind counted for no department)
    )


def test_every_fact_in_sql_writes_the_rows_its_cells_give(constructed, mixed):  # noqa: F811
    written = set()
    for fact in facts.FACTS.values():
        for days in (None, SOME_DAYS):
            DailyCount.objects.all().delete()
            assert getattr(fact, "sql", None) and fact.sql(days, APRIL_NOW), fact.name
            rollup._fill(fact, days, APRIL_NOW)
            in_sql = kept_rows()
            DailyCount.objects.all().delete()
            rollup._write(fact, fact.cells(days, APRIL_NOW))
            assert in_sql == kept_rows(), (fact.name, days)
            if in_sql:
                written.add(fact.name)
    # the example has requests, handling times, ratings, problems, whistles and notices
    assert {"request_submitted", "request_closed", "handling", "rating", "ticket", "whistle"} <= written


@pytest.mark.django_db(transaction=True)
def test_the_parallel_rebuild_writes_what_one_transaction_writes(constructed, mixed):  # noqa: F811
    with transaction.atomic():  # inside a transaction: one connection, one fact after another
        report = rollup.refresh(full=True, now=APRIL_NOW)
    one_by_one = kept_rows()
    assert one_by_one and set(report) == set(facts.FACTS)
    DailyCount.objects.all().delete()
    report = rollup.refresh(full=True, now=APRIL_NOW)  # no transaction around: facts in parallel
    assert kept_rows() == one_by_one
    assert sum(r["rows"] for r in report.values()) == len(one_by_one)


BIG_TABLES = ("services_servicerequest", "feedback_ticket", "ratings_rating", "feedback_whistle")


def test_a_refresh_of_some_days_reads_them_through_an_index(constructed, mixed):  # noqa: F811
    """A refresh of the changed days read whole tables where an anchor had no index (closing,
    resolving, rating and whistling days: 4–6 s a refresh at a million cases). Plans are asked with
    sequential scans priced out, so a table without an index on the anchor still shows one."""
    from django.db import connection

    for fact in facts.FACTS.values():
        sql, params = fact.sql(SOME_DAYS, APRIL_NOW)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        for table in BIG_TABLES:
            assert f"Seq Scan on {table}" not in plan, (fact.name, plan)


def _mutations(rng, org):  # noqa: F811 - the fixture's value
    """Changes of every kind the rollups must follow, on random cases (saved as the actions save:
    `updated_at` stamped, the anchors' old days marked before the save, deletions marked)."""
    from enterprises.models import Enterprise
    from feedback.models import Ticket, Whistle
    from services.models import RequestStatus, ServiceRequest
    from tests.dashboard.factories import at
    from zone_portal.ratings.models import Rating

    def some(qs):
        rows = list(qs.order_by("pk"))
        return rng.choice(rows) if rows else None

    def day():
        return at(2026, 3, rng.randint(1, 31), rng.randint(8, 17))

    def resolve():
        if ticket := some(Ticket.objects.filter(status="open")):
            ticket.status, ticket.resolved_at = "resolved", day()
            ticket.save()

    def reopen():
        if ticket := some(Ticket.objects.exclude(resolved_at=None)):
            ticket.status, ticket.resolved_at, ticket.reopen_count = "open", None, ticket.reopen_count + 1
            ticket.save()

    def tier():
        if ticket := some(Ticket.objects.all()):
            ticket.tier = rng.choice([1, 2, 3])
            ticket.save()

    def close_request():
        if request := some(ServiceRequest.objects.filter(closed_at=None)):
            request.status = rng.choice([RequestStatus.COMPLETED, RequestStatus.REJECTED])
            request.closed_at = day()
            request.accepted_at = request.accepted_at or request.closed_at - timedelta(hours=2)
            request.save()

    def rescore():
        if rating := some(Rating.objects.all()):
            rating.score = rng.randint(1, 5)
            rating.save()

    def move_enterprise():
        if enterprise := some(Enterprise.objects.all()):
            enterprise.park = rng.choice(list(org.parks.values()))
            enterprise.save()

    def delete_something():
        kinds = [Whistle.objects.all(), Rating.objects.filter(rectification=None), Ticket.objects.all()]
        if victim := some(rng.choice(kinds)):
            victim.delete()

    # (A request's closing day is written once: no action moves it, and the rollups rely on that.)
    return [resolve, reopen, tier, close_request, rescore, move_enterprise, delete_something]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rollups_kept_by_refreshes_of_changed_days_equal_a_full_rebuild(
    constructed,  # noqa: F811
    mixed,  # noqa: F811
    org,  # noqa: F811
    settle,
    seed,
):
    """After random changes of every kind, each followed by a refresh of the changed days (written
    by INSERT … SELECT), the rollups hold exactly the rows a full rebuild writes."""
    import random

    rng = random.Random(seed)
    mutations = _mutations(rng, org)
    settle(now=APRIL_NOW)
    for _ in range(6):
        for _ in range(rng.randint(1, 3)):
            rng.choice(mutations)()
        settle(now=APRIL_NOW)
        kept = kept_rows()
        with transaction.atomic():
            rollup.refresh(full=True, now=APRIL_NOW)
            rebuilt = kept_rows()
            transaction.set_rollback(True)
        assert kept == rebuilt
