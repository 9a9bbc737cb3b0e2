"""Hostile bodies and out-of-range input get a 400 with a message, never a 500."""

import json

import pytest

pytestmark = pytest.mark.django_db

NESTED = "[" * 1000 + "]" * 1000  # 2 KB


def test_deeply_nested_json_is_400_for_anonymous_token_requests(client, demo):
    response = client.post("/api/v1/auth/token/", NESTED, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"
    assert response.json()["error"]["message"]


def test_deeply_nested_json_is_400_on_any_json_endpoint(api, ent_a, enterprise_a, admin_user):
    for user, url in [
        (ent_a, "/api/v1/tickets/"),
        (admin_user, "/api/v1/enterprises/"),
        (admin_user, f"/api/v1/enterprises/{enterprise_a.pk}/visits/"),
    ]:
        response = api(user).post(url, NESTED, content_type="application/json")
        assert response.status_code == 400, (url, response.status_code)
        nested_object = '{"a":' * 100 + "1" + "}" * 100
        assert api(user).post(url, nested_object, content_type="application/json").status_code == 400


def test_ordinary_nesting_and_brackets_inside_strings_still_parse(client, demo):
    body = json.dumps({"username": "[[{{" * 10, "password": "x", "extra": [[[1]]]})
    response = client.post("/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 401


def test_an_oversized_json_body_is_400(client, demo, settings):
    settings.API_JSON_MAX_BYTES = 1000
    body = json.dumps({"username": "ent_a", "password": "x", "padding": "u" * 2000})
    response = client.post("/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"
