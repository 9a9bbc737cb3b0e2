"""The broker down while enterprises submit requests and problems (README, "Faults and scale-out"):
every submission is saved and answered at once; `/healthz` stays 200 and says `broker: down`; once
the broker is back, the beat's outbox sweep queues the delivery and every e-mail goes out once."""

import json
import time

import pytest

from zone_portal.notifications.models import Notification

from .servers import celery_beat, free_port, gunicorn, http, portal_env, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_submissions_are_saved_and_answered_while_the_broker_is_down(
    demo, ent_a, broker, processes, start_worker, tmp_path
):
    from feedback.actions import escalation_defaults_install
    from feedback.models import Ticket
    from services.demo import seed_catalog
    from services.models import ServiceRequest
    from zone_portal.accounts.actions import token_issue

    seed_catalog(demo)
    escalation_defaults_install()
    token = token_issue(user=ent_a).key
    Notification.objects.update(emailed_at="2026-01-01T00:00:00+08:00")  # only this test's mail counts
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    processes.add(
        gunicorn(
            portal_env(REDIS_URL=broker.url, HEALTHZ_BROKER_SECONDS="0"), tmp_path / "web.log", port=port
        )
    )
    assert json.loads(http("GET", f"{base}/healthz")[2])["broker"] == "ok"

    broker.stop()
    status, _, body = http("GET", f"{base}/healthz")
    assert status == 200 and json.loads(body)["broker"] == "down"  # stays in rotation

    started = time.monotonic()
    request = http(
        "POST", f"{base}/api/v1/service-requests/", token=token, json_body={"service": "seal-engraving"}
    )
    problem = http(
        "POST",
        f"{base}/api/v1/tickets/",
        token=token,
        json_body={"category": "land", "title": "断网演练", "description": "经纪人宕机时提交的问题。"},
    )
    elapsed = time.monotonic() - started
    assert (request[0], problem[0]) == (201, 201), (request, problem)
    assert elapsed < 20, f"two submissions took {elapsed:.1f} s with the broker down"
    assert ServiceRequest.objects.filter(pk=json.loads(request[2])["id"]).exists()
    assert Ticket.objects.filter(pk=json.loads(problem[2])["id"]).exists()
    waiting = Notification.objects.filter(emailed_at=None).exclude(recipient__email="")
    assert waiting.exists()  # who is told of the submissions (with an e-mail address), in the outbox

    broker.start()  # the same port: the web process reconnects by itself
    mailbox = tmp_path / "mailbox.txt"
    env = {
        "EMAIL_BACKEND": "tests.faults.slowmail.SlowAppendBackend",
        "ZP_SLOWMAIL_FILE": str(mailbox),
        "ZP_SLOWMAIL_SECONDS": "0",
    }
    worker = start_worker("w1", **env)
    processes.add(
        celery_beat(
            portal_env(REDIS_URL=broker.url, OUTBOX_INTERVAL_SECONDS="1"),
            tmp_path / "beat.log",
            tmp_path / "beat-schedule",
        )
    )
    expected = set(waiting.values_list("pk", flat=True))
    wait_until(
        lambda: not Notification.objects.filter(pk__in=expected, emailed_at=None).exists(),
        timeout=90,
        what="the outbox to be delivered once the broker is back",
        log=worker.log,
    )
    lines = mailbox.read_text().splitlines()
    ids = [line.split("\t")[0] for line in lines]
    assert len(ids) == len(set(ids)) == len(expected)  # each once
    assert json.loads(http("GET", f"{base}/healthz")[2])["broker"] == "ok"
