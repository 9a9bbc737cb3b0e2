from datetime import timedelta

import pytest
from django.utils import timezone

from enterprises.actions import cso_assign
from enterprises.models import Enterprise
from tests.factories import UserFactory, make_uscc

from .factories import make_enterprise

pytestmark = pytest.mark.django_db


def test_enterprise_staff_get_404_for_another_enterprise_on_every_endpoint(
    api, register, ent_a, enterprise_b, cso2
):
    client = api(ent_a)
    base = f"/api/v1/enterprises/{enterprise_b.pk}"
    assert client.get(f"{base}/").status_code == 404
    assert client.patch(f"{base}/", {"address": "x"}, format="json").status_code == 404
    assert (
        client.post(f"{base}/assign-cso/", {"officer": cso2.pk, "reason": "x"}, format="json").status_code
        == 404
    )
    assert client.get(f"{base}/cso-history/").status_code == 404
    assert client.get(f"{base}/visits/").status_code == 404
    assert (
        client.post(
            f"{base}/visits/", {"visited_on": "2026-01-05", "findings": "x"}, format="json"
        ).status_code
        == 404
    )
    body = client.get("/api/v1/enterprises/").json()
    assert [row["name"] for row in body["results"]] == ["中金科技有限公司"]


def test_list_filters_by_pinyin_park_qualification_officer_and_gaps(api, register, clerk1, cso1, cso2):
    park2 = register.parks["park2"]
    today = timezone.localdate()
    high_tech = make_enterprise(
        park2,
        "瑞丰新材料有限公司",
        high_tech_certificate="GR202441000001",
        high_tech_expires_on=today + timedelta(days=30),
    )
    expired = make_enterprise(
        park2,
        "宏达机械有限公司",
        high_tech_certificate="GR201941000002",
        high_tech_expires_on=today - timedelta(days=1),
    )
    make_enterprise(park2, "泰和电子有限公司", tech_sme_year=today.year, is_high_tech_reserve=True)
    cso_assign(actor=None, enterprise=high_tech, officer=cso2, reason="")
    client = api(clerk1)

    def names(query):
        response = client.get(f"/api/v1/enterprises/?{query}")
        assert response.status_code == 200, response.content
        return sorted(row["name"] for row in response.json()["results"])

    assert names("q=zjkj") == ["中金科技有限公司"]
    assert names("q=ZJKJ") == ["中金科技有限公司"]
    assert names("q=huachuang") == ["华创材料有限公司"]
    assert names("q=华创") == ["华创材料有限公司"]
    assert names("q=91410400MA44L8") == ["中金科技有限公司"]
    assert names(f"park={park2.pk}") == ["宏达机械有限公司", "泰和电子有限公司", "瑞丰新材料有限公司"]
    assert names("qualification=high_tech") == ["瑞丰新材料有限公司"]
    assert names("qualification=reserve") == names("qualification=tech_sme") == ["泰和电子有限公司"]
    assert names(f"cso={cso2.pk}") == ["华创材料有限公司", "瑞丰新材料有限公司"]
    assert names("has_cso=false") == ["宏达机械有限公司", "泰和电子有限公司"]
    assert expired.is_high_tech() is False
    assert client.get("/api/v1/enterprises/?qualification=nonsense").status_code == 400


def test_list_query_count_does_not_grow_with_rows(api, register, clerk1, cso1, django_assert_num_queries):
    client = api(clerk1)
    client.get("/api/v1/enterprises/")  # warm-up: content types, role grants
    with django_assert_num_queries(3) as first:  # count, page, active officers
        client.get("/api/v1/enterprises/?page_size=100")
    for _ in range(12):
        enterprise = make_enterprise(register.parks["park3"])
        cso_assign(actor=None, enterprise=enterprise, officer=cso1, reason="")
    with django_assert_num_queries(len(first.captured_queries)):
        body = client.get("/api/v1/enterprises/?page_size=100").json()
    assert body["count"] == 14 and all(row["cso"] for row in body["results"])


def test_clerk_registers_an_enterprise_with_its_first_officer(api, register, clerk1, cso1):
    payload = {
        "name": "鼎盛智能装备有限公司",
        "uscc": make_uscc(777).lower(),
        "park": register.parks["park2"].pk,
        "legal_representative": "王建国",
        "registered_capital": "5000000.00",
        "founded_on": "2015-06-01",
        "tech_sme_year": timezone.localdate().year,
        "cso": cso1.pk,
    }
    response = api(clerk1).post("/api/v1/enterprises/", payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["uscc"] == make_uscc(777)
    assert body["cso"]["username"] == "cso1"
    assert body["qualifications"] == ["tech_sme"]
    assert [e["kind"] for e in body["events"]] == ["enterprise_created", "cso_assigned"]
    assert Enterprise.objects.get(pk=body["id"]).name_initials.startswith("dszn")


def test_a_wrong_code_is_refused_with_the_rule_that_failed(api, register, clerk1):
    payload = {"name": "测试", "uscc": "91410400MA44L8KX5C", "park": register.parks["park1"].pk}
    response = api(clerk1).post("/api/v1/enterprises/", payload, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "expected B" in response.json()["error"]["fields"]["uscc"][0]
    payload["uscc"] = "91410400MA44L8KX5B"  # enterprise A's
    response = api(clerk1).post("/api/v1/enterprises/", payload, format="json")
    assert response.status_code == 400 and "uscc" in response.json()["error"]["fields"]


def test_enterprise_staff_and_officers_cannot_register(api, register, ent_a, cso1):
    payload = {"name": "x", "uscc": make_uscc(778), "park": register.parks["park1"].pk}
    assert api(ent_a).post("/api/v1/enterprises/", payload, format="json").status_code == 403
    assert api(cso1).post("/api/v1/enterprises/", payload, format="json").status_code == 403


def test_partial_update_follows_the_role(api, register, enterprise_a, ent_a, cso1, cso2, clerk1):
    owner = api(ent_a)
    response = owner.patch(
        f"/api/v1/enterprises/{enterprise_a.pk}/", {"address": "神马大道1号"}, format="json"
    )
    assert response.status_code == 200 and response.json()["address"] == "神马大道1号"
    response = owner.patch(f"/api/v1/enterprises/{enterprise_a.pk}/", {"name": "改名"}, format="json")
    assert response.status_code == 403
    response = owner.patch(f"/api/v1/enterprises/{enterprise_a.pk}/", {"patents": 9}, format="json")
    assert response.status_code == 403
    # the enterprise's officer follows its qualifications; another officer may not
    response = api(cso1).patch(
        f"/api/v1/enterprises/{enterprise_a.pk}/", {"patents": 9, "is_high_tech_reserve": True}, format="json"
    )
    assert response.status_code == 200, response.content
    assert set(response.json()["qualifications"]) == {"reserve"}
    assert (
        api(cso2).patch(f"/api/v1/enterprises/{enterprise_a.pk}/", {"patents": 1}, format="json").status_code
        == 403
    )
    response = api(clerk1).patch(
        f"/api/v1/enterprises/{enterprise_a.pk}/", {"high_tech_certificate": "GR1"}, format="json"
    )
    assert response.status_code == 400 and "high_tech_expires_on" in response.json()["error"]["fields"]
    events = api(clerk1).get(f"/api/v1/enterprises/{enterprise_a.pk}/").json()["events"]
    changes = [(e["kind"], e["data"]["changes"]) for e in events if "changes" in e["data"]]
    assert changes == [
        ("enterprise_updated", {"address": ["", "神马大道1号"]}),
        ("qualifications_changed", {"patents": [0, 9], "is_high_tech_reserve": [False, True]}),
    ]


def test_assign_cso_then_history_shows_open_and_closed_rows(api, register, enterprise_a, cso1, cso2):
    response = api(cso1).post(
        f"/api/v1/enterprises/{enterprise_a.pk}/assign-cso/",
        {"officer": cso2.pk, "reason": "轮岗"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["cso"]["username"] == "cso2"
    history = api(cso2).get(f"/api/v1/enterprises/{enterprise_a.pk}/cso-history/").json()["results"]
    assert [(h["officer"]["username"], h["ended_at"] is None, h["reason"]) for h in history] == [
        ("cso2", True, "轮岗"),
        ("cso1", False, "演示数据"),
    ]
    # cso1 no longer holds it: a second handover by cso1 is refused
    again = api(cso1).post(
        f"/api/v1/enterprises/{enterprise_a.pk}/assign-cso/",
        {"officer": cso1.pk, "reason": "x"},
        format="json",
    )
    assert again.status_code == 403
    assert again.json()["error"]["code"] == "permission_denied"


def test_assign_cso_rejects_a_user_who_is_not_an_officer(api, register, enterprise_a, admin_user, clerk1):
    response = api(admin_user).post(
        f"/api/v1/enterprises/{enterprise_a.pk}/assign-cso/",
        {"officer": clerk1.pk, "reason": "x"},
        format="json",
    )
    assert response.status_code == 400 and "officer" in response.json()["error"]["fields"]


def test_visits_are_logged_by_the_officer_and_read_by_the_enterprise(
    api, register, enterprise_a, cso1, cso2, ent_a
):
    url = f"/api/v1/enterprises/{enterprise_a.pk}/visits/"
    payload = {"visited_on": str(timezone.localdate()), "participants": "法人 王总", "findings": "用地手续慢"}
    response = api(cso1).post(url, payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["officer"]["username"] == "cso1"
    assert api(cso2).post(url, payload, format="json").status_code == 403
    future = {**payload, "visited_on": str(timezone.localdate() + timedelta(days=1))}
    assert api(cso1).post(url, future, format="json").status_code == 400
    assert api(ent_a).post(url, payload, format="json").status_code == 403
    rows = api(ent_a).get(url).json()["results"]
    assert [r["findings"] for r in rows] == ["用地手续慢"]


def test_a_visit_without_participants_is_refused_after_the_permission_check(
    api, register, enterprise_a, cso1, ent_a
):
    url = f"/api/v1/enterprises/{enterprise_a.pk}/visits/"
    bare = {"visited_on": str(timezone.localdate()), "findings": "一切正常"}
    # who may not log visits is told so first, whatever the body holds
    assert api(ent_a).post(url, bare, format="json").status_code == 403
    assert api(ent_a).post(url, {"visited_on": "not a date"}, format="json").status_code == 403
    assert api(ent_a).post(url, {}, format="json").status_code == 403
    response = api(cso1).post(url, bare, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["participants"] == ""
    assert api(cso1).post(url, {"visited_on": "not a date"}, format="json").status_code == 400


def test_workload_counts_officers_and_enterprises_without_one(api, register, clerk1, cso1):
    make_enterprise(register.parks["park4"])
    other = UserFactory(roles=["cso"])
    body = api(clerk1).get("/api/v1/cso-workload/").json()
    assert body["without_officer"] == 1
    counts = {o["username"]: o["active_enterprises"] for o in body["officers"]}
    assert counts["cso1"] == 1 and counts["cso2"] == 1 and counts[other.username] == 0
