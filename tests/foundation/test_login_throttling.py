from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.concurrency import run_together
from zone_portal.accounts.auth import authenticate_throttled
from zone_portal.accounts.throttle import LoginThrottled

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
        "/accounts/login/", {"username": "ent_a", "password": "pw-for-tests-1"}, REMOTE_ADDR="10.0.0.1"
    )
    assert page.status_code == 429
    assert "登录失败次数过多" in page.content.decode()


def test_failures_from_elsewhere_do_not_lock_the_user_out_at_once(client, demo, settings):
    # someone guessing ent_a's password from another address is stopped there; ent_a is not
    for _ in range(5):
        token_attempt(client, "ent_a", address="10.6.6.6")
    assert token_attempt(client, "ent_a", password="pw-for-tests-1", address="10.6.6.6").status_code == 429
    assert token_attempt(client, "ent_a", password="pw-for-tests-1", address="10.0.0.1").status_code == 200


def test_guessing_one_name_from_many_addresses_locks_the_name(client, demo, settings):
    for i in range(settings.LOGIN_FAILURE_USER_LIMIT):
        token_attempt(client, "ent_a", address=f"10.7.0.{i}")
    assert token_attempt(client, "ent_a", password="pw-for-tests-1", address="10.0.0.1").status_code == 429


def test_a_success_resets_the_users_count(client, demo):
    for _ in range(4):
        token_attempt(client, "ent_a")
    assert token_attempt(client, "ent_a", password="pw-for-tests-1").status_code == 200
    for _ in range(4):
        assert token_attempt(client, "ent_a").status_code == 401
    assert token_attempt(client, "ent_a", password="pw-for-tests-1").status_code == 200


def test_a_wrong_name_and_a_wrong_password_get_the_same_answer(client, demo):
    nobody = token_attempt(client, "nobody-here", address="10.3.0.1")
    wrong = token_attempt(client, "ent_a", address="10.3.0.2")
    assert (nobody.status_code, nobody.json()) == (wrong.status_code, wrong.json())
    pages = [
        client.post(reverse("login"), {"username": name, "password": "x"}, REMOTE_ADDR="10.3.0.3")
        for name in ("nobody-here", "ent_a")
    ]
    assert pages[0].status_code == pages[1].status_code == 200
    assert pages[0].context["form"].errors == pages[1].context["form"].errors
    for _ in range(5):
        token_attempt(client, "nobody-here", address="10.3.0.4")
        token_attempt(client, "ent_a", address="10.3.0.4")
    nobody = token_attempt(client, "nobody-here", address="10.3.0.4")
    locked = token_attempt(client, "ent_a", address="10.3.0.4")
    assert (nobody.status_code, nobody.json()) == (locked.status_code, locked.json())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_passwords_are_checked_at_most_limit_times(demo, rf, settings, monkeypatch):
    from django.contrib.auth.backends import ModelBackend

    checked = []
    real = ModelBackend.authenticate

    def counting(self, request, username=None, password=None, **kwargs):
        checked.append(username)
        return real(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counting)

    def attempt():
        request = rf.post("/", REMOTE_ADDR="10.8.8.8")
        try:
            return authenticate_throttled(request, username="ent_a", password="wrong")
        except LoginThrottled:
            return "throttled"

    results = run_together(*[attempt for _ in range(30)])
    assert len(checked) <= settings.LOGIN_FAILURE_LIMIT
    assert [r for _, r in results].count("throttled") >= 30 - settings.LOGIN_FAILURE_LIMIT


def test_other_users_are_not_affected(client, demo):
    for _ in range(5):
        token_attempt(client, "ent_a", address="10.0.0.1")
    assert token_attempt(client, "ent_b", password="pw-for-tests-1", address="10.0.0.2").status_code == 200


def test_a_few_failures_behind_one_address_do_not_lock_out_its_other_users(client, demo):
    # a service hall or a park behind NAT is one address
    for name in ["u1", "u2", "u3", "u4", "u5", "u6"]:
        token_attempt(client, name, address="10.9.9.9")
    assert token_attempt(client, "ent_b", password="pw-for-tests-1", address="10.9.9.9").status_code == 200


def test_one_address_trying_very_many_usernames_is_locked(client, demo, settings):
    settings.LOGIN_FAILURE_ADDRESS_LIMIT = 12
    for i in range(12):
        token_attempt(client, f"u{i}", address="10.9.9.9")
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
    assert token_attempt(client, "clerk1", password="pw-for-tests-1", address="10.1.1.1").status_code == 429
