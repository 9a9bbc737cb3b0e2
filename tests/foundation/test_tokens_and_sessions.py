"""API tokens expire and can be revoked; a user sees and ends their sessions and token."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"


def obtain(client, username="ent_a"):
    response = client.post(
        TOKEN, {"username": username, "password": "pw-for-tests-1"}, content_type="application/json"
    )
    assert response.status_code == 200
    return response.json()["token"]


def test_a_token_expires_after_the_configured_days(client, demo, settings):
    assert settings.API_TOKEN_TTL_DAYS == 30
    settings.API_TOKEN_TTL_DAYS = 2
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        token = obtain(client)
        assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
        traveller.shift(timedelta(days=2, seconds=1))
        expired = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
        assert expired.status_code == 401
        assert expired.json()["error"]["code"] == "authentication_failed"
        fresh = obtain(client)
        assert fresh != token
        assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {fresh}").status_code == 200


def test_the_token_answer_says_when_it_expires(client, demo):
    response = client.post(
        TOKEN, {"username": "ent_a", "password": "pw-for-tests-1"}, content_type="application/json"
    )
    assert response.json()["expires_at"]


def test_delete_revokes_the_token(client, demo):
    token = obtain(client)
    revoked = client.delete(TOKEN, HTTP_AUTHORIZATION=f"Token {token}")
    assert revoked.status_code == 204
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401
    assert client.delete(TOKEN, HTTP_AUTHORIZATION=f"Token {token}").status_code == 401
    assert client.delete(TOKEN).status_code == 401


def test_the_sessions_page_lists_and_ends_sessions_and_the_token(client, demo, ent_a):
    from django.test import Client

    laptop, phone = Client(HTTP_USER_AGENT="Laptop browser"), Client(HTTP_USER_AGENT="Phone browser")
    for device in (laptop, phone):
        assert (
            device.post(reverse("login"), {"username": "ent_a", "password": "pw-for-tests-1"}).status_code
            == 302
        )
    token = obtain(client)
    page = laptop.get(reverse("account-sessions"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Laptop browser" in body and "Phone browser" in body
    assert reverse("account-sessions") in laptop.get(reverse("home")).content.decode()  # in the user menu
    sessions = page.context["sessions"]
    other = next(s for s in sessions if not s.is_current)
    laptop.post(reverse("account-session-end", args=[other.handle]))
    assert phone.get(reverse("home")).status_code == 302  # signed out
    assert laptop.get(reverse("home")).status_code == 200
    laptop.post(reverse("account-token-revoke"))
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401
    assert not Token.objects.filter(user=ent_a).exists()


def test_nobody_ends_another_users_session(client, demo, ent_a, ent_b):
    from django.test import Client

    victim = Client()
    victim.post(reverse("login"), {"username": "ent_b", "password": "pw-for-tests-1"})
    client.force_login(ent_a)
    from zone_portal.accounts.models import UserSession

    theirs = UserSession.objects.get(user=ent_b)
    assert client.post(reverse("account-session-end", args=[theirs.handle])).status_code == 404
    assert victim.get(reverse("home")).status_code == 200
