"""The dashboard summary is kept DASHBOARD_CACHE_SECONDS per user (zone_portal/dashboard/selectors.py)."""

import pytest
from django.core.cache import cache, caches

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    caches["shared"].clear()  # the suite's is in memory (settings.CACHES), never Redis
    yield
    cache.clear()
    caches["shared"].clear()


def _summary_calls(monkeypatch):
    from zone_portal.dashboard import selectors

    calls = []
    real = selectors.dashboard_summary

    def counting(scope, period, *, user, now=None):
        calls.append(user.username)
        return real(scope, period, user=user, now=now)

    monkeypatch.setattr(selectors, "dashboard_summary", counting)
    return calls


def test_a_users_second_summary_is_the_kept_one_and_another_user_gets_their_own(
    api, demo, settings, monkeypatch
):
    settings.DASHBOARD_CACHE_SECONDS = 10
    calls = _summary_calls(monkeypatch)
    admin = demo.users["admin"]
    park1 = demo.users["park1"]
    first = api(admin).get("/api/v1/dashboard/summary/?period=year")
    second = api(admin).get("/api/v1/dashboard/summary/?period=year")
    assert first.status_code == second.status_code == 200 and first.json() == second.json()
    assert calls == ["admin"]
    assert api(park1).get("/api/v1/dashboard/summary/?period=year").status_code == 200
    assert api(admin).get("/api/v1/dashboard/summary/?period=month").status_code == 200
    assert calls == ["admin", "park1", "admin"]  # per user and per period


def test_nothing_is_kept_at_zero_seconds(api, demo, settings, monkeypatch):
    settings.DASHBOARD_CACHE_SECONDS = 0
    calls = _summary_calls(monkeypatch)
    for _ in range(2):
        assert api(demo.users["admin"]).get("/api/v1/dashboard/summary/?period=year").status_code == 200
    assert calls == ["admin", "admin"]


def test_threads_asking_at_once_compute_the_summary_once(settings, monkeypatch):
    """A dashboard opened by many at once after the kept summary expired: one computes it."""
    import threading
    import time
    from types import SimpleNamespace

    from zone_portal.dashboard import selectors
    from zone_portal.dashboard.periods import period_from_params
    from zone_portal.dashboard.scope import Scope

    settings.DASHBOARD_CACHE_SECONDS = 10
    calls = []

    def slow(scope, period, *, user, now=None):
        calls.append(user.pk)
        time.sleep(0.3)
        return {"figures": 1}

    monkeypatch.setattr(selectors, "dashboard_summary", slow)
    period = period_from_params({"period": "year"})
    user = SimpleNamespace(pk=424242)
    answers = []
    threads = [
        threading.Thread(
            target=lambda: answers.append(selectors.dashboard_summary_kept(Scope(), period, user=user))
        )
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == [424242] and answers == [{"figures": 1}] * 4


def test_each_language_and_scope_has_its_own_copy(api, demo, settings, monkeypatch):
    settings.DASHBOARD_CACHE_SECONDS = 10
    calls = _summary_calls(monkeypatch)
    admin = demo.users["admin"]
    chinese = api(admin).get("/api/v1/dashboard/summary/?period=year")
    english = api(admin).get("/api/v1/dashboard/summary/?period=year", HTTP_ACCEPT_LANGUAGE="en")
    assert chinese.status_code == english.status_code == 200
    park = api(admin).get(f"/api/v1/dashboard/summary/?period=year&park={next(iter(demo.parks.values())).pk}")
    assert park.status_code == 200 and park.json()["scope"]["kind"] == "park"
    assert calls == ["admin", "admin", "admin"]
    # a park's staff asking for another park is refused (404) before any copy is looked at
    other = next(p for p in demo.parks.values() if p not in demo.users["park1"].parks.all())
    assert (
        api(demo.users["park1"]).get(f"/api/v1/dashboard/summary/?period=year&park={other.pk}").status_code
        == 404
    )


def test_a_new_summary_is_computed_once_the_copy_is_older_than_the_keeping(
    api, demo, settings, monkeypatch, time_machine
):
    from datetime import timedelta

    from django.utils import timezone

    settings.DASHBOARD_CACHE_SECONDS = 10
    settings.DASHBOARD_STALE_SECONDS = 50
    time_machine.move_to(timezone.now(), tick=False)
    calls = _summary_calls(monkeypatch)
    admin = api(demo.users["admin"])
    assert admin.get("/api/v1/dashboard/summary/?period=year").status_code == 200
    time_machine.shift(timedelta(seconds=9))
    assert admin.get("/api/v1/dashboard/summary/?period=year").status_code == 200
    assert calls == ["admin"]  # kept
    time_machine.shift(timedelta(seconds=2))
    assert admin.get("/api/v1/dashboard/summary/?period=year").status_code == 200
    assert calls == ["admin", "admin"]  # older than 10 s, nobody else computing: computed again
