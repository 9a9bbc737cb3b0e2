"""Figures kept for every process at once (zone_portal/keeping.py): fresh copies served,
stale ones served while one asker computes the next, one computation across processes (Redis), and
the figures still answered when the store is away."""

import os
import threading
import time
import uuid
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.test import override_settings
from django.utils import timezone

from zone_portal import keeping


def _computing(*values, pause=0.0):
    """A compute function answering `values` in turn and recording each call."""
    calls = []

    def compute():
        calls.append(len(calls))
        if pause:
            time.sleep(pause)
        return values[len(calls) - 1]

    return compute, calls


def test_a_fresh_copy_is_served_a_stale_one_while_another_computes_then_the_next(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    key = f"test:{uuid.uuid4().hex}"
    compute, calls = _computing("first", "second")
    assert keeping.kept(key, compute, fresh=10, stale=50) == "first"
    time_machine.shift(timedelta(seconds=9))
    assert keeping.kept(key, compute, fresh=10, stale=50) == "first" and calls == [0]
    time_machine.shift(timedelta(seconds=2))  # stale now; another process is computing the next
    store = caches["shared"]
    assert store.add(f"{key}:computing", "other", keeping.LOCK_SECONDS)
    assert keeping.kept(key, compute, fresh=10, stale=50) == "first" and calls == [0]
    store.delete(f"{key}:computing")  # it died without storing anything: this asker computes
    assert keeping.kept(key, compute, fresh=10, stale=50) == "second" and calls == [0, 1]
    assert keeping.kept(key, compute, fresh=10, stale=50) == "second" and calls == [0, 1]


def test_a_copy_older_than_fresh_and_stale_is_never_served(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    key = f"test:{uuid.uuid4().hex}"
    compute, calls = _computing("first", "second")
    assert keeping.kept(key, compute, fresh=10, stale=5) == "first"
    time_machine.shift(timedelta(seconds=16))
    assert caches["shared"].add(f"{key}:computing", "other", keeping.LOCK_SECONDS)
    # Nothing left to serve and the other computer never delivers: this asker computes its own.
    keeping.WAIT_SECONDS, before = 0.2, keeping.WAIT_SECONDS
    try:
        assert keeping.kept(key, compute, fresh=10, stale=5) == "second"
    finally:
        keeping.WAIT_SECONDS = before
    assert calls == [0, 1]


def test_askers_without_a_copy_wait_for_the_one_computing():
    key = f"test:{uuid.uuid4().hex}"
    compute, calls = _computing("only", pause=0.3)
    answers = []
    threads = [
        threading.Thread(target=lambda: answers.append(keeping.kept(key, compute, fresh=10, stale=50)))
        for _ in range(5)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == [0] and answers == ["only"] * 5


def _shared_at(url: str, **options):
    """Settings whose shared cache is the Redis at `url`, under a prefix of this test's own. (Not the
    `settings` fixture: the suite's cache clearing must run on the in-memory cache, never on Redis,
    where `clear()` empties the whole database.)"""
    shared = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": f"zp-test-{uuid.uuid4().hex}",
        "OPTIONS": options or {"socket_timeout": 1, "socket_connect_timeout": 1},
    }
    return override_settings(CACHES={**django_settings.CACHES, "shared": shared})


@pytest.fixture
def redis_shared():
    url = os.environ.get("REDIS_URL", "")
    if not url.startswith("redis://"):
        pytest.skip("REDIS_URL names no Redis")
    with _shared_at(url):
        yield caches["shared"]


def test_processes_sharing_redis_compute_a_missing_copy_once(redis_shared):
    """Each thread has its own cache connection (Django's caches are per thread), as each gunicorn
    worker has: the lock and the copy are Redis's, not the process's."""
    key = f"test:{uuid.uuid4().hex}"
    compute, calls = _computing("shared", pause=0.3)
    answers, clients = [], set()

    def ask():
        clients.add(id(caches["shared"]))
        answers.append(keeping.kept(key, compute, fresh=10, stale=50))
        caches["shared"].close()

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(clients) == 6
    assert calls == [0] and answers == ["shared"] * 6
    assert redis_shared.get(f"{key}:computing") is None  # the lock is given back
    redis_shared.delete(key)


def test_the_figures_are_answered_when_the_store_is_away():
    compute, calls = _computing("live", "live again")
    # nothing listens on port 1
    with _shared_at("redis://127.0.0.1:1/0", socket_timeout=0.2, socket_connect_timeout=0.2):
        assert keeping.kept("test:away", compute, fresh=10, stale=50) == "live"
        assert keeping.kept("test:away", compute, fresh=10, stale=50) == "live again"
    assert calls == [0, 1]
