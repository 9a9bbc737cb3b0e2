"""Running calls at the same moment, each on its own database connection (race tests)."""

import threading
import time

from django.db import connection, transaction

from zone_portal.errors import DomainError


def _outcome(call):
    """("ok", value), ("error", DomainError) or ("crash", any other exception, e.g. a deadlock)."""
    try:
        return ("ok", call())
    except DomainError as exc:
        return ("error", exc)
    except Exception as exc:  # noqa: BLE001 - the test reads it
        return ("crash", exc)


def run_together(*calls):
    """Run each call in its own thread (own database connection), released together."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = _outcome(call)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def _waiting_on_locks() -> int:
    """How many other sessions of this database wait for a lock now (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def run_staged(*calls, holding):
    """Replay one interleaving of `calls` on PostgreSQL, each in its own thread and connection.

    `holding` runs first in a transaction of its own and keeps the row locks it takes. Then the
    calls start one after the other, each once the one before waits for a lock (or has finished);
    when all are started, `holding` commits and they run on. Returns the outcomes in order, as
    `run_together` does, with ("crash", exc) for an exception that is not a DomainError.
    """
    held, release = threading.Event(), threading.Event()
    results = [None] * len(calls)

    def holder():
        try:
            with transaction.atomic():
                holding()
                held.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    def worker(i, call):
        try:
            results[i] = _outcome(call)
        finally:
            connection.close()

    holder_thread = threading.Thread(target=holder)
    holder_thread.start()
    assert held.wait(timeout=10), "the holding transaction did not take its locks"
    workers = []
    for i, call in enumerate(calls):
        workers.append(threading.Thread(target=worker, args=(i, call)))
        workers[-1].start()
        deadline = time.monotonic() + 10
        # Every call still running waits for a lock: the next one may start.
        while (
            workers[-1].is_alive()
            and _waiting_on_locks() < sum(w.is_alive() for w in workers)
            and time.monotonic() < deadline
        ):
            time.sleep(0.02)
    release.set()
    for t in [holder_thread, *workers]:
        t.join(timeout=30)
    return results
