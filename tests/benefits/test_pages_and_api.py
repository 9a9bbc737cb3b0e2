"""Pages and API: what each role sees, another enterprise's user gets 404, bad input is a clear
400/409 in the API's error shape, lists answer in a fixed number of queries."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook

from benefits import actions
from benefits.models import AmountRule, PolicyKind

from .conftest import pdf


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def application(policy, high_tech, ent_a):
    return actions.application_submit(actor=ent_a, policy=policy, enterprise=high_tech)


def test_enterprise_sees_what_it_may_apply_for_on_its_home_page(policy, high_tech, ent_a, ent_b):
    page = _client(ent_a).get("/")
    assert page.status_code == 200 and policy.name in page.content.decode()
    assert policy.name not in _client(ent_b).get("/").content.decode()


def test_the_home_page_lists_the_five_closing_soonest_and_links_to_all(
    admin_user, demo, today, high_tech, ent_a
):
    """Seventeen qualifying policies made the enterprise's home page a catalog; now five, the
    soonest to close first, and a link to all of them."""
    from datetime import timedelta

    for n in range(7):
        actions.policy_create(
            actor=admin_user,
            data={
                "name": f"政策{n}",
                "department": demo.departments["innovation"],
                "kind": PolicyKind.REWARD,
                "qualifications": ["high_tech"],
                "amount_rule": AmountRule.FIXED,
                "fixed_amount": Decimal("1000.00"),
                "opens_on": today - timedelta(days=1),
                "closes_on": today + timedelta(days=30 - n),
                "valid_until": today + timedelta(days=365),
                "materials": ["申请表"],
                "review_days": 5,
            },
        )
    page = _client(ent_a).get("/").content.decode()
    shown = [f"政策{n}" for n in range(7) if f"政策{n}" in page]
    assert shown == ["政策2", "政策3", "政策4", "政策5", "政策6"]
    assert 'data-testid="may-apply-all"' in page and "/benefits/?open=1" in page


def test_another_enterprise_gets_404_on_pages_and_api(application, issued_voucher, ent_b, api):
    client = _client(ent_b)
    assert client.get(f"/benefits/applications/{application.pk}/").status_code == 404
    assert client.get(f"/benefits/vouchers/{issued_voucher.pk}/").status_code == 404
    assert api(ent_b).get(f"/api/v1/policy-applications/{application.pk}/").status_code == 404
    assert api(ent_b).get(f"/api/v1/vouchers/{issued_voucher.pk}/").status_code == 404
    assert (
        api(ent_b).post(f"/api/v1/vouchers/{issued_voucher.pk}/issue/", {}, format="json").status_code == 404
    )


def test_an_expert_sees_only_what_is_assigned(admin_user, ent_a, issued_voucher, experts, api):
    from .conftest import redemption_files

    assert api(experts[0]).get(f"/api/v1/vouchers/{issued_voucher.pk}/").status_code == 404
    actions.voucher_redeem(
        actor=ent_a, voucher=issued_voucher, claimed_amount="1000", note="", files=redemption_files()
    )
    actions.voucher_assign_experts(actor=admin_user, voucher=issued_voucher, experts=experts[:2])
    assert api(experts[0]).get(f"/api/v1/vouchers/{issued_voucher.pk}/").status_code == 200
    assert api(experts[2]).get(f"/api/v1/vouchers/{issued_voucher.pk}/").status_code == 404
    assert api(experts[0]).get("/api/v1/policy-applications/").json()["count"] == 0


def test_api_applies_with_decimal_amounts_and_answers_bad_input_clearly(
    policy, high_tech, ent_a, api, voucher_round
):
    client = api(ent_a)
    bad = client.post(
        "/api/v1/vouchers/",
        {"round": voucher_round.pk, "enterprise": high_tech.pk, "purposes": ["rnd"], "amount": "300000.01"},
        format="json",
    )
    assert bad.status_code == 409 and bad.json()["error"]["code"] == "over_cap"
    bad = client.post(
        "/api/v1/vouchers/",
        {"round": voucher_round.pk, "enterprise": high_tech.pk, "purposes": ["nope"], "amount": "1"},
        format="json",
    )
    assert bad.status_code == 400 and "purposes" in bad.json()["error"]["fields"]
    ok = client.post(
        "/api/v1/vouchers/",
        {
            "round": voucher_round.pk,
            "enterprise": high_tech.pk,
            "purposes": ["rnd", "testing"],
            "amount": "150000.50",
        },
        format="json",
    )
    assert ok.status_code == 201 and ok.json()["amount"] == "150000.50"
    applied = client.post(
        "/api/v1/policy-applications/", {"policy": policy.pk, "enterprise": high_tech.pk}, format="json"
    )
    assert applied.status_code == 201 and applied.json()["requested_amount"] == "100000.00"
    again = client.post(
        "/api/v1/policy-applications/", {"policy": policy.pk, "enterprise": high_tech.pk}, format="json"
    )
    assert again.status_code == 409


def test_ledger_xlsx_totals_are_exact(policy, high_tech, enterprise_b, ent_a, innovation_officer, admin_user):
    amounts = [Decimal("33333.33"), Decimal("0.01"), Decimal("66666.67")]
    for amount in amounts:
        application = actions.application_submit(actor=ent_a, policy=policy, enterprise=high_tech)
        for slot in range(len(policy.materials)):
            actions.application_material_add(actor=ent_a, application=application, slot=slot, upload=pdf())
        actions.application_accept(actor=innovation_officer, application=application)
        actions.application_review(actor=innovation_officer, application=application, amount=amount)
        actions.application_approve(actor=innovation_officer, application=application)
        actions.application_pay(actor=innovation_officer, application=application)
        # a paid application stands in the ledger; mark it done so the policy takes the next one
        type(application).objects.filter(pk=application.pk).update(status="rejected")
    response = _client(admin_user).get("/benefits/ledger.xlsx")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    ledger = book.worksheets[0]
    total_row = [c.value for c in ledger[ledger.max_row]]
    assert Decimal(str(total_row[4])) == Decimal("100000.01")
    by_policy = book.worksheets[1]
    assert Decimal(str(by_policy[by_policy.max_row][2].value)) == Decimal("100000.01")
    totals = _client(admin_user).get("/api/v1/benefit-ledger/totals/").json()
    assert totals["total"] == "100000.01" and totals["count"] == 3
    # The page says the same, in yuan grouped, its summary tables with their column headers.
    page = _client(admin_user).get("/benefits/ledger/").content.decode()
    assert 'data-testid="ledger-total">100,000.01' in page
    assert page.count('<th class="num">兑现笔数</th><th class="num">金额（元）</th>') == 3


def test_pages_answer_for_each_role(
    policy, high_tech, application, issued_voucher, ent_a, cso1, innovation_officer, admin_user, leader1
):
    for user in (ent_a, cso1, innovation_officer, admin_user, leader1):
        client = _client(user)
        for url in (
            "/benefits/",
            f"/benefits/policies/{policy.pk}/",
            "/benefits/applications/",
            "/benefits/vouchers/",
        ):
            assert client.get(url).status_code == 200, (user, url)
    assert _client(admin_user).get("/benefits/financing/").status_code == 200
    assert _client(admin_user).get("/benefits/ledger/").status_code == 200
    page = _client(cso1).get(f"/benefits/policies/{policy.pk}/").content.decode()
    assert 'data-testid="matches"' in page


def test_a_page_refusal_keeps_its_status(application, innovation_officer):
    response = _client(innovation_officer).post(f"/benefits/applications/{application.pk}/accept/")
    assert response.status_code == 409  # materials missing
    assert "申请表" in response.content.decode()


def test_lists_answer_in_a_fixed_number_of_queries(
    policy, high_tech, ent_a, admin_user, api, django_assert_max_num_queries, voucher_round
):
    for i in range(3):
        actions.voucher_apply(
            actor=ent_a, round=voucher_round, enterprise=high_tech, purposes=["rnd"], amount=str(1000 + i)
        )
    actions.application_submit(actor=ent_a, policy=policy, enterprise=high_tech)
    client = api(admin_user)
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/vouchers/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/policy-applications/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/benefit-ledger/").status_code == 200
    page = _client(admin_user)
    with django_assert_max_num_queries(14):
        assert page.get("/benefits/vouchers/").status_code == 200
    with django_assert_max_num_queries(14):
        assert page.get("/benefits/applications/").status_code == 200


@pytest.mark.parametrize("year", ["-1032", "0", "99999", "2101"])
def test_an_impossible_year_is_a_400_in_the_api_and_ignored_on_the_pages(admin_user, api, year):
    """The schema fuzzer's find: `?year=-1032` on the ledger was a 500 (a date before year 1)."""
    for url in ("/api/v1/benefit-ledger/", "/api/v1/benefit-ledger/totals/", "/api/v1/benefit-ledger.xlsx"):
        response = api(admin_user).get(url, {"year": year})
        assert response.status_code == 400, url
        assert "year" in response.json()["error"]["fields"]
    client = _client(admin_user)
    for url in ("/benefits/ledger/", "/benefits/ledger.xlsx", "/benefits/financing/"):
        assert client.get(url, {"year": year}).status_code == 200, url


def test_applying_for_another_enterprise_is_refused_on_the_enterprise_field(
    policy, high_tech, enterprise_b, ent_a, api
):
    """Page and API name the same field with the same words, and nothing is written."""
    from benefits.models import PolicyApplication

    refused = api(ent_a).post(
        "/api/v1/policy-applications/", {"policy": policy.pk, "enterprise": enterprise_b.pk}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]["enterprise"] == ["请选择申报企业。"]
    page = _client(ent_a).post(f"/benefits/policies/{policy.pk}/apply/", {"enterprise": enterprise_b.pk})
    assert page.status_code == 400 and "请选择申报企业。" in page.content.decode()
    assert not PolicyApplication.objects.exists()


def test_a_handle_card_with_nothing_left_says_so(application, innovation_officer, issued_voucher, admin_user):
    """An empty "办理" card read as a page that failed to load: a finished application, and a
    voucher waiting for the enterprise, say there is nothing to handle."""
    from benefits.models import ApplicationStatus, PolicyApplication

    page = f"/benefits/applications/{application.pk}/"
    assert "该申报已办结" not in _client(innovation_officer).get(page).content.decode()
    PolicyApplication.objects.filter(pk=application.pk).update(status=ApplicationStatus.REJECTED)
    assert "该申报已办结，无需再办理。" in _client(innovation_officer).get(page).content.decode()
    voucher_page = _client(admin_user).get(f"/benefits/vouchers/{issued_voucher.pk}/").content.decode()
    assert "当前阶段无需办理。" in voucher_page
