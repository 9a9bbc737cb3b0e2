from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"


def token_attempt(client, username, password="wrong", address="10.0.0.1"):
    return client.post(
        TOKEN,
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def test_five_failures_lock_the_username_on_both_doors(client, demo):
    for _ in range(5):
        assert token_attempt(client, "ent_a").status_code == 401
    blocked = token_attempt(client, "ent_a", password="pw-for-tests-1")
    assert blocked.status_code == 429
    assert blocked.json()["error"]["code"] == "throttled"
    assert "15" in blocked.json()["error"]["message"]
    page = client.post(
        "/accounts/login/", {"username": "ent_a", "password": "pw-for-tests-1"}, REMOTE_ADDR="10.0.0.9"
    )
    assert page.status_code == 429
    assert "登录失败次数过多" in page.content.decode()


def test_other_users_are_not_affected(client, demo):
    for _ in range(5):
        token_attempt(client, "ent_a", address="10.0.0.1")
    assert token_attempt(client, "ent_b", password="pw-for-tests-1", address="10.0.0.2").status_code == 200


def test_one_address_trying_many_usernames_is_locked(client, demo):
    for name in ["u1", "u2", "u3", "u4", "u5"]:
        token_attempt(client, name, address="10.9.9.9")
    assert token_attempt(client, "ent_b", password="pw-for-tests-1", address="10.9.9.9").status_code == 429
    assert token_attempt(client, "ent_b", password="pw-for-tests-1", address="10.9.9.8").status_code == 200


def test_the_lock_lifts_when_the_window_passes(client, demo):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(5):
            token_attempt(client, "ent_a")
        assert token_attempt(client, "ent_a", password="pw-for-tests-1").status_code == 429
        traveller.shift(timedelta(minutes=15, seconds=1))
        assert token_attempt(client, "ent_a", password="pw-for-tests-1").status_code == 200


def test_login_page_failures_count_for_the_token_endpoint(client, demo):
    for _ in range(5):
        response = client.post(
            "/accounts/login/", {"username": "clerk1", "password": "x"}, REMOTE_ADDR="10.1.1.1"
        )
        assert response.status_code == 200
    assert token_attempt(client, "clerk1", password="pw-for-tests-1", address="10.1.1.2").status_code == 429
