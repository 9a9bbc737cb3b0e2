"""The rollups written by INSERT … SELECT (PostgreSQL) are the very rows the facts' cells give, for
every registered fact, every case or some days' cases; the days summed from the cases are the days'
own counts; the nightly rebuild on parallel connections writes what the one-transaction rebuild
writes; a refresh recounts the changed cases, through indexes, and the rollups it keeps equal a
full rebuild."""

from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tests.dashboard.test_figures import NOW as APRIL_NOW
from tests.dashboard.test_figures import constructed  # noqa: F401 - fixture
from tests.dashboard.test_rollups import SPRING, everything, live
from tests.dashboard.test_tickets import mixed, org  # noqa: F401 - fixtures
from zone_portal.dashboard import facts, rollup
from zone_portal.dashboard.models import CaseCount, DailyCount

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def kept_rows(name=None) -> list[tuple]:
    rows = DailyCount.objects.all() if name is None else DailyCount.objects.filter(fact=name)
    return sorted(
        (
            tuple(row.values())
            for row in rows.values("fact", "day", *rollup.KEY_COLUMNS, *rollup.COUNT_COLUMNS)
        ),
        key=repr,  # a key may be empty (coverage of a kind counted for no department)
    )


def kept_cases() -> list[tuple]:
    columns = ("fact", "case", "day", *rollup.KEY_COLUMNS, *rollup.COUNT_COLUMNS, "stale_after")
    return sorted((tuple(row.values()) for row in CaseCount.objects.values(*columns)), key=repr)


def by_day(fact, days) -> list[tuple]:
    """The rows `fact.cells` gives, as `kept_rows` shows them."""
    column = rollup.columns(fact)
    rows = []
    for cell in fact.cells(days, APRIL_NOW):
        if not any(cell[name] for name in fact.counts):
            continue
        row = {"fact": fact.name, "day": cell["day"], **dict.fromkeys(rollup.KEY_COLUMNS)}
        row.update(dict.fromkeys(rollup.COUNT_COLUMNS, 0))
        row.update({column[name]: cell[name] for name in (*fact.keys, *fact.counts)})
        rows.append(tuple(row.values()))
    return sorted(rows, key=repr)


def test_every_fact_in_sql_writes_the_cases_its_cells_give(constructed, mixed):  # noqa: F811
    written = set()
    for fact in facts.FACTS.values():
        CaseCount.objects.all().delete()
        assert fact.case_sql(APRIL_NOW), fact.name
        rollup._fill(fact, APRIL_NOW)
        in_sql = kept_cases()
        CaseCount.objects.all().delete()
        CaseCount.objects.bulk_create(
            rollup._case_row(fact, cell) for cell in fact.case_cells(APRIL_NOW) if rollup._counts(fact, cell)
        )
        assert in_sql == kept_cases(), fact.name
        if in_sql:
            written.add(fact.name)
    # the example has requests, handling times, ratings, problems, whistles and notices
    assert {"request_submitted", "request_closed", "handling", "rating", "ticket", "whistle"} <= written


def test_the_days_summed_from_the_cases_are_the_days_counted_whole(constructed, mixed):  # noqa: F811
    """A day's row is the sum of its cases' rows, for every fact: per-case counts add up (a count
    of distinct tickets counts each ticket once, as its case)."""
    rollup.refresh(full=True, now=APRIL_NOW)
    for fact in facts.FACTS.values():
        assert kept_rows(fact.name) == by_day(fact, None), fact.name
    assert CaseCount.objects.filter(fact="dept_ticket").exists()


@pytest.mark.django_db(transaction=True)
def test_the_parallel_rebuild_writes_what_one_transaction_writes(constructed, mixed):  # noqa: F811
    with transaction.atomic():  # inside a transaction: one connection, one fact after another
        report = rollup.refresh(full=True, now=APRIL_NOW)
    one_by_one, cases = kept_rows(), kept_cases()
    assert one_by_one and cases and set(report) == set(facts.FACTS)
    DailyCount.objects.all().delete()
    report = rollup.refresh(full=True, now=APRIL_NOW)  # no transaction around: facts in parallel
    assert kept_rows() == one_by_one and kept_cases() == cases
    assert sum(r["rows"] for r in report.values()) == len(one_by_one)
    assert sum(r["cases"] for r in report.values()) == len(cases)


BIG_TABLES = ("services_servicerequest", "feedback_ticket", "ratings_rating", "feedback_whistle")


def _explained(sql) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_a_refresh_reads_the_changed_cases_through_indexes(constructed, mixed, org, settle):  # noqa: F811
    """A refresh read whole tables where an anchor had no index (4–6 s at a million cases), and
    then whole days; now it reads the changed cases by their ids. Plans are asked with sequential
    scans priced out, so a table read without an index still shows one."""
    from django.utils import timezone

    from feedback.models import Ticket, Whistle
    from services.models import ServiceRequest
    from zone_portal.ratings.models import Rating

    settle(now=APRIL_NOW)
    for model in (Ticket, Whistle, ServiceRequest, Rating):
        model.objects.filter(pk=model.objects.order_by("pk").first().pk).update(updated_at=timezone.now())
    with CaptureQueriesContext(connection) as queries:
        report = settle(now=APRIL_NOW)
    assert {"ticket", "whistle", "request_submitted", "rating", "coverage"} <= set(report)
    assert all(r["cases"] <= 2 for r in report.values()), report
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    for sql in reads:
        plan = _explained(sql)
        for table in BIG_TABLES:
            assert f"Seq Scan on {table}" not in plan, (sql, plan)


def test_a_refresh_recounts_the_changed_case_not_its_day(org, admin_user, settle):  # noqa: F811
    """What a refresh reads follows what changed: one ticket changed on a day of many is one case
    recounted, read by its id, and the day's counts are right; so is a summary read before it."""
    from feedback.models import Ticket
    from tests.dashboard.factories import at
    from tests.dashboard.test_tickets import raise_

    tickets = [raise_(org, now=at(2026, 3, 2, 9 + n % 8)) for n in range(12)]
    settle(now=APRIL_NOW)
    Ticket.objects.filter(pk=tickets[5].pk).update(tier=2)
    with CaptureQueriesContext(connection) as queries:
        read = everything(admin_user, APRIL_NOW, SPRING)
    assert read == live(lambda: everything(admin_user, APRIL_NOW, SPRING))
    assert not any('"feedback_ticket"."created_at" >=' in q["sql"] for q in queries.captured_queries)
    with CaptureQueriesContext(connection) as queries:
        report = settle(now=APRIL_NOW)
    assert report["ticket"] == {"cases": 1, "rows": 2}  # one case: out of tier 1, into tier 2
    assert report["dept_ticket"]["cases"] == 1
    ticket_reads = [q["sql"] for q in queries.captured_queries if 'FROM "feedback_ticket"' in q["sql"]]
    assert ticket_reads and all(
        f'"feedback_ticket"."id" IN ({tickets[5].pk})' in sql for sql in ticket_reads if "GROUP BY" in sql
    )
    assert not any('"feedback_ticket"."created_at" >=' in sql for sql in ticket_reads)
    tiers = dict(DailyCount.objects.filter(fact="ticket", day=date(2026, 3, 2)).values_list("k2", "c1"))
    assert tiers == {1: 11, 2: 1}


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
def test_rollups_kept_by_refreshes_of_changed_cases_equal_a_full_rebuild(
    constructed,  # noqa: F811
    mixed,  # noqa: F811
    org,  # noqa: F811
    settle,
    seed,
):
    """After random changes of every kind, each followed by a refresh of the changed cases, the
    rollups, and every case's kept counts, are exactly the rows a full rebuild writes."""
    import random

    rng = random.Random(seed)
    mutations = _mutations(rng, org)
    settle(now=APRIL_NOW)
    for _ in range(6):
        for _ in range(rng.randint(1, 3)):
            rng.choice(mutations)()
        settle(now=APRIL_NOW)
        kept, cases = kept_rows(), kept_cases()
        with transaction.atomic():
            rollup.refresh(full=True, now=APRIL_NOW)
            rebuilt, recounted = kept_rows(), kept_cases()
            transaction.set_rollback(True)
        assert kept == rebuilt
        assert cases == recounted
