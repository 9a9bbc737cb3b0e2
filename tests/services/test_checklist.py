"""The materials checklist (一次性告知): one slot per material of the service, required ones
enforced, the supplement request as ticks on the list, 已提供 / 缺 per material, a second round
only with a reason (counted on the dashboard), the printable notice."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from services import actions
from services.models import Material, ServiceRequest
from zone_portal.cases.checklist import checklist_items, checklist_rows
from zone_portal.errors import InvalidInput

from .conftest import PDF_BYTES

pytestmark = pytest.mark.django_db

SEAL = ["营业执照副本", "法定代表人身份证", "刻章申请表"]


def pdf(name="x.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def test_definitions_give_one_slot_per_material_and_optional_ones_by_flag():
    items = checklist_items(["甲", {"name": "乙", "required": False, "hint": "如有"}, "甲", " "])
    assert [(i.name, i.required, i.field) for i in items] == [("甲", True, "slot-0"), ("乙", False, "slot-1")]
    rows = checklist_rows(items, [Material(slot="甲", original_name="a.pdf")])
    assert [r.state for r in rows] == ["provided", "optional"]


def test_the_form_has_one_upload_slot_per_material_of_the_chosen_service(client, ent_a, catalog):
    client.force_login(ent_a)
    page = client.get(reverse("services:request-new"), {"service": "seal-engraving"}).content.decode()
    for i, name in enumerate(SEAL):
        assert f'name="slot-{i}"' in page and name in page
    # the list follows the chosen service (the fragment htmx swaps in)
    fragment = client.get(reverse("services:request-checklist"), {"service": "invoice"}).content.decode()
    assert "发票领用申请表" in fragment and "刻章申请表" not in fragment


def test_a_submission_missing_required_materials_names_them_all_and_writes_nothing(
    client, ent_a, enterprise_a, catalog
):
    client.force_login(ent_a)
    response = client.post(
        reverse("services:request-new"),
        {"service": "seal-engraving", "enterprise": enterprise_a.pk, "slot-1": [pdf()]},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) >= {"slot-0", "slot-2"} and "slot-1" not in form.errors
    assert "营业执照副本" in response.content.decode() and "刻章申请表" in response.content.decode()
    assert not ServiceRequest.objects.exists() and not Material.objects.exists()


def test_the_whole_round_ticks_provided_missing_and_supplied(client, ent_a, clerk1, enterprise_a, catalog):
    request = actions.request_submit(
        actor=ent_a,
        service=catalog["seal-engraving"],
        enterprise=enterprise_a,
        slot_uploads={name: [pdf(f"{name}.pdf")] for name in SEAL},
    )
    actions.request_claim(actor=clerk1, service_request=request)
    actions.request_accept(actor=clerk1, service_request=request)
    client.force_login(clerk1)
    url = reverse("services:request-act", args=[request.pk, "request_supplement"])
    # a tick the list does not have is refused; ticks plus a note are the request
    assert client.post(url, {"missing": ["不存在的材料"]}).status_code == 400
    response = client.post(url, {"missing": ["法定代表人身份证"], "note": "身份证已过期"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.supplement_missing == ["法定代表人身份证"] and request.supplement_rounds == 1

    client.force_login(ent_a)
    page = client.get(request.get_absolute_url()).content.decode()
    assert "需补正" in page
    notice = client.get(reverse("services:supplement-notice", args=[request.pk]))
    assert notice.status_code == 200 and "法定代表人身份证" in notice.content.decode()
    supplied = client.post(
        reverse("services:request-act", args=[request.pk, "supplement"]),
        {"slot-1": [pdf("新身份证.pdf")]},
    )
    assert supplied.status_code == 302
    assert Material.objects.filter(request=request, slot="法定代表人身份证").count() == 2
    page = client.get(request.get_absolute_url()).content.decode()
    assert page.count('data-testid="material-state">已提供') == 3


def test_a_second_round_needs_a_reason_and_is_counted(clerk1, file_request, admin_user, client):
    request = file_request(state="supplement_required", by=clerk1)
    actions.request_supplement(actor=request.submitted_by, service_request=request, note="已补")
    with pytest.raises(InvalidInput) as refused:
        actions.request_request_supplement(actor=clerk1, service_request=request, missing=["刻章申请表"])
    assert "reason" in refused.value.fields
    request.refresh_from_db()
    assert request.status == "accepted" and request.supplement_rounds == 1
    actions.request_request_supplement(
        actor=clerk1, service_request=request, missing=["刻章申请表"], reason="申请表签字页缺失"
    )
    request.refresh_from_db()
    assert request.supplement_rounds == 2 and request.supplement_reason == "申请表签字页缺失"
    client.force_login(admin_user)
    page = client.get("/dashboard/").content.decode()
    tile = page.split('data-testid="tile-second-supplement"')[1]
    assert '<div class="figure">1</div>' in tile.split("</a>")[0]


def test_the_notice_exists_only_once_a_supplement_was_asked_for(client, ent_a, file_request):
    request = file_request(state="submitted")
    client.force_login(ent_a)
    assert client.get(reverse("services:supplement-notice", args=[request.pk])).status_code == 404


def test_the_api_fills_the_checklist_with_slot_fields(api, ent_a, enterprise_a, catalog):
    client = api(ent_a)
    refused = client.post(
        "/api/v1/service-requests/",
        {"service": "seal-engraving", "slot-0": pdf()},
        format="multipart",
    )
    assert refused.status_code == 400
    assert set(refused.json()["error"]["fields"]) == {"slot-1", "slot-2"}
    created = client.post(
        "/api/v1/service-requests/",
        {"service": "seal-engraving", "slot-0": pdf(), "slot-1": pdf(), "slot-2": pdf()},
        format="multipart",
    )
    assert created.status_code == 201
    assert sorted(m["slot"] for m in created.json()["materials"]) == sorted(SEAL)


def test_the_request_page_query_count_does_not_grow_with_materials(
    client, ent_a, enterprise_a, catalog, django_assert_max_num_queries
):
    request = actions.request_submit(
        actor=ent_a,
        service=catalog["seal-engraving"],
        enterprise=enterprise_a,
        slot_uploads={name: [pdf()] for name in SEAL},
    )
    client.force_login(ent_a)
    client.get(request.get_absolute_url())
    with django_assert_max_num_queries(30) as few:
        client.get(request.get_absolute_url())
    actions.material_add(actor=ent_a, service_request=request, uploads=[pdf(), pdf()], slot="刻章申请表")
    actions.material_add(actor=ent_a, service_request=request, uploads=[pdf()])
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(request.get_absolute_url()).content.decode()
    assert page.count('data-testid="material-state">已提供') == 3
