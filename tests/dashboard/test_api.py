"""`GET /api/v1/dashboard/summary/`: the shape the issue asks for, rates in [0, 1] or null."""

import pytest

from tests.dashboard.conftest import MARCH
from tests.dashboard.test_figures import constructed  # noqa: F401

pytestmark = pytest.mark.django_db
URL = "/api/v1/dashboard/summary/"


def rates(node, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from rates(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from rates(value, f"{path}[{i}]")
    elif path.endswith("rate") or path.endswith("coverage"):
        yield path, node


def test_summary_answers_the_documented_keys(api, constructed, admin_user):  # noqa: F811
    body = api(admin_user).get(URL, MARCH).json()

    assert body["period"] == {"from": "2026-03-01", "to": "2026-03-31"}
    assert {"submitted", "completed", "on_time_rate", "agency"} <= set(body["service_requests"])
    assert {"counts", "coverage"} <= set(body["ratings"])
    assert set(body["ratings"]["counts"]) == {"1", "2", "3", "4", "5"}
    assert body["enterprises"]["total"] >= 2
    assert "by_stage" in body["projects"]
    assert body["service_requests"]["submitted"] == 7


def test_every_rate_is_a_share_or_null(api, constructed, demo, admin_user):  # noqa: F811
    for params in ({}, {"park": demo.parks["park2"].pk}, {"department": demo.departments["tax"].pk}):
        body = api(admin_user).get(URL, {**MARCH, **params}).json()
        found = list(rates(body))
        assert found
        for path, value in found:
            assert value is None or (isinstance(value, float | int) and 0 <= value <= 1), (path, value)
    empty = api(admin_user).get(URL, {"from": "2001-01-01", "to": "2001-01-31"}).json()
    assert empty["service_requests"]["on_time_rate"] is None
    assert empty["ratings"]["coverage"] is None


def test_bad_dates_answer_400_with_the_field(api, admin_user):
    response = api(admin_user).get(URL, {"from": "2026-03-31", "to": "2026-03-01"})

    assert response.status_code == 400
    assert "to" in response.json()["error"]["fields"]


def test_the_schema_documents_the_endpoint(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/dashboard/summary/" in schema
