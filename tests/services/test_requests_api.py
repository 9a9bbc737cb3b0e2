"""The request API: filing, scoping, filters, the clerk's actions and the transition table."""

import re

import pytest

from services import actions
from services.models import REQUEST_TRANSITIONS, RequestStatus, ServiceRequest

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"^FW\d{8}-\d{4}$")


def test_enterprise_files_a_request_and_gets_a_number(api, ent_a, enterprise_a, catalog):
    response = api(ent_a).post(
        "/api/v1/service-requests/", {"service": "seal-engraving", "description": "刻公章"}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert NUMBER.match(body["number"])
    assert body["status"] == "submitted" and body["id"]
    assert body["enterprise"] == enterprise_a.pk and body["agency"] is False
    assert [e["kind"] for e in body["events"]] == ["submitted"]


def test_numbers_count_up_within_the_day(api, ent_a, catalog):
    numbers = [
        api(ent_a).post("/api/v1/service-requests/", {"service": "invoice"}, format="json").json()["number"]
        for _ in range(3)
    ]
    serials = [int(n.rsplit("-", 1)[1]) for n in numbers]
    assert serials == [serials[0], serials[0] + 1, serials[0] + 2]
    assert len({n.split("-")[0] for n in numbers}) == 1


def test_cso_files_on_behalf_of_an_enterprise_as_help_and_agency(api, cso1, enterprise_a, ent_a, catalog):
    response = api(cso1).post(
        "/api/v1/service-requests/",
        {"service": "construction-permit", "enterprise": enterprise_a.pk},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["agency"] is True and body["agent"]["username"] == "cso1"
    # The enterprise sees it and is told.
    assert api(ent_a).get(f"/api/v1/service-requests/{body['id']}/").status_code == 200
    assert ent_a.notifications.filter(title__contains=body["number"]).exists()
    listed = api(ent_a).get("/api/v1/service-requests/?agency=true").json()
    assert [r["number"] for r in listed["results"]] == [body["number"]]


def test_clerk_files_for_a_company_being_founded_without_an_enterprise(api, clerk1, catalog):
    response = api(clerk1).post(
        "/api/v1/service-requests/",
        {"service": "business-license", "applicant_name": "王先生", "applicant_phone": "13800000000"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["enterprise"] is None and response.json()["applicant_name"] == "王先生"


def test_enterprise_staff_cannot_file_for_another_enterprise(api, ent_a, enterprise_b, catalog):
    response = api(ent_a).post(
        "/api/v1/service-requests/", {"service": "invoice", "enterprise": enterprise_b.pk}, format="json"
    )
    assert response.status_code in (400, 403)
    assert not ServiceRequest.objects.exists()


def test_unknown_service_is_400_with_the_field(api, ent_a, catalog):
    response = api(ent_a).post("/api/v1/service-requests/", {"service": "nope"}, format="json")
    assert response.status_code == 400
    assert "service" in response.json()["error"]["fields"]


def test_other_enterprise_gets_404_on_the_request_and_its_actions(api, ent_b, file_request):
    request = file_request()
    assert api(ent_b).get(f"/api/v1/service-requests/{request.pk}/").status_code == 404
    assert api(ent_b).post(f"/api/v1/service-requests/{request.pk}/withdraw/").status_code == 404
    assert api(ent_b).get(f"/api/v1/service-requests/{request.pk}/materials/").status_code == 404
    assert api(ent_b).get("/api/v1/service-requests/").json()["count"] == 0


def test_the_clerk_walks_a_request_to_completion(api, clerk1, ent_a, file_request):
    request = file_request()
    clerk = api(clerk1)
    url = f"/api/v1/service-requests/{request.pk}"
    claimed = clerk.post(f"{url}/claim/").json()
    assert claimed["assignee"]["username"] == "clerk1"
    accepted = clerk.post(f"{url}/accept/").json()
    assert (
        accepted["status"] == "accepted"
        and accepted["due_at"]
        and accepted["sla_state"] in ("on_track", "at_risk", "overdue")
    )
    supplement = clerk.post(
        f"{url}/request-supplement/",
        {"missing": ["营业执照副本", "法定代表人身份证"], "note": "请补齐"},
        format="json",
    )
    assert supplement.status_code == 200
    assert supplement.json()["sla_state"] == "paused"
    assert supplement.json()["supplement_missing"] == ["营业执照副本", "法定代表人身份证"]
    assert (
        api(ent_a).post(f"{url}/supplement/", {"note": "已补齐"}, format="json").json()["status"]
        == "accepted"
    )
    done = clerk.post(f"{url}/complete/", {"result": "印章已刻制"}, format="json").json()
    assert done["status"] == "completed" and done["sla_state"] == "done"
    assert done["handled_by"]["username"] == "clerk1"
    kinds = [e["kind"] for e in done["events"]]
    assert kinds == ["submitted", "claimed", "accepted", "supplement_requested", "supplemented", "completed"]


def test_accepting_needs_the_claim_first(api, clerk1, file_request):
    request = file_request()
    response = api(clerk1).post(f"/api/v1/service-requests/{request.pk}/accept/")
    assert response.status_code == 403
    assert (
        "claim" in response.json()["error"]["message"].lower()
        or "认领" in response.json()["error"]["message"]
    )


def test_a_request_supplement_lists_at_least_one_missing_material(api, clerk1, file_request):
    request = file_request(state="accepted", by=clerk1)
    response = api(clerk1).post(
        f"/api/v1/service-requests/{request.pk}/request-supplement/", {"missing": []}, format="json"
    )
    assert response.status_code == 400


def test_reject_needs_a_reason(api, clerk1, file_request):
    request = file_request(state="claimed", by=clerk1)
    assert (
        api(clerk1).post(f"/api/v1/service-requests/{request.pk}/reject/", {}, format="json").status_code
        == 400
    )
    body = (
        api(clerk1)
        .post(f"/api/v1/service-requests/{request.pk}/reject/", {"reason": "不属于本中心办理"}, format="json")
        .json()
    )
    assert body["status"] == "rejected" and body["reject_reason"] == "不属于本中心办理"


def test_applicant_withdraws_before_completion(api, ent_a, clerk1, file_request):
    request = file_request(state="accepted", by=clerk1)
    assert api(ent_a).post(f"/api/v1/service-requests/{request.pk}/withdraw/").json()["status"] == "withdrawn"
    # A clerk is not the applicant.
    other = file_request()
    assert api(clerk1).post(f"/api/v1/service-requests/{other.pk}/withdraw/").status_code == 403


def test_release_and_reassign(api, clerk1, clerk2, file_request, admin_user):
    request = file_request(state="claimed", by=clerk1)
    url = f"/api/v1/service-requests/{request.pk}"
    assert api(clerk2).post(f"{url}/release/").status_code == 403
    assert api(clerk1).post(f"{url}/release/").json()["assignee"] is None
    api(clerk1).post(f"{url}/claim/")
    handed = api(clerk1).post(f"{url}/reassign/", {"assignee": clerk2.pk}, format="json").json()
    assert handed["assignee"]["username"] == "clerk2"
    assert clerk2.notifications.filter(title__contains=request.number).exists()
    # An administrator may move any request.
    assert api(admin_user).post(f"{url}/reassign/", {"assignee": clerk1.pk}, format="json").status_code == 200


def test_reassign_to_someone_who_cannot_handle_it_is_400(api, clerk1, ent_b, file_request):
    request = file_request(state="claimed", by=clerk1)
    response = api(clerk1).post(
        f"/api/v1/service-requests/{request.pk}/reassign/", {"assignee": ent_b.pk}, format="json"
    )
    assert response.status_code == 400


def test_enterprise_cannot_claim(api, ent_a, file_request):
    request = file_request()
    assert api(ent_a).post(f"/api/v1/service-requests/{request.pk}/claim/").status_code == 403


def test_claiming_a_claimed_request_says_who_has_it(api, clerk1, clerk2, file_request):
    request = file_request(state="claimed", by=clerk1)
    response = api(clerk2).post(f"/api/v1/service-requests/{request.pk}/claim/")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "claimed_by_other"
    assert str(clerk1) in error["message"]


def test_department_officer_handles_only_its_departments_items(api, dept_tax, dept_land, file_request):
    request = file_request("invoice")  # tax
    assert api(dept_tax).post(f"/api/v1/service-requests/{request.pk}/claim/").status_code == 200
    assert api(dept_land).get(f"/api/v1/service-requests/{request.pk}/").status_code == 404


# -- the transition table: every verb from every state ---------------------------------------------

VERB_TARGET = {
    "accept": RequestStatus.ACCEPTED,
    "request-supplement": RequestStatus.SUPPLEMENT_REQUIRED,
    "supplement": RequestStatus.ACCEPTED,
    "complete": RequestStatus.COMPLETED,
    "reject": RequestStatus.REJECTED,
    "withdraw": RequestStatus.WITHDRAWN,
}
VERB_BODY = {
    "request-supplement": {"missing": ["营业执照副本"]},
    "supplement": {"note": "ok"},
    "complete": {"result": "ok"},
    "reject": {"reason": "no"},
    "withdraw": {},
    "accept": {},
}
# Where each verb is allowed from (supplement only answers a supplement request; accept only a new one).
ALLOWED_FROM = {
    "accept": {"submitted"},
    "request-supplement": {"accepted"},
    "supplement": {"supplement_required"},
    "complete": {"accepted"},
    "reject": {"submitted", "accepted", "supplement_required"},
    "withdraw": {"submitted", "accepted", "supplement_required"},
}
STATES = ["submitted", "accepted", "supplement_required", "completed", "rejected", "withdrawn"]


def test_the_allowed_from_table_matches_the_model(db):
    for verb, sources in ALLOWED_FROM.items():
        target = VERB_TARGET[verb]
        assert sources <= set(REQUEST_TRANSITIONS.sources(target)), verb


@pytest.mark.parametrize("verb", list(VERB_TARGET))
@pytest.mark.parametrize("state", STATES)
def test_every_transition_is_allowed_or_409(api, clerk1, ent_a, file_request, verb, state):
    if state == "withdrawn":
        request = file_request(state="claimed", by=clerk1)
        actions.request_withdraw(actor=ent_a, service_request=request)
    elif state == "submitted":
        request = file_request(state="claimed", by=clerk1)
    else:
        request = file_request(state=state, by=clerk1)
    actor = ent_a if verb in ("supplement", "withdraw") else clerk1
    response = api(actor).post(
        f"/api/v1/service-requests/{request.pk}/{verb}/", VERB_BODY[verb], format="json"
    )
    if state in ALLOWED_FROM[verb]:
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == VERB_TARGET[verb]
    else:
        assert response.status_code == 409, response.json()
        assert response.json()["error"]["code"] == "transition_forbidden"
        request.refresh_from_db()
        assert request.status == state


def test_list_filters_and_order_by_due_time(api, clerk1, clerk2, file_request, catalog):
    late = file_request("land-planning-permit", state="accepted", by=clerk1)
    soon = file_request("seal-engraving", state="accepted", by=clerk2)
    new = file_request("invoice")
    body = api(clerk1).get("/api/v1/service-requests/").json()
    assert [r["number"] for r in body["results"]] == [soon.number, late.number, new.number]
    mine = api(clerk1).get("/api/v1/service-requests/?assignee=me").json()["results"]
    assert [r["number"] for r in mine] == [late.number]
    unclaimed = api(clerk1).get("/api/v1/service-requests/?assignee=none").json()["results"]
    assert [r["number"] for r in unclaimed] == [new.number]
    by_id = api(clerk1).get(f"/api/v1/service-requests/?assignee={clerk2.pk}").json()["results"]
    assert [r["number"] for r in by_id] == [soon.number]
    assert api(clerk1).get("/api/v1/service-requests/?service=invoice").json()["count"] == 1
    assert api(clerk1).get("/api/v1/service-requests/?status=accepted").json()["count"] == 2
    assert api(clerk1).get("/api/v1/service-requests/?sla_state=on_track").json()["count"] >= 1
    assert api(clerk1).get("/api/v1/service-requests/?agency=false").json()["count"] == 3


def test_list_query_count_does_not_grow_with_rows(api, clerk1, file_request, django_assert_max_num_queries):
    client = api(clerk1)
    for _ in range(2):
        file_request(state="accepted", by=clerk1)
    with django_assert_max_num_queries(8) as few:
        assert client.get("/api/v1/service-requests/").status_code == 200
    for _ in range(10):
        file_request(state="accepted", by=clerk1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/api/v1/service-requests/").json()["count"] == 12


def test_catalog_lists_items_with_limits(api, ent_a, catalog):
    body = api(ent_a).get("/api/v1/services/").json()
    by_code = {item["code"]: item for item in body}
    assert len(body) >= 12
    assert by_code["business-license"]["limit_unit"] == "working_hours"
    assert by_code["seal-engraving"]["fee"] == "0.00"
    assert by_code["enterprise-startup"]["components"] == ["business-license", "seal-engraving", "invoice"]
    assert api(ent_a).get("/api/v1/services/seal-engraving/").json()["department"] == "approval"


def test_counts_per_state(api, clerk1, file_request):
    file_request(state="accepted", by=clerk1)
    file_request()
    counts = api(clerk1).get("/api/v1/service-requests/counts/").json()["counts"]
    assert counts["status_accepted"] == 1 and counts["status_submitted"] == 1 and counts["unclaimed"] == 1


def test_a_cso_sees_the_requests_of_the_enterprises_they_serve_not_of_the_whole_park(
    api, cso1, cso2, file_request, enterprise_b, ent_b
):
    of_a = file_request()  # enterprise A is served by cso1, B by cso2; both in park 1
    of_b = file_request(actor=ent_b, enterprise=enterprise_b)
    assert api(cso1).get(f"/api/v1/service-requests/{of_a.pk}/").status_code == 200
    assert api(cso1).get(f"/api/v1/service-requests/{of_b.pk}/").status_code == 404
    assert api(cso2).get(f"/api/v1/service-requests/{of_b.pk}/").status_code == 200
    listed = {row["id"] for row in api(cso1).get("/api/v1/service-requests/").json()["results"]}
    assert of_a.pk in listed and of_b.pk not in listed


def test_unclaimed_list_agrees_with_the_unclaimed_count(api, admin_user, ent_a, enterprise_a, catalog):

    for code in ("seal-engraving", "enterprise-startup"):
        actions.request_submit(actor=ent_a, service=catalog[code], enterprise=enterprise_a)
    listed = api(admin_user).get("/api/v1/service-requests/", {"assignee": "none", "page_size": 100}).json()
    counts = api(admin_user).get("/api/v1/service-requests/counts/").json()["counts"]
    assert listed["count"] == counts["unclaimed"] > 0
    assert not any(row["is_bundle"] for row in listed["results"])  # a bundle cannot be claimed
