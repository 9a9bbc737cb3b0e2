"""Fixtures of the dashboard tests: the demo catalog, March 2026 as the period, a cache cleared
between tests (the public page keeps its figures for a few minutes)."""

from datetime import date

import pytest
from django.core.cache import cache

from services.demo import seed_catalog
from zone_portal.dashboard.periods import Period


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def catalog(demo):
    return seed_catalog(demo)


@pytest.fixture
def march():
    return Period(date(2026, 3, 1), date(2026, 3, 31))


MARCH = {"from": "2026-03-01", "to": "2026-03-31"}
