"""The HTML pages: what each person sees, forms with uploads, the queue and its htmx claim."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from services import actions
from services.models import ServiceRequest
from services.selectors import service_settings

from .conftest import PDF_BYTES
from .test_materials import EXE

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def text(response) -> str:
    return response.content.decode()


def test_catalog_shows_items_with_limits_and_apply_links(as_user, ent_a, catalog):
    page = text(as_user(ent_a).get(reverse("services:catalog")))
    assert "印章刻制（免费）" in page and "企业开办" in page
    assert "?service=seal-engraving" in page


def test_enterprise_files_a_request_with_a_pdf_from_the_form(as_user, ent_a, enterprise_a, catalog):
    client = as_user(ent_a)
    form = client.get(reverse("services:request-new") + "?service=seal-engraving")
    assert form.status_code == 200 and "营业执照副本" in text(form)
    response = client.post(
        reverse("services:request-new"),
        {
            "service": "seal-engraving",
            "enterprise": enterprise_a.pk,
            "description": "刻章",
            "slot-0": [SimpleUploadedFile("执照副本.pdf", PDF_BYTES)],
            "slot-1": [SimpleUploadedFile("身份证.pdf", PDF_BYTES)],
            "slot-2": [SimpleUploadedFile("刻章申请表.pdf", PDF_BYTES)],
        },
        follow=True,
    )
    request = ServiceRequest.objects.get()
    assert response.redirect_chain[-1][0] == request.get_absolute_url()
    page = text(response)
    assert request.number in page and "刻章申请表.pdf" in page


def test_an_exe_renamed_pdf_is_refused_on_the_form_with_a_clear_message(
    as_user, ent_a, enterprise_a, catalog
):
    response = as_user(ent_a).post(
        reverse("services:request-new"),
        {
            "service": "seal-engraving",
            "enterprise": enterprise_a.pk,
            "files": [SimpleUploadedFile("执照.pdf", EXE)],
        },
    )
    assert response.status_code == 400
    assert "执照.pdf" in text(response) and "PDF" in text(response)
    assert not ServiceRequest.objects.exists()


def test_the_request_page_offers_the_actions_of_its_state(as_user, ent_a, clerk1, clerk2, file_request):
    request = file_request()
    url = request.get_absolute_url()
    clerk_page = text(as_user(clerk1).get(url))
    assert "/claim/" in clerk_page and "/accept/" not in clerk_page
    assert "/claim/" not in text(as_user(ent_a).get(url))
    actions.request_claim(actor=clerk1, service_request=request)
    page = text(as_user(clerk1).get(url))
    assert "/accept/" in page and "/release/" in page
    assert "/accept/" not in text(as_user(clerk2).get(url))
    actions.request_accept(actor=clerk1, service_request=request)
    actions.request_request_supplement(actor=clerk1, service_request=request, missing=["法定代表人身份证"])
    page = text(as_user(ent_a).get(url))
    assert "法定代表人身份证" in page and "/supplement/" in page


def test_page_actions_post_and_redirect_with_the_result(as_user, clerk1, file_request):
    request = file_request()
    client = as_user(clerk1)
    assert client.post(reverse("services:request-act", args=[request.pk, "claim"])).status_code == 302
    assert client.post(reverse("services:request-act", args=[request.pk, "accept"])).status_code == 302
    response = client.post(
        reverse("services:request-act", args=[request.pk, "request_supplement"]), {"other": "章程\n身份证"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.supplement_missing == ["章程", "身份证"]
    again = client.post(reverse("services:request-act", args=[request.pk, "accept"]))
    assert again.status_code == 409
    assert "补正" in text(again) or "Supplement" in text(again)


def test_other_enterprise_gets_404_on_pages(as_user, ent_b, file_request):
    request = file_request()
    client = as_user(ent_b)
    assert client.get(request.get_absolute_url()).status_code == 404
    assert client.post(reverse("services:request-act", args=[request.pk, "withdraw"])).status_code == 404


def test_receipt_and_notice_are_printable_once_there_is_something_to_print(
    as_user, ent_a, clerk1, file_request
):
    request = file_request()
    client = as_user(ent_a)
    assert client.get(reverse("services:request-receipt", args=[request.pk])).status_code == 404
    actions.request_claim(actor=clerk1, service_request=request)
    actions.request_accept(actor=clerk1, service_request=request)
    receipt = text(client.get(reverse("services:request-receipt", args=[request.pk])))
    assert "受理通知书" in receipt and request.number in receipt and "@media print" in receipt
    assert client.get(reverse("services:request-notice", args=[request.pk])).status_code == 404
    actions.request_complete(actor=clerk1, service_request=request, result="印章已交付")
    notice = text(client.get(reverse("services:request-notice", args=[request.pk])))
    assert "印章已交付" in notice and "@media print" in notice


def test_queue_shows_counts_badges_and_claims_with_htmx(as_user, clerk1, clerk2, file_request):
    request = file_request()
    file_request(state="accepted", by=clerk2)
    client = as_user(clerk1)
    page = text(client.get(reverse("services:queue")))
    assert request.number in page and 'data-testid="count-unclaimed">1<' in page
    response = client.post(
        reverse("services:request-act", args=[request.pk, "claim"]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert text(response).strip().startswith(f'<tr id="req-{request.pk}"') and str(clerk1) in text(response)
    lost = as_user(clerk2).post(
        reverse("services:request-act", args=[request.pk, "claim"]), HTTP_HX_REQUEST="true"
    )
    assert lost.status_code == 409
    assert str(clerk1) in text(lost) and 'role="alert"' in text(lost)


def test_queue_views_and_filters(as_user, clerk1, clerk2, file_request):
    mine = file_request("invoice", state="accepted", by=clerk1)
    theirs = file_request("seal-engraving", state="accepted", by=clerk2)
    client = as_user(clerk1)
    page = text(client.get(reverse("services:queue") + "?view=mine"))
    assert mine.number in page and theirs.number not in page
    page = text(client.get(reverse("services:queue") + "?view=open&service=seal-engraving"))
    assert theirs.number in page and mine.number not in page
    page = text(client.get(reverse("services:queue") + f"?view=all&q={mine.number}"))
    assert mine.number in page and theirs.number not in page


def test_queue_query_count_does_not_grow_with_rows(
    as_user, clerk1, file_request, django_assert_max_num_queries
):
    client = as_user(clerk1)
    file_request()
    with django_assert_max_num_queries(15) as few:
        assert client.get(reverse("services:queue")).status_code == 200
    for _ in range(12):
        file_request()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("services:queue")).status_code == 200


def test_queue_is_for_handlers_only(as_user, ent_a, catalog):
    assert as_user(ent_a).get(reverse("services:queue")).status_code == 404


def test_my_requests_lists_the_enterprises_requests(as_user, ent_a, ent_b, file_request):
    request = file_request()
    assert request.number in text(as_user(ent_a).get(reverse("services:requests")))
    assert request.number not in text(as_user(ent_b).get(reverse("services:requests")))


def test_rating_from_the_page_opens_a_rectification_in_the_departments_queue(
    as_user, ent_a, clerk1, clerk2, file_request
):
    request = file_request(state="completed", by=clerk1)
    response = as_user(ent_a).post(
        reverse("services:request-act", args=[request.pk, "rate"]),
        {"score": "2", "comment": "排队太久"},
        follow=True,
    )
    assert "不满意" in text(response)
    queue = text(as_user(clerk2).get(reverse("services:rectifications")))
    assert request.number in queue and "排队太久" in queue
    # Rating twice from the page is refused.
    again = as_user(ent_a).post(reverse("services:request-act", args=[request.pk, "rate"]), {"score": "5"})
    assert again.status_code == 409


def test_rectification_page_runs_its_actions(as_user, ent_a, clerk1, file_request):
    request = file_request(state="completed", by=clerk1)
    actions.request_rate(actor=ent_a, service_request=request, score=1, comment="差")
    rectification = request_rectification(request)
    client = as_user(clerk1)
    url = reverse("services:rectification-act", args=[rectification.pk, "verify"])
    assert client.post(url, {"finding": "属实"}).status_code == 302
    page = text(client.get(rectification.get_absolute_url()))
    assert "属实" in page and "/reply/" in page


def request_rectification(request):
    from zone_portal.ratings.selectors import rating_for

    return rating_for(request).rectification


def test_ratings_page_shows_coverage(as_user, admin_user, ent_a, clerk1, file_request):
    request = file_request(state="completed", by=clerk1)
    actions.request_rate(actor=ent_a, service_request=request, score=5)
    page = text(as_user(admin_user).get(reverse("services:ratings")))
    assert 'data-testid="coverage">100.0%<' in page


def test_the_ratings_menu_is_for_those_who_read_ratings(
    as_user, ent_a, clerk1, file_request, park1, park2, supervisor1
):
    """Park staff read their park's ratings, so the 好差评 entry is in their menu; a social
    supervisor reads none, so the entry (an always-empty list) is not in theirs."""
    request = file_request(state="completed", by=clerk1)
    actions.request_rate(actor=ent_a, service_request=request, score=5)
    url = reverse("services:ratings")

    mine = as_user(park1).get(url)
    assert mine.status_code == 200 and request.number in text(mine)
    assert request.number not in text(as_user(park2).get(url))  # enterprise A is in park 1
    assert f'href="{url}"' in text(as_user(park1).get("/"))
    assert f'href="{url}"' not in text(as_user(supervisor1).get("/"))
    assert as_user(supervisor1).get(url).status_code == 404  # role_required: not a page of theirs


def test_appointments_page_books_a_slot(as_user, ent_a, enterprise_a, catalog):
    from datetime import time, timedelta

    from django.utils import timezone

    from services.models import AppointmentSlot

    slot = AppointmentSlot.objects.create(
        date=timezone.localdate() + timedelta(days=1), start=time(9), end=time(10), capacity=1
    )
    client = as_user(ent_a)
    assert "09:00" in text(client.get(reverse("services:appointments")))
    response = client.post(
        reverse("services:appointments"),
        {"slot": slot.pk, "enterprise": enterprise_a.pk, "service": "invoice"},
        follow=True,
    )
    assert "已预约" in text(response) or "Booked" in text(response)
    slot.refresh_from_db()
    assert slot.booked == 1


def test_settings_page_lets_the_administrator_change_the_numbers(as_user, admin_user, ent_a, demo):
    client = as_user(admin_user)
    response = client.post(
        reverse("services:settings"),
        {
            "at_risk_ratio": "0.80",
            "rectification_verify_days": "1",
            "rectification_fix_days": "10",
            "center_head": "",
        },
    )
    assert response.status_code == 302
    assert str(service_settings().at_risk_ratio) == "0.80"
    assert as_user(ent_a).get(reverse("services:settings")).status_code == 404


def test_home_panels_for_the_enterprise_and_the_clerk(as_user, ent_a, clerk1, file_request):
    request = file_request()
    assert request.number in text(as_user(ent_a).get("/"))
    assert reverse("services:queue") in text(as_user(clerk1).get("/"))
