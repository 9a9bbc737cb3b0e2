"""Figures kept for every server process at once: one computation per key for all of them, and the
previous copy served while it is being redone (stale-while-revalidate).

The store is the `shared` cache (settings.CACHES): Redis when `REDIS_URL` names one, so the workers
of gunicorn and the machines behind a balancer share each copy; a process's own memory otherwise.

- A copy younger than `fresh` seconds is served as it is.
- Older, but younger than `fresh + stale`: the first asker takes the key's lock (`cache.add`, atomic
  in Redis) and computes a new copy; everyone else is served the old copy meanwhile. So a dashboard
  read by many is computed once per `fresh` seconds in the whole deployment, and no reader waits
  for it but the one computing.
- No copy at all: the first asker computes; the others wait for its copy (polling, at most
  `WAIT_SECONDS`), then compute their own if it has not come (its computer died, the lock expired).
- The store unreachable: every asker computes (the figures never depend on the cache being there).

A copy carries the moment it was computed; the key must say everything the figures depend on
(user, scope, period, language…), since a copy is served to anyone asking with the same key.
"""

import logging
import time
import uuid
from collections.abc import Callable

from django.core.cache import caches

log = logging.getLogger(__name__)

# How long a computation may hold its key's lock before another process may take over.
LOCK_SECONDS = 60
# How long an asker without any copy waits for another's computation before computing its own.
WAIT_SECONDS = 20.0
POLL_SECONDS = 0.05


def _store():
    return caches["shared"]


class _Away(Exception):
    """The store did not answer."""


def _ask(operation, *args):
    try:
        return operation(*args)
    except Exception as error:
        raise _Away from error


def kept(key: str, compute: Callable[[], object], *, fresh: float, stale: float = 0) -> object:
    """`compute()`'s value for `key`, at most `fresh` seconds old when possible, and at most
    `fresh + stale` seconds old while another process is computing a new one (see the docstring)."""
    computed = []

    def computing():
        computed.append(compute())
        return computed[0]

    try:
        return _kept(_store(), key, computing, fresh=fresh, stale=stale)
    except _Away:  # the figures do not depend on the store
        log.warning("shared cache unreachable for %s", key, exc_info=True)
        return computed[0] if computed else compute()


def _kept(store, key, compute, *, fresh, stale):
    copy = _ask(store.get, key)
    if copy is not None and time.time() - copy[0] < fresh:
        return copy[1]
    value = _compute_if_first(store, key, compute, fresh=fresh, stale=stale)
    if value is not _NOT_MINE:
        return value
    if copy is not None:
        return copy[1]  # another asker is computing the new copy: the old one meanwhile
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        copy = _ask(store.get, key)
        if copy is not None:
            return copy[1]
        value = _compute_if_first(store, key, compute, fresh=fresh, stale=stale)
        if value is not _NOT_MINE:
            return value
    return compute()


_NOT_MINE = object()


def _compute_if_first(store, key: str, compute, *, fresh: float, stale: float):
    """Compute and store a copy when this asker gets the key's lock; `_NOT_MINE` otherwise."""
    lock, token = f"{key}:computing", uuid.uuid4().hex
    if not _ask(store.add, lock, token, LOCK_SECONDS):
        return _NOT_MINE
    try:
        value = compute()
        _ask(store.set, key, (time.time(), value), max(1, round(fresh + stale)))
        return value
    finally:
        if _ask(store.get, lock) == token:  # not a lock taken over after ours expired
            _ask(store.delete, lock)
