"""The OpenAPI schema says what the server does: error answers, nullable fields, times, paging."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api, admin_user):
    response = api(admin_user).get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_every_operation_documents_its_error_answers_in_the_one_shape(schema):
    assert schema["components"]["schemas"]["Error"]["required"] == ["error"]
    missing = [
        f"{method.upper()} {path} {status}"
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        for status in ("400", "403", "404", "409")
        if operation["responses"].get(status, {}).get("content", {}).get("application/json", {}).get("schema")
        != {"$ref": "#/components/schemas/Error"}
    ]
    assert missing == []


def test_fields_that_can_be_null_are_declared_nullable(schema):
    schemas = schema["components"]["schemas"]
    assert schemas["TicketDetail"]["properties"]["project"].get("nullable") is True
    assert schemas["ServiceRequest"]["properties"]["parent"].get("nullable") is True
    assert schemas["ServiceRequest"]["properties"]["assignee"].get("nullable") is True


def test_times_of_day_are_not_declared_as_rfc3339_times(schema):
    start = schema["components"]["schemas"]["AppointmentSlot"]["properties"]["start"]
    assert "format" not in start and start["pattern"]


def test_path_ids_are_declared_as_the_url_patterns_route_them(schema):
    (parameter,) = schema["paths"]["/api/v1/tickets/{id}/"]["get"]["parameters"]
    assert parameter["schema"]["minimum"] == 0


@pytest.mark.parametrize("page_size", ["null", "", "-1", "0", "2.5"])
def test_a_page_size_that_is_not_a_whole_number_is_refused(api, admin_user, page_size):
    response = api(admin_user).get("/api/v1/enterprises/", {"page_size": page_size})
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["page_size"]


def test_a_page_size_is_still_capped_at_100(api, admin_user):
    assert api(admin_user).get("/api/v1/enterprises/", {"page_size": 1000}).status_code == 200


@pytest.mark.parametrize(
    "path", ["/api/v1/service-requests/{id}/materials/", "/api/v1/enterprises/{id}/visits/"]
)
def test_a_list_that_also_creates_documents_201_for_the_post(schema, path):
    assert "201" in schema["paths"][path]["post"]["responses"]
    assert "201" not in schema["paths"][path]["get"]["responses"]


def test_each_app_names_its_own_enums_and_a_name_given_twice_is_refused():
    from django.conf import settings

    from zone_portal.api.enum_names import ENUM_NAMES, EnumNames

    overrides = settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]
    assert overrides is ENUM_NAMES
    # registered by the apps' configs, not written in the settings
    assert overrides["TicketStatusEnum"] == "feedback.models.Ticket.Status"
    assert overrides["HazardStatusEnum"] == "safety.models.HazardStatus"
    names = EnumNames()
    names.register({"AEnum": "a.models.A"})
    names.register({"AEnum": "a.models.A"})  # the same declaration again changes nothing
    with pytest.raises(ValueError, match="AEnum"):
        names.register({"AEnum": "b.models.B"})
