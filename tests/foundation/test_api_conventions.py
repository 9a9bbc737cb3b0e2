import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_token_login_then_me_answers_roles_and_scopes(client, demo, ent_a, enterprise_a):
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "ent_a", "password": "pw-for-tests-1"},
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    me = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").json()
    assert me["username"] == "ent_a"
    assert me["roles"] == ["enterprise_staff"]
    assert me["enterprise_ids"] == [enterprise_a.pk]
    assert me["park_ids"] == [] and me["department_codes"] == []
    assert me["display_name"]


def test_me_lists_parks_and_departments(api, park1, dept_land, demo):
    assert api(park1).get("/api/v1/me/").json()["park_ids"] == [demo.parks["park1"].pk]
    body = api(dept_land).get("/api/v1/me/").json()
    assert body["department_codes"] == ["land"]
    assert body["roles"] == ["department_officer"]


def test_wrong_password_is_401_in_the_error_shape(client, demo):
    response = client.post(
        "/api/v1/auth/token/", {"username": "ent_a", "password": "nope"}, content_type="application/json"
    )
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "authentication_failed"
    assert error["message"]


def test_missing_fields_are_400_with_field_errors(client, demo):
    response = client.post("/api/v1/auth/token/", {"username": "ent_a"}, content_type="application/json")
    assert response.status_code == 400
    assert "password" in response.json()["error"]["fields"]


def test_default_deny_for_anonymous(client, db):
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_session_login_page_signs_in(client, demo):
    response = client.post(reverse("login"), {"username": "clerk1", "password": "pw-for-tests-1"})
    assert response.status_code == 302
    assert client.get("/api/v1/me/").json()["username"] == "clerk1"


def test_error_messages_follow_the_language(client, db):
    zh = client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()["error"]["message"]
    en = client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en").json()["error"]["message"]
    assert en == "Authentication credentials were not provided."
    assert zh != en and any("\u4e00" <= ch <= "\u9fff" for ch in zh)


def test_notifications_list_is_paginated_and_scoped(api, demo, ent_a, ent_b):
    from zone_portal.notifications.actions import notify

    notify(recipients=[ent_a], title="for a")
    notify(recipients=[ent_b], title="for b")
    body = api(ent_a).get("/api/v1/notifications/?page_size=1").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 1 and body["results"][0]["title"] == "for a"
    other = api(ent_b).get("/api/v1/notifications/").json()["results"][0]["id"]
    assert api(ent_a).post(f"/api/v1/notifications/{other}/read/").status_code == 404


def test_page_size_is_capped_at_100(api, demo, ent_a):
    from zone_portal.notifications.actions import notify

    for i in range(3):
        notify(recipients=[ent_a], title=f"n{i}")
    response = api(ent_a).get("/api/v1/notifications/?page_size=1000")
    assert response.status_code == 200 and response.json()["count"] == 3


def test_schema_and_offline_docs(client, db):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/me/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html and "cdn" not in html.lower() and "unpkg" not in html


def test_healthz_reports_database_and_broker(client, db):
    body = client.get("/healthz").json()
    assert body["database"] == "ok"
    assert body["status"] == "ok"
    assert "broker" in body


def test_healthz_is_503_when_the_database_is_down(client, db, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(self, sql, params=None):
        raise __import__("django.db", fromlist=["OperationalError"]).OperationalError("down")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"].startswith("error")


@pytest.mark.parametrize("rows", [1, 30])
def test_notification_list_query_count_does_not_grow(api, demo, ent_a, django_assert_num_queries, rows):
    from zone_portal.notifications.actions import notify

    for i in range(rows):
        notify(recipients=[ent_a], title=f"n{i}")
    client = api(ent_a)
    with django_assert_num_queries(3):  # the caller's roles (machine clients are refused) + count + page
        assert client.get("/api/v1/notifications/").status_code == 200


@pytest.mark.parametrize("rows", [1, 30])
def test_inbox_page_query_count_does_not_grow(client, demo, ent_a, django_assert_num_queries, rows):
    from zone_portal.notifications.actions import notify

    for i in range(rows):
        notify(recipients=[ent_a], title=f"n{i}")
    client.force_login(ent_a)
    client.get("/inbox/")  # warm the session
    # session, user, unread count, role grants (menu), page count, page rows
    with django_assert_num_queries(6):
        assert client.get("/inbox/").status_code == 200
