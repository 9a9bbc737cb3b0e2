"""Which views may read the replica (zone_portal/replica.py): those their app marks @replica_view,
and those an operator names in settings.REPLICA_VIEWS. The end-to-end run on a real replica is
tests/faults/test_read_replica.py."""

import pytest
from django.urls import resolve, reverse

from zone_portal.replica import reads_replica

# The dashboards, the public page and the exports: the heavy reads that tolerate a second of lag.
HEAVY_READS = [
    ("dashboard:index", ()),
    ("dashboard:park", ()),
    ("dashboard:department", ()),
    ("dashboard:drill", ("tickets-late",)),
    ("dashboard:export", ()),
    ("dashboard:public", ()),
    ("dashboard-summary", ()),
    ("enterprises:export", ()),
    ("projects:ranking", ()),
    ("projects:summary-xlsx", ()),
    ("projects:ledger-xlsx", (1,)),
]


def _reads_replica(name, args=()) -> bool:
    match = resolve(reverse(name, args=args))
    return reads_replica(match.func, match)


@pytest.mark.parametrize(("name", "args"), HEAVY_READS)
def test_the_heavy_reads_are_marked_for_the_replica(name, args, settings):
    settings.REPLICA_VIEWS = []
    assert _reads_replica(name, args)


def test_other_views_read_the_primary(settings):
    settings.REPLICA_VIEWS = []
    assert not _reads_replica("enterprises:directory")
    assert not _reads_replica("home")


def test_an_operator_adds_a_view_by_its_name(settings):
    settings.REPLICA_VIEWS = ["enterprises:directory"]
    assert _reads_replica("enterprises:directory")
    assert not _reads_replica("home")
