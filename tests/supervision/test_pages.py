"""The pages and the API of supervision: a supervisor files, the center answers, the supervisor
rates; departments see what is theirs (404 otherwise); lists keep their query count; indicators
are entered, confirmed, ranked and exported."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from supervision import actions
from supervision.models import IndicatorEntry, Observation, ObservationPhoto
from tests.supervision.conftest import jpeg

pytestmark = pytest.mark.django_db


def test_a_supervisor_files_on_the_page_the_center_fixes_it_the_supervisor_rates(
    client, roster, supervisor1, clerk1, dept_tax
):
    client.force_login(supervisor1)
    response = client.post(
        "/supervision/observations/new/",
        {
            "category": "blocking",
            "place": "hall_window",
            "place_detail": "取号机",
            "description": "取号机坏了",
            "photos": [jpeg()],
        },
    )
    observation = Observation.objects.get()
    assert response.status_code == 302 and response["Location"] == observation.get_absolute_url()
    assert observation.enterprise is None and ObservationPhoto.objects.count() == 1
    photo = ObservationPhoto.objects.get()
    download = client.get(f"/supervision/photos/{photo.pk}/")
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]

    client.force_login(dept_tax)  # neither the center nor assigned: nothing to see
    assert client.get(observation.get_absolute_url()).status_code == 404
    assert client.get(f"/supervision/photos/{photo.pk}/").status_code == 404
    assert (
        client.post(
            f"{observation.get_absolute_url()}answer/", {"measures": "x", "fixed_at_once": "1"}
        ).status_code
        == 404
    )

    client.force_login(clerk1)
    response = client.post(
        f"{observation.get_absolute_url()}answer/", {"measures": "当场更换", "fixed_at_once": "1"}
    )
    assert response.status_code == 302
    client.force_login(supervisor1)
    page = client.get(observation.get_absolute_url()).content.decode()
    assert "当场更换" in page and 'data-testid="rate-form"' in page
    assert (
        client.post(f"{observation.get_absolute_url()}rate/", {"score": "5", "comment": "好"}).status_code
        == 302
    )
    page = client.get(observation.get_absolute_url()).content.decode()
    assert 'data-testid="rating"' in page and 'data-testid="rate-form"' not in page


def test_bad_input_on_the_page_says_which_field(client, roster, supervisor1):
    client.force_login(supervisor1)
    response = client.post(
        "/supervision/observations/new/", {"category": "pain", "place": "park_office", "description": "x"}
    )
    assert response.status_code == 400 and not Observation.objects.exists()
    assert "error" in response.content.decode()


def test_the_list_keeps_its_query_count(client, file_observation, supervisor1, django_assert_max_num_queries):
    client.force_login(supervisor1)
    file_observation()
    with django_assert_max_num_queries(12) as few:
        client.get("/supervision/observations/")
    for _ in range(8):
        file_observation()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/supervision/observations/").status_code == 200


def test_the_api_files_without_an_enterprise_and_scopes_every_read(
    api, roster, supervisor1, ent_a, dept_tax, demo
):
    body = {
        "category": "pain",
        "place": "department",
        "department": "market",
        "description": "变更登记跑两次",
    }
    assert api(ent_a).post("/api/v1/observations/", body, format="json").status_code == 403
    response = api(supervisor1).post("/api/v1/observations/", body, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["enterprise"] is None
    assert api(dept_tax).get(f"/api/v1/observations/{pk}/").status_code == 404
    assert api(dept_tax).get("/api/v1/observations/").json()["count"] == 0
    market = api(demo.users["dept_market"])
    assert market.get("/api/v1/observations/").json()["count"] == 1
    answered = market.post(
        f"/api/v1/observations/{pk}/answer/",
        {
            "measures": "排期",
            "fixed_at_once": False,
            "rectify_by": (timezone.localdate() + timedelta(days=9)).isoformat(),
        },
        format="json",
    )
    assert answered.status_code == 200 and answered.json()["status"] == "tracking"
    bad = api(supervisor1).post(f"/api/v1/observations/{pk}/rate/", {"score": 5}, format="json")
    assert bad.status_code == 409  # not rectified yet
    missing = api(supervisor1).post("/api/v1/observations/", {"category": "pain"}, format="json")
    assert missing.status_code == 400 and "place" in missing.json()["error"]["fields"]


def test_a_supervisor_reads_no_document_no_applicant_no_register_and_no_visit_note(
    client, roster, supervisor1, ent_a, cso1, enterprise_a, demo
):
    from enterprises.actions import visit_log
    from services import actions as service_actions
    from services.demo import seed_catalog
    from services.models import Material
    from tests.services.conftest import pdf

    catalog = seed_catalog(demo)
    request = service_actions.request_submit(
        actor=ent_a,
        service=catalog["seal-engraving"],
        enterprise=enterprise_a,
        description="刻制公章",
        applicant_name="张三",
        applicant_phone="13800000000",
    )
    service_actions.material_add(actor=ent_a, service_request=request, uploads=[pdf()])
    visit = visit_log(
        actor=cso1,
        enterprise=enterprise_a,
        visited_on=timezone.localdate(),
        participants="法人",
        findings="资金链紧张",
    )
    client.force_login(supervisor1)
    material = Material.objects.get()
    for url in (
        f"/services/requests/{request.pk}/",
        f"/services/materials/{material.pk}/",
        f"/enterprises/{enterprise_a.pk}/",
        f"/api/v1/enterprises/{enterprise_a.pk}/visits/",
    ):
        assert client.get(url).status_code in (403, 404), url
    stages = client.get("/services/stages/").content.decode()
    summary = client.get("/api/v1/service-stages/summary/").json()
    assert request.number in stages and summary[0]["submitted"] == 1 and summary[0]["on_time"] == 0
    for secret in (
        "张三",
        "13800000000",
        "刻制公章",
        enterprise_a.name,
        visit.findings,
        enterprise_a.contact_phone or "§",
    ):
        assert secret not in stages and secret not in str(summary)


@pytest.fixture
def scored(admin_user, dept_market, demo):
    visits = actions.indicator_create(
        actor=admin_user,
        year=2026,
        department=demo.departments["market"],
        group="quantitative",
        name="走访企业",
        weight=10,
        target=30,
        unit="家",
        measure="entry",
    )
    entry = actions.indicator_entry_submit(actor=dept_market, indicator=visits, month=2, value=15)
    actions.indicator_entry_decide(actor=admin_user, entry=entry, confirm=True)
    actions.indicators_score_quarter(actor=admin_user, year=2026, quarter=1)
    return visits


def test_departments_enter_administrators_confirm_leaders_read_the_ranking(
    client, scored, admin_user, dept_market, dept_tax, leader1, ent_a
):
    client.force_login(dept_market)
    page = client.get("/supervision/indicators/?year=2026").content.decode()
    assert "走访企业" in page and f'data-testid="enter-{scored.pk}"' in page
    assert (
        client.post(f"/supervision/indicators/{scored.pk}/enter/", {"month": "3", "value": "9"}).status_code
        == 302
    )
    entry = IndicatorEntry.objects.get(month=3)
    client.force_login(dept_tax)
    assert "走访企业" not in client.get("/supervision/indicators/?year=2026").content.decode()
    assert (
        client.post(f"/supervision/indicators/{scored.pk}/enter/", {"month": "3", "value": "9"}).status_code
        == 404
    )
    client.force_login(admin_user)
    assert client.post(f"/supervision/entries/{entry.pk}/decide/", {"confirm": "1"}).status_code == 302
    entry.refresh_from_db()
    assert entry.status == "confirmed"
    assert client.post("/supervision/ranking/?year=2026&quarter=1").status_code == 302
    client.force_login(leader1)
    page = client.get("/supervision/ranking/?year=2026&quarter=1").content.decode()
    assert "市场监督管理局" in page and 'data-testid="formula"' in page and "80.0" in page  # (15 + 9) ÷ 30
    book = load_workbook(BytesIO(client.get("/supervision/ranking/xlsx/?year=2026&quarter=1").content))
    rows = list(book.worksheets[0].values)
    assert rows[1][1] == "市场监督管理局" and rows[1][2] == 80.0
    api = client.get("/api/v1/indicator-ranking/?year=2026&quarter=1").json()
    assert api["departments"][0]["score"] == 80.0 and api["formula"]
    assert client.get("/api/v1/indicator-ranking/?year=nonsense").status_code == 400
    client.force_login(ent_a)
    assert client.get("/supervision/ranking/").status_code == 404
    assert client.get("/api/v1/indicator-ranking/").status_code == 403


def test_the_public_page_shows_the_observations_in_aggregate(client, file_observation, clerk1):
    fixed = file_observation()
    actions.observation_answer(actor=clerk1, observation=fixed, measures="修好", fixed_at_once=True)
    file_observation(description="另一个问题，请勿公开的细节")
    page = client.get("/dashboard/public/").content.decode()
    assert 'data-testid="public-observations"' in page
    assert "请勿公开的细节" not in page


def test_the_settings_page_sets_the_ranking_weights(client, admin_user):
    from zone_portal.dashboard.parts import department_weights

    client.force_login(admin_user)
    form = {
        "answer_days": "2",
        "at_risk_ratio": "0.5",
        "quantitative_count": "10",
        "key_count": "5",
        "highlight_count": "2",
        "weight_indicators": "40",
    }
    assert client.post("/supervision/settings/", form).status_code == 302
    assert department_weights()["indicators"] == 40
