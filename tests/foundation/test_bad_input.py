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


CALENDAR_ENDS = [("0001-01-01", "0001-01-31"), ("9999-12-01", "9999-12-31"), ("1899-12-31", "1900-01-05")]


@pytest.mark.parametrize(("first", "last"), CALENDAR_ENDS)
def test_dashboard_periods_at_the_ends_of_the_calendar_are_400_everywhere(
    client, api, admin_user, first, last
):
    from zone_portal.dashboard.drilldown import METRICS

    params = {"from": first, "to": last}
    response = api(admin_user).get("/api/v1/dashboard/summary/", params)
    assert response.status_code == 400
    assert "1900-01-01" in response.json()["error"]["message"]
    client.force_login(admin_user)
    assert client.get("/dashboard/", params).status_code == 400
    assert client.get("/dashboard/export.xlsx", params).status_code == 400
    for metric in METRICS:
        assert client.get(f"/dashboard/cases/{metric}/", params).status_code == 400, metric


def test_the_last_and_first_days_of_the_bound_are_accepted(api, admin_user):
    ok = api(admin_user).get("/api/v1/dashboard/summary/", {"from": "2100-12-01", "to": "2100-12-31"})
    assert ok.status_code == 200
    ok = api(admin_user).get("/api/v1/dashboard/summary/", {"from": "1900-01-01", "to": "1900-01-31"})
    assert ok.status_code == 200


def test_date_inputs_of_forms_serializers_and_filters_share_the_bound(api, admin_user, cso1, enterprise_a):
    from django import forms
    from rest_framework import serializers

    class AnyForm(forms.Form):
        day = forms.DateField()

    class AnySerializer(serializers.Serializer):
        day = serializers.DateField()

    for value, ok in [("0001-01-01", False), ("9999-12-31", False), ("2026-03-01", True)]:
        assert AnyForm({"day": value}).is_valid() is ok
        assert AnySerializer(data={"day": value}).is_valid() is ok
    visit = api(cso1).post(
        f"/api/v1/enterprises/{enterprise_a.pk}/visits/",
        {"visited_on": "0001-01-01", "findings": "x"},
        format="json",
    )
    assert visit.status_code == 400 and "visited_on" in visit.json()["error"]["fields"]


def test_datetime_inputs_share_the_bound():
    from django import forms
    from rest_framework import serializers

    class AnyForm(forms.Form):
        at = forms.DateTimeField()

    class AnySerializer(serializers.Serializer):
        at = serializers.DateTimeField()

    for value, ok in [("0001-01-01T10:00", False), ("9999-12-31T23:00", False), ("2026-03-01T09:30", True)]:
        assert AnyForm({"at": value}).is_valid() is ok, value
        assert AnySerializer(data={"at": value}).is_valid() is ok, value
