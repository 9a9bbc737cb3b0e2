"""The read replica (README, "Faults and scale-out"): with DATABASE_REPLICA_URL, the dashboards, the
public page and the exports read from a real PostgreSQL streaming replica (pg_basebackup -R from a
primary of the test's own, both on loopback ports), everything else from the primary, and a person
who has just written reads the primary for REPLICA_PIN_SECONDS.

To see which server answered, the replica's replay is paused: a row written then is on the primary
only."""

import io
import json
import time

import pytest
from django.conf import settings
from django.test import Client
from openpyxl import load_workbook

from zone_portal.replica import PIN_COOKIE

from .servers import PgCluster, database_url_of_tests, free_port, gunicorn, http, portal_env, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NAME = "只读副本演练有限公司"


@pytest.fixture
def primary():
    pg = PgCluster().init().start()
    yield pg
    pg.destroy()


def _session(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _exported_names(base, cookie) -> set[str]:
    import urllib.request

    request = urllib.request.Request(f"{base}/enterprises/export.xlsx", headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=30) as response:
        sheet = load_workbook(io.BytesIO(response.read()), read_only=True).worksheets[0]
        return {str(row[0]) for row in sheet.iter_rows(values_only=True) if row and row[0]}


def test_reads_go_to_the_replica_and_a_writer_is_pinned_to_the_primary(
    demo, clerk1, clerk2, admin_user, primary, tmp_path, processes
):
    from tests.factories import make_uscc
    from zone_portal.accounts.actions import token_issue

    token = token_issue(user=clerk1).key
    sessions = {user.username: _session(user) for user in (clerk1, clerk2, admin_user)}
    url = primary.copy_database(database_url_of_tests(), "portal")
    replica = PgCluster().follow(primary).start()
    try:
        replica_url = replica.url("portal")
        wait_until(lambda: replica.psql("SELECT pg_is_in_recovery()", "portal") == "t", what="the replica")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = portal_env(
            DATABASE_URL=url, DATABASE_REPLICA_URL=replica_url, REPLICA_PIN_SECONDS="3", DEBUG="0"
        )
        processes.add(gunicorn(env, tmp_path / "web.log", port=port))

        replica.psql("SELECT pg_wal_replay_pause()", "portal")
        status, headers, body = http(
            "POST",
            f"{base}/api/v1/enterprises/",
            token=token,
            json_body={"name": NAME, "uscc": make_uscc(4242), "park": demo.parks["park1"].pk},
        )
        assert status == 201, body
        assert f"{PIN_COOKIE}=1" in headers.get("Set-Cookie", "") and "Max-Age=3" in headers["Set-Cookie"]
        pin = f"{PIN_COOKIE}=1"

        # The writer, pinned, exports from the primary and sees the new enterprise.
        assert NAME in _exported_names(base, f"{sessions['clerk1']}; {pin}")
        # A colleague exports from the replica (paused): not there yet...
        assert NAME not in _exported_names(base, sessions["clerk2"])
        # ... while an ordinary page of theirs reads the primary.
        listed = http(
            "GET",
            f"{base}/enterprises/?q=%E5%8F%AA%E8%AF%BB%E5%89%AF%E6%9C%AC",
            headers={"Cookie": sessions["clerk2"]},
        )
        assert listed[0] == 200 and NAME in listed[2]
        # The dashboards and the public page work on the replica (a hot standby).
        assert http("GET", f"{base}/dashboard/public/")[0] == 200
        assert http("GET", f"{base}/dashboard/", headers={"Cookie": sessions["admin"]})[0] == 200
        summary = http("GET", f"{base}/api/v1/dashboard/summary/", headers={"Cookie": sessions["admin"]})
        assert summary[0] == 200, summary[2][:500]
        json.loads(summary[2])

        # The pin lasts REPLICA_PIN_SECONDS: the browser drops the cookie, and the writer reads the replica.
        time.sleep(3)
        assert NAME not in _exported_names(base, sessions["clerk1"])

        replica.psql("SELECT pg_wal_replay_resume()", "portal")
        wait_until(lambda: NAME in _exported_names(base, sessions["clerk2"]), timeout=30, what="replay")
        assert (
            replica.psql(f"SELECT count(*) FROM enterprises_enterprise WHERE name = '{NAME}'", "portal")
            == "1"
        )
    finally:
        replica.destroy()
