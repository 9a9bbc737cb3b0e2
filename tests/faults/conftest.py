"""Fixtures of the fault checks: a private Redis as broker, and the portal's processes started
against it and the test database. Every check here starts real processes (marker `worker`)."""

import warnings

import pytest

from zone_portal.celery import app as celery_app

from .servers import Redis, celery_worker, portal_env


@pytest.fixture
def broker(tmp_path):
    redis = Redis(tmp_path).start()
    yield redis
    redis.stop()


@pytest.fixture
def processes():
    """Track the processes a check starts; whatever is still running at the end is stopped."""
    started = []

    class Started:
        def add(self, process):
            started.append(process)
            return process

    yield Started()
    for process in reversed(started):
        process.stop(kill=True)


@pytest.fixture
def start_worker(broker, processes, tmp_path):
    """`start_worker(name, **env)`: a real Celery worker on the private broker, tasks redelivered
    a few seconds after a worker died (BROKER_VISIBILITY_TIMEOUT)."""

    def start(name="w1", **env):
        settings = {
            "REDIS_URL": broker.url,
            "BROKER_VISIBILITY_TIMEOUT": "4",
            "BROKER_RESTORE_SECONDS": "2",
            **env,
        }
        return processes.add(
            celery_worker(portal_env(**settings), tmp_path / f"worker-{name}.log", name=name)
        )

    return start


@pytest.fixture
def send(broker):
    """`send("app.tasks.name", *args)`: queue a task on the private broker (the test process's own
    Celery app runs tasks eagerly and points at the suite's broker)."""

    def send_task(name, *args):
        with celery_app.connection_for_write(broker.url) as conn, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "task_always_eager has no effect on send_task": indeed
            celery_app.send_task(name, args=list(args), connection=conn)

    return send_task
