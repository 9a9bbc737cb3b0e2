"""Queueing a task without letting the broker's absence reach the request.

A request that saved a submission must answer it even when the broker is down: the rows are
committed, and what the task would do is found again later by a periodic sweep over the database
(the notifications outbox, the imports waiting for a worker). So a task is queued *after* commit,
with a short retry, and a broker that does not answer is logged, never raised.
"""

import logging

from django.db import transaction

log = logging.getLogger(__name__)

# Two quick attempts: a request must not hang on a broker that is down (the outbox sweep catches up).
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def enqueue(task, *args, **kwargs) -> bool:
    """Queue `task(*args, **kwargs)` now; False (logged) when the broker cannot take it."""
    try:
        task.apply_async(args, kwargs, retry=True, retry_policy=PUBLISH_RETRY)
    except Exception:  # kombu's OperationalError, redis' ConnectionError, OSError: the broker is away
        if getattr(task.app.conf, "task_always_eager", False):
            raise  # run in-process (tests, CELERY_TASK_ALWAYS_EAGER): a failure is the task's own
        log.warning("broker unavailable: %s not queued now; the periodic sweep will catch up", task.name)
        return False
    return True


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Queue `task` once the surrounding transaction commits (never on rollback), as `enqueue`."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))
