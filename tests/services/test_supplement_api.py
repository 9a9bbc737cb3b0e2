"""The API's supplement is the page's: the clerk ticks materials of the service's checklist (plus
other lines and a note), the applicant sends one upload field per material asked for (`slot-<n>`);
a tick or a slot the checklist does not have, or one not asked for, is a 400 that names it, and
nothing is written."""

import pytest

from services.models import RequestStatus

from .conftest import pdf

pytestmark = pytest.mark.django_db


def _url(request, verb):
    return f"/api/v1/service-requests/{request.pk}/{verb}/"


def test_the_clerk_ticks_the_checklist_plus_other_lines_and_a_note(api, clerk1, file_request):
    request = file_request(state="accepted", by=clerk1)
    response = api(clerk1).post(
        _url(request, "request-supplement"),
        {"missing": ["刻章申请表", "营业执照副本"], "other": ["授权委托书"], "note": "请一次补齐"},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    # the ticks in the checklist's order, then the other lines
    assert body["supplement_missing"] == ["营业执照副本", "刻章申请表", "授权委托书"]
    assert body["supplement_note"] == "请一次补齐"


def test_a_tick_the_checklist_does_not_have_is_a_400_naming_it(api, clerk1, file_request):
    request = file_request(state="accepted", by=clerk1)
    response = api(clerk1).post(
        _url(request, "request-supplement"), {"missing": ["营业执照副本", "公章"]}, format="json"
    )
    assert response.status_code == 400
    assert "公章" in response.json()["error"]["message"]
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED and request.supplement_rounds == 0


def test_the_applicant_supplies_the_asked_material_in_its_slot(api, clerk1, ent_a, file_request):
    request = file_request(state="accepted", by=clerk1)
    api(clerk1).post(_url(request, "request-supplement"), {"missing": ["法定代表人身份证"]}, format="json")
    response = api(ent_a).post(
        _url(request, "supplement"), {"note": "已补", "slot-1": [pdf("身份证.pdf")]}, format="multipart"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == RequestStatus.ACCEPTED
    assert [(m["original_name"], m["slot"]) for m in body["materials"]] == [
        ("身份证.pdf", "法定代表人身份证")
    ]


@pytest.mark.parametrize(
    ("field", "named"),
    [("slot-9", "slot-9"), ("slot-0", "营业执照副本")],  # no such slot; a slot not asked for
)
def test_a_bad_slot_is_a_400_naming_it_and_nothing_is_written(api, clerk1, ent_a, file_request, field, named):
    request = file_request(state="accepted", by=clerk1)
    api(clerk1).post(_url(request, "request-supplement"), {"missing": ["法定代表人身份证"]}, format="json")
    response = api(ent_a).post(_url(request, "supplement"), {field: [pdf()]}, format="multipart")
    assert response.status_code == 400
    assert named in response.json()["error"]["message"]
    request.refresh_from_db()
    assert request.status == RequestStatus.SUPPLEMENT_REQUIRED and not request.materials.exists()


def test_the_schema_documents_the_ticks_and_the_slots(api, admin_user):
    schema = api(admin_user).get("/api/schema/?format=json").json()
    paths = schema["paths"]
    ask = paths["/api/v1/service-requests/{id}/request-supplement/"]["post"]["requestBody"]["content"]
    supply = paths["/api/v1/service-requests/{id}/supplement/"]["post"]["requestBody"]["content"]
    components = schema["components"]["schemas"]
    ask_schema = components[ask["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]]
    supply_schema = components[supply["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[1]]
    assert {"missing", "other", "note"} <= set(ask_schema["properties"])
    assert "checklist" in ask_schema["properties"]["missing"]["description"]
    assert {"note", "files", "slot_n"} <= set(supply_schema["properties"])
    assert "slot-<n>" in supply_schema["properties"]["slot_n"]["description"]


def test_asking_only_for_materials_the_checklist_does_not_name_is_not_a_500(api, clerk1, file_request):
    # `missing` is optional in the API: a request with only `other` lines reached the action
    # without it (TypeError, 500) before the action gave it a default.
    request = file_request(state="accepted", by=clerk1)
    response = api(clerk1).post(
        _url(request, "request-supplement"), {"other": ["授权委托书"], "note": "请补充"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["supplement_missing"] == ["授权委托书"]
