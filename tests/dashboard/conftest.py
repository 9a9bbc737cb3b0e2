"""Fixtures of the dashboard tests: the demo catalog, March 2026 as the period, a cache cleared
between tests (the public page keeps its figures for a few minutes)."""

from datetime import date

import pytest
from django.core.cache import cache, caches

from services.demo import seed_catalog
from zone_portal.dashboard.periods import Period


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    caches["shared"].clear()  # the suite's is in memory (settings.CACHES), never Redis
    yield
    cache.clear()
    caches["shared"].clear()


@pytest.fixture
def catalog(demo):
    return seed_catalog(demo)


@pytest.fixture
def march():
    return Period(date(2026, 3, 1), date(2026, 3, 31))


MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


@pytest.fixture
def settle(time_machine):
    """Refresh the rollups once every change is older than their watermark's lag, so that the next
    summary reads them and nothing live (each call moves the clock on by the longest lag)."""
    from datetime import timedelta

    from django.utils import timezone

    from zone_portal.dashboard.rollup import MAX_LAG, refresh

    def settle(now=None):
        time_machine.move_to(timezone.now() + MAX_LAG + timedelta(minutes=1), tick=True)
        return refresh(now=now)

    return settle
