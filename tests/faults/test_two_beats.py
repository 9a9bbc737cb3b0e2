"""Two workers and two beats against one database and broker, for about a week of accelerated time
(README, "Faults and scale-out"): every process runs on a clock 14,400 times faster than the real
one (`tests/faults/fastclock.py`: an hour every quarter of a second), each beat sends every sweep once
a real second, so each sweep runs about twice per accelerated four hours, often at the same moment
on both workers. No escalation, event or notification is doubled, none is lost: six identical
problems raised at the start must end with identical histories, each with one escalation.

About two minutes: run with ZP_FAULTS_LONG=1 (CI runs the shorter fault checks)."""

import os
import sys
import time
from datetime import datetime

import pytest

from zone_portal.notifications.models import Notification

from .servers import Process, portal_env

pytestmark = [
    pytest.mark.worker,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(os.environ.get("ZP_FAULTS_LONG") != "1", reason="long fault check: ZP_FAULTS_LONG=1"),
]

SPEED = 14_400
RUN_SECONDS = 45  # real: 180 accelerated hours, Saturday morning to Thursday afternoon


def test_two_workers_and_two_beats_double_nothing_and_lose_nothing(demo, broker, processes, tmp_path):
    from django.utils import timezone

    from feedback.actions import escalation_defaults_install
    from feedback.models import Whistle
    from tests.feedback.factories import raise_ticket
    from zone_portal.events.models import Event

    escalation_defaults_install()
    t0 = time.time()
    start = datetime.fromtimestamp(t0, tz=timezone.get_current_timezone())
    tickets = [raise_ticket(demo, title=f"双节拍演练 {i}", now=start) for i in range(6)]
    ids = [t.pk for t in tickets]
    env = portal_env(
        REDIS_URL=broker.url,
        ZP_FASTCLOCK_T0=str(t0),
        ZP_FASTCLOCK_SPEED=str(SPEED),
        BROKER_VISIBILITY_TIMEOUT=str(10**9),  # accelerated seconds: no redelivery of running tasks
        SWEEP_INTERVAL_SECONDS=str(SPEED),  # one real second
        ROLLUP_INTERVAL_SECONDS=str(SPEED),
        OUTBOX_INTERVAL_SECONDS=str(SPEED),
        BEAT_MAX_LOOP_INTERVAL="1",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    )
    fast = [sys.executable, "-m", "tests.faults.fastclock", "celery", "-A", "zone_portal"]
    workers = [
        processes.add(
            Process(
                [*fast, "worker", "--pool=solo", f"--hostname={name}@%h", "--loglevel=INFO", "--without-gossip",
                 "--without-mingle", "--without-heartbeat"],
                env=env,
                log=tmp_path / f"{name}.log",
            )
        )
        for name in ("w1", "w2")
    ]  # fmt: skip
    beats = [
        processes.add(
            Process(
                [*fast, "beat", "--loglevel=INFO", f"--schedule={tmp_path / name}"],
                env=env,
                log=tmp_path / f"{name}.log",
            )
        )
        for name in ("beat1", "beat2")
    ]
    time.sleep(RUN_SECONDS)
    for beat in beats:
        beat.stop()
    time.sleep(3)  # the tasks already sent
    for worker in workers:
        worker.stop()

    logs = {p.log.name: p.output() for p in [*workers, *beats]}
    for name, text in logs.items():
        assert "Traceback" not in text and "ERROR" not in text, f"{name}:\n{text[-3000:]}"
    for name in ("w1.log", "w2.log"):  # both took part (how many depends on the machine's load:
        # a sweep waiting longer than its interval expires, superseded by the next one)
        assert logs[name].count("feedback.tasks.sweep_deadlines") >= 3, f"{name} ran few sweeps"

    def history(pk):
        rows = Event.objects.filter(object_id=pk, content_type__model="ticket").values_list("kind", "data")
        return sorted((kind, str(data.get("deadline")), str(data.get("department"))) for kind, data in rows)

    histories = [history(pk) for pk in ids]
    assert all(h == histories[0] for h in histories), histories
    assert [k for k, *_ in histories[0]].count("escalated") == 1, histories[0]
    assert len(histories[0]) == len(set(histories[0])), histories[0]  # no event twice
    whistles = list(
        Whistle.objects.filter(ticket_id__in=ids).values_list("ticket_id", "department_id", "round")
    )
    assert whistles and len(whistles) == len(set(whistles))
    per_ticket = [Notification.objects.filter(dedupe_key__contains=f"ticket:{pk}:").count() for pk in ids]
    assert per_ticket[0] > 0 and len(set(per_ticket)) == 1, per_ticket
