"""A real Celery worker process, started here against the configured broker and the test database."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from zone_portal.celery import app as celery_app
from zone_portal.notifications.models import Notification
from zone_portal.notifications.tasks import deliver_notifications

ROOT = Path(__file__).resolve().parents[2]


def _test_database_url() -> str:
    db = connection.settings_dict
    if settings.IS_POSTGRES:
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return f"sqlite:///{db['NAME']}"


@pytest.fixture
def worker():
    # DJANGO_ENV=test: the worker takes the test suite's broker folder and queue, not dev.py up's.
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DJANGO_ENV": "test",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "zone_portal",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    celery_app.conf.task_always_eager = False
    try:
        yield process
    finally:
        celery_app.conf.task_always_eager = True
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_process_runs_the_delivery_task(demo, ent_a, worker):
    note = Notification.objects.create(recipient=ent_a, title="工作进程测试")
    deliver_notifications.delay()
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        note.refresh_from_db()
        if note.emailed_at is not None:
            break
        if worker.poll() is not None:
            pytest.fail("worker exited early:\n" + worker.stdout.read())
        time.sleep(0.5)
    assert note.emailed_at is not None, "the worker did not deliver within 90 s"
    worker.terminate()
    output = worker.communicate(timeout=20)[0]
    assert "deliver_notifications" in output and "succeeded" in output


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_refreshes_the_dashboard_rollups(demo, ent_a, worker):
    from services.demo import seed_catalog
    from tests.dashboard.factories import at, completed
    from zone_portal.dashboard.models import DailyCount, RollupState
    from zone_portal.dashboard.tasks import refresh_rollups

    service = seed_catalog(demo)["seal-engraving"]
    completed(
        service,
        by=ent_a,
        enterprise=demo.enterprises["A"],
        accepted_at=at(2026, 3, 3, 9),
        closed_at=at(2026, 3, 3, 10),
    )
    refresh_rollups.delay()
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and not RollupState.objects.filter(refreshed_at__isnull=False).exists():
        if worker.poll() is not None:
            pytest.fail("worker exited early:\n" + worker.stdout.read())
        time.sleep(0.5)
    if not RollupState.objects.filter(refreshed_at__isnull=False).exists():
        worker.terminate()
        pytest.fail("no refresh within 90 s:\n" + worker.communicate(timeout=20)[0])
    row = DailyCount.objects.get(fact="request_closed")
    assert (row.day.isoformat(), row.c1) == ("2026-03-03", 1)  # one completed request that day


def test_the_beat_refreshes_the_rollups_and_rebuilds_them_nightly():
    celery_app.finalize()
    schedule = celery_app.conf.beat_schedule
    assert schedule["dashboard-refresh-rollups"]["task"] == "zone_portal.dashboard.tasks.refresh_rollups"
    assert schedule["dashboard-refresh-rollups"]["schedule"] == settings.ROLLUP_INTERVAL_SECONDS
    assert schedule["dashboard-rebuild-rollups"]["kwargs"] == {"full": True}
