"""Redis Sentinel (README, "Faults and scale-out"): with `REDIS_URL=sentinel://…` and
`REDIS_SENTINEL_MASTER`, the worker and the senders find the master through a real sentinel; the
master is killed while tasks flow, the sentinel promotes the replica, and every notification queued
before, during and after the failover is delivered (what a lost message did not do, the outbox's
next run does)."""

import threading
import time
import warnings

import pytest
from django.db import connection
from kombu import Connection

from zone_portal.celery import app as celery_app
from zone_portal.notifications.models import Notification

from .servers import Redis, Sentinel, celery_worker, portal_env, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

MASTER = "zone-portal-test"
DELIVER = "zone_portal.notifications.tasks.deliver_notifications"


def test_the_broker_fails_over_while_tasks_flow(demo, ent_a, tmp_path, processes):
    master = Redis(tmp_path).start()
    replica = Redis(tmp_path).start("--replicaof", "127.0.0.1", str(master.port))
    wait_until(lambda: "master_link_status:up" in replica.cli("INFO", "replication"), what="replication")
    sentinel = Sentinel(tmp_path, master, MASTER).start()
    try:
        env = portal_env(
            REDIS_URL=sentinel.url,
            REDIS_SENTINEL_MASTER=MASTER,
            EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        )
        worker = processes.add(celery_worker(env, tmp_path / "worker.log"))

        def send() -> bool:
            try:
                with (
                    Connection(sentinel.url, transport_options={"master_name": MASTER}) as conn,
                    warnings.catch_warnings(),
                ):
                    warnings.simplefilter("ignore")  # task_always_eager: the test process's own setting
                    celery_app.send_task(
                        DELIVER, connection=conn, retry=True, retry_policy={"max_retries": 2}
                    )
                return True
            except Exception:
                return False  # during the failover: the outbox keeps the rows

        sent, stop = [], threading.Event()

        def flow():
            try:
                while not stop.is_set():
                    Notification.objects.create(recipient=ent_a, title=f"sentinel-{len(sent)}")
                    sent.append(send())
                    time.sleep(0.25)
            finally:
                connection.close()  # this thread's own

        flowing = threading.Thread(target=flow)
        flowing.start()
        try:
            wait_until(
                lambda: Notification.objects.filter(
                    title__startswith="sentinel-", emailed_at__isnull=False
                ).exists(),
                timeout=90,
                what="tasks through the first master",
                log=worker.log,
            )
            master.stop()  # the master dies
            wait_until(lambda: sentinel.master_port() == replica.port, timeout=60, what="the failover")
            failed_over = len(sent)
            wait_until(lambda: len(sent) > failed_over + 8, timeout=60, what="more tasks after the failover")
        finally:
            stop.set()
            flowing.join(timeout=60)
        assert any(sent[failed_over:]), "no task could be sent through the new master"
        assert send()  # one more run, as the beat's outbox sweep would
        wait_until(
            lambda: not Notification.objects.filter(title__startswith="sentinel-", emailed_at=None).exists(),
            timeout=90,
            what="every notification delivered through the new master",
            log=worker.log,
        )
        assert worker.alive()  # the same worker followed the failover
        assert "role:master" in replica.cli("INFO", "replication")
    finally:
        sentinel.stop()
        replica.stop()
        master.stop()
