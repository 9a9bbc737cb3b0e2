"""A transaction PostgreSQL rolls back because it collided with another (a deadlock or a
serialization failure) answers 409 "try again" on the API and on the pages, never 500 — shown on
the withdrawal of a request, the path of the deadlock issue 11 found.

The database itself raises the error: a trigger fails the UPDATE with the SQLSTATE PostgreSQL uses
for a deadlock (40P01) or a serialization failure (40001), so the driver's real exception travels
up through the real action and view."""

import pytest
from django.db import OperationalError, connection

from services.models import ServiceRequest

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

COLLISIONS = ["40P01", "40001"]


def fail_updates_of_requests(sqlstate: str):
    table = connection.ops.quote_name(ServiceRequest._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION pg_temp.collide() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"RAISE EXCEPTION 'collision' USING ERRCODE = '{sqlstate}'; END $$"
        )
        cursor.execute(
            f"CREATE TRIGGER collide BEFORE UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION pg_temp.collide()"
        )


@pytest.mark.parametrize("sqlstate", COLLISIONS)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_api_answers_409_try_again(api, ent_a, file_request, sqlstate, language):
    request = file_request()
    fail_updates_of_requests(sqlstate)
    response = api(ent_a).post(
        f"/api/v1/service-requests/{request.pk}/withdraw/", {}, format="json", HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 409
    assert response["Retry-After"] == "1"
    error = response.json()["error"]
    assert error["code"] == "try_again"
    assert ("请重试" if language == "zh-hans" else "Please try again") in error["message"]
    assert ServiceRequest.objects.get(pk=request.pk).status == "submitted"


@pytest.mark.parametrize("sqlstate", COLLISIONS)
def test_a_page_answers_409_try_again(client, ent_a, file_request, sqlstate):
    request = file_request()
    fail_updates_of_requests(sqlstate)
    client.force_login(ent_a)
    detail = f"http://testserver/services/requests/{request.pk}/"
    response = client.post(
        f"/services/requests/{request.pk}/withdraw/", {"reason": "不办了"}, HTTP_REFERER=detail
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "请重试" in page and f'href="{detail}"' in page
    assert ServiceRequest.objects.get(pk=request.pk).status == "submitted"


def test_other_database_errors_stay_errors(api, client, ent_a, file_request):
    request = file_request()
    fail_updates_of_requests("57014")  # query_canceled: not a collision, a failure for the logs
    with pytest.raises(OperationalError):
        api(ent_a).post(f"/api/v1/service-requests/{request.pk}/withdraw/", {}, format="json")
