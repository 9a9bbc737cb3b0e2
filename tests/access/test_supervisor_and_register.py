"""Finding 4 of issue 12: a social supervisor reads the stages of services, anonymised, and nothing
personal; department officers and other parks' staff do not read the register or its visit notes."""

import pytest
from django.utils import timezone

from enterprises.actions import visit_log
from enterprises.models import Enterprise
from services import actions
from services.demo import seed_catalog
from services.models import Material
from tests.services.conftest import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_with_material(demo, ent_a, enterprise_a):
    catalog = seed_catalog(demo)
    request = actions.request_submit(
        actor=ent_a,
        service=catalog["seal-engraving"],
        enterprise=enterprise_a,
        description="刻制公章",
        applicant_name="张三",
        applicant_phone="13800000000",
    )
    actions.material_add(actor=ent_a, service_request=request, uploads=[pdf()])
    return request


def test_a_supervisor_reads_no_request_no_file_and_no_register(
    api, supervisor1, request_with_material, enterprise_a
):
    client = api(supervisor1)
    material = Material.objects.get()
    assert client.get("/api/v1/service-requests/").json()["count"] == 0
    assert client.get(f"/api/v1/service-requests/{request_with_material.pk}/").status_code == 404
    assert client.get(f"/api/v1/service-materials/{material.pk}/download/").status_code == 404
    assert client.get(f"/api/v1/enterprises/{enterprise_a.pk}/").status_code == 404
    assert client.get(f"/api/v1/enterprises/{enterprise_a.pk}/visits/").status_code == 404
    assert client.get("/api/v1/ratings/").json()["count"] == 0


def test_a_supervisor_reads_the_stages_anonymised(api, supervisor1, request_with_material):
    body = api(supervisor1).get("/api/v1/service-stages/").json()
    assert body["count"] == 1
    stage = body["results"][0]
    assert stage["number"] == request_with_material.number and stage["status"] == "submitted"
    assert "13800000000" not in str(stage) and "张三" not in str(stage) and "刻制公章" not in str(stage)
    assert "enterprise" not in stage and "enterprise_name" not in stage


def test_enterprise_staff_read_no_stages(api, ent_a, request_with_material):
    assert api(ent_a).get("/api/v1/service-stages/").json()["count"] == 0


def test_department_officers_and_other_parks_read_neither_register_nor_visit_notes(
    api, demo, dept_market, park2, cso1, enterprise_a
):
    visit_log(
        actor=cso1,
        enterprise=enterprise_a,
        visited_on=timezone.localdate(),
        participants="法人",
        findings="资金链紧张",
    )
    for user in (dept_market, park2):
        client = api(user)
        assert client.get(f"/api/v1/enterprises/{enterprise_a.pk}/").status_code == 404
        assert client.get(f"/api/v1/enterprises/{enterprise_a.pk}/visits/").status_code == 404
        ids = {row["id"] for row in client.get("/api/v1/enterprises/", {"page_size": 100}).json()["results"]}
        assert enterprise_a.pk not in ids
    park2_ids = set(Enterprise.objects.filter(park=demo.parks["park2"]).values_list("pk", flat=True))
    listed = {row["id"] for row in api(park2).get("/api/v1/enterprises/").json()["results"]}
    assert listed == park2_ids
    assert api(cso1).get(f"/api/v1/enterprises/{enterprise_a.pk}/visits/").json()["count"] == 1


def test_the_stages_page_shows_the_stages_and_no_applicant(client, supervisor1, ent_a, request_with_material):
    client.force_login(supervisor1)
    page = client.get("/services/stages/").content.decode()
    assert request_with_material.number in page
    assert "张三" not in page and "13800000000" not in page and "中金科技" not in page
    client.force_login(ent_a)
    assert client.get("/services/stages/").status_code == 404
