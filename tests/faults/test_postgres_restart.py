"""PostgreSQL restarted under load (README, "Faults and scale-out"): requests in flight and during
the restart answer 503 with a message (JSON for the API, the portal's page for HTML), never 500;
once it is back, the very next requests succeed and the worker carries on, with no process restarted
(persistent connections are health-checked before reuse: CONN_HEALTH_CHECKS).

The cluster is the test's own (initdb into a temporary folder, another port), holding a copy of the
test database; web (gunicorn, 4 threads) and a worker run against it."""

import json
import threading
import time

import pytest
from django.conf import settings
from django.test import Client

from .servers import PgCluster, database_url_of_tests, free_port, gunicorn, http, portal_env, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cluster():
    pg = PgCluster().init().start()  # under /tmp: pytest's tmp_path is not readable by postgres
    yield pg
    pg.destroy()


def test_postgresql_restart_under_load_is_503_never_500_then_recovers(
    demo, ent_a, cluster, processes, broker, start_worker, tmp_path
):
    from services.demo import seed_catalog
    from zone_portal.accounts.actions import token_issue

    seed_catalog(demo)
    token = token_issue(user=ent_a).key
    signed_in = Client()
    signed_in.force_login(ent_a)  # a session row, copied with the database
    cookie = {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={signed_in.cookies[settings.SESSION_COOKIE_NAME].value}"
    }
    url = cluster.copy_database(database_url_of_tests(), "portal")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = portal_env(DATABASE_URL=url, REDIS_URL=broker.url, DEBUG="0", DB_CONN_MAX_AGE="600")
    processes.add(gunicorn(env, tmp_path / "web.log", port=port, threads=4))
    worker = start_worker(
        "w1", DATABASE_URL=url, EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"
    )

    def submit():
        return http("POST", f"{base}/api/v1/service-requests/", token=token, json_body={"service": "invoice"})

    assert submit()[0] == 201  # the worker delivers its notification: it holds a connection too
    wait_until(
        lambda: (
            cluster.psql("SELECT count(*) FROM notifications_notification WHERE emailed_at IS NULL", "portal")
            == "0"
        ),
        timeout=60,
        what="the first delivery",
        log=worker.log,
    )

    answers, stop = [], threading.Event()

    def load(i):
        while not stop.is_set():
            api = i % 2 == 0
            sent = time.monotonic()
            if api:
                status, headers, body = http("GET", f"{base}/api/v1/service-requests/", token=token)
            else:  # the home page of a signed-in person: session, user, inbox, all from the database
                status, headers, body = http("GET", f"{base}/", headers=cookie)
            # (sent, answered): a request counts for a window it lay entirely inside
            answers.append(((sent, time.monotonic()), api, status, headers.get("Content-Type", ""), body))

    threads = [threading.Thread(target=load, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    try:
        time.sleep(1.5)
        cluster.restart("fast")  # sessions in flight are terminated; new ones refused while it restarts
        time.sleep(1.5)
        cluster.stop("fast")  # down for a while: every request in this window answers 503
        down_from = time.monotonic()
        time.sleep(1.5)
        down_until = time.monotonic()
        cluster.start()
        back = time.monotonic()
        time.sleep(1.5)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=40)

    statuses = {status for *_, status, _, _ in answers}
    assert statuses <= {200, 503}, sorted((s, b[:300]) for _, _, s, _, b in answers if s not in (200, 503))
    during = [a for a in answers if down_from + 0.2 < a[0][0] and a[0][1] < down_until]
    assert during and all(a[2] == 503 for a in during)
    for _, api, status, content_type, body in answers:
        if status != 503:
            continue
        if api:
            assert content_type.startswith("application/json")
            assert json.loads(body)["error"]["code"] == "unavailable"
        else:
            assert content_type.startswith("text/html") and "Briefly unavailable" in body
    after = [a for a in answers if a[0][0] > back + 0.5]
    assert after and all(a[2] == 200 for a in after), [(a[2], a[4][:200]) for a in after if a[2] != 200]

    # The same processes carry on: a submission is saved, and the worker (its connection cut twice)
    # delivers its notification.
    assert submit()[0] == 201
    wait_until(
        lambda: (
            cluster.psql("SELECT count(*) FROM notifications_notification WHERE emailed_at IS NULL", "portal")
            == "0"
        ),
        timeout=60,
        what="the worker to deliver after the restart",
        log=worker.log,
    )
    assert worker.alive()
