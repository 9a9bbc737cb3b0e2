"""Financing (银企对接) entered by administrators on pages and through the API: banks, matching
events with the enterprises that attended, credit lines and loans in 万元 on the forms (yuan in the
API and the database), subsidy payments never above the subsidy due and never recorded twice, and
the problems met on a loan. Enterprise staff see only their own; another enterprise gets 404."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from benefits import actions
from benefits.models import Bank, CreditLine, Loan, LoanKind, MatchingEvent, SubsidyPayment
from feedback.actions import ticket_raise
from feedback.models import Ticket
from zone_portal.errors import InvalidInput


def _client(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


@pytest.fixture
def bank(admin_user):
    return actions.bank_create(actor=admin_user, name="中国银行高新支行")


@pytest.fixture
def pledge_loan(admin_user, bank, enterprise_a):
    return actions.loan_record(
        actor=admin_user,
        bank=bank,
        enterprise=enterprise_a,
        amount=Decimal("9300000"),
        drawn_on=date(2020, 11, 18),
        annual_rate="4.35",
        kind=LoanKind.PATENT_PLEDGE,
        evaluator="某知识产权评估公司",
    )


@pytest.fixture
def line_b(admin_user, bank, enterprise_b):
    return actions.credit_line_record(
        actor=admin_user, bank=bank, enterprise=enterprise_b, amount="20000000", granted_on=date(2020, 5, 1)
    )


# --- pages --------------------------------------------------------------------------------------


def test_an_administrator_adds_a_bank_and_an_event_with_the_enterprises_that_attended(
    admin_user, enterprise_a, enterprise_b
):
    client = _client(admin_user)
    assert client.post("/benefits/financing/banks/", {"name": "建设银行"}).status_code == 302
    bank = Bank.objects.get(name="建设银行")
    form = client.get("/benefits/financing/events/new/").content.decode()
    assert "data-filter-list" in form and enterprise_a.name in form  # the searchable register
    response = client.post(
        "/benefits/financing/events/new/",
        {
            "title": "2020年银企对接会",
            "held_on": "2020-04-16",
            "banks": [bank.pk],
            "enterprises": [enterprise_a.pk, enterprise_b.pk],
        },
    )
    assert response.status_code == 302
    event = MatchingEvent.objects.get(title="2020年银企对接会")
    assert set(event.enterprises.all()) == {enterprise_a, enterprise_b}
    assert "2020年银企对接会" in client.get("/benefits/financing/events/").content.decode()


def test_a_credit_line_is_typed_in_wan_and_kept_in_yuan(admin_user, bank, enterprise_a):
    response = _client(admin_user).post(
        "/benefits/financing/credit-lines/new/",
        {"bank": bank.pk, "enterprise": enterprise_a.pk, "amount": "5190.5", "granted_on": "2020-06-01"},
    )
    assert response.status_code == 302
    assert CreditLine.objects.get().amount == Decimal("51905000.00")


def test_a_bad_credit_line_is_a_400_in_chinese_and_nothing_is_written(admin_user, bank, enterprise_a):
    client = _client(admin_user)
    event = actions.matching_event_record(actor=admin_user, title="对接会", held_on=date(2020, 7, 1))
    response = client.post(
        "/benefits/financing/credit-lines/new/",
        {"bank": bank.pk, "enterprise": enterprise_a.pk, "amount": "0", "granted_on": "2020-06-01"},
    )
    assert response.status_code == 400
    assert "金额必须大于零" in response.content.decode()
    response = client.post(
        "/benefits/financing/credit-lines/new/",
        {
            "bank": bank.pk,
            "enterprise": enterprise_a.pk,
            "amount": "100",
            "granted_on": "2020-06-01",
            "event": event.pk,
        },
    )
    assert response.status_code == 400
    assert "对接会之前" in response.content.decode()
    response = client.post("/benefits/financing/credit-lines/new/", {"amount": "abc"})
    assert response.status_code == 400
    assert CreditLine.objects.count() == 0


def test_a_patent_pledge_loan_names_its_evaluator_and_half_its_interest_is_subsidised(
    admin_user, bank, enterprise_a
):
    client = _client(admin_user)
    values = {
        "kind": "patent_pledge",
        "bank": bank.pk,
        "enterprise": enterprise_a.pk,
        "amount": "930",
        "drawn_on": "2020-11-18",
        "term_months": "12",
        "annual_rate": "4.35",
    }
    response = client.post("/benefits/financing/loans/new/", values)
    assert response.status_code == 400
    assert "评估机构" in response.content.decode()
    assert Loan.objects.count() == 0
    assert (
        client.post("/benefits/financing/loans/new/", {**values, "evaluator": "评估公司"}).status_code == 302
    )
    loan = Loan.objects.get()
    assert loan.amount == Decimal("9300000.00") and loan.subsidy_share == Decimal("0.50")
    assert loan.subsidy_due == Decimal("202275.00")  # 9,300,000 × 4.35% × ½
    listed = client.get("/benefits/financing/loans/").content.decode()
    assert "202,275.00" in listed  # the subsidy due in yuan, grouped like the amounts in 万元


def test_a_subsidy_payment_is_refused_above_the_subsidy_due_and_on_a_second_entry(admin_user, pledge_loan):
    client = _client(admin_user)
    url = f"/benefits/financing/loans/{pledge_loan.pk}/subsidies/"
    response = client.post(url, {"amount": "300000", "paid_on": "2021-12-20"})
    assert response.status_code == 409 and "202,275.00" in response.content.decode()
    assert client.post(url, {"amount": "100000", "paid_on": "2021-06-20"}).status_code == 302
    again = client.post(url, {"amount": "100000", "paid_on": "2021-06-20"})
    assert again.status_code == 409
    assert "已经登记" in again.content.decode()
    assert SubsidyPayment.objects.filter(loan=pledge_loan).count() == 1


def test_the_database_refuses_a_subsidy_payment_recorded_twice(pledge_loan):
    """The rule is a constraint, not a form check: a second row for the loan and day cannot be written."""
    SubsidyPayment.objects.create(loan=pledge_loan, amount=Decimal("1000.00"), paid_on=date(2021, 6, 20))
    with pytest.raises(IntegrityError), transaction.atomic():
        SubsidyPayment.objects.create(loan=pledge_loan, amount=Decimal("1000.00"), paid_on=date(2021, 6, 20))


def test_problems_are_linked_or_raised_on_a_loan(admin_user, pledge_loan, enterprise_a, enterprise_b):
    client = _client(admin_user)
    own = ticket_raise(
        actor=admin_user,
        enterprise=enterprise_a,
        category="financing",
        title="评估与授信不一致",
        description="…",
    )
    other = ticket_raise(
        actor=admin_user, enterprise=enterprise_b, category="tax", title="别家的诉求", description="…"
    )
    page = client.get(pledge_loan.get_absolute_url()).content.decode()
    assert own.title in page and other.title not in page  # only the enterprise's problems are offered
    url = f"/benefits/financing/loans/{pledge_loan.pk}/tickets/"
    assert client.post(url, {"ticket": other.pk}).status_code == 400
    assert client.post(url, {"ticket": own.pk}).status_code == 302
    response = client.post(
        f"{url}new/", {"title": "质押登记需完税证明", "description": "需税务局出具证明", "urgency": "normal"}
    )
    assert response.status_code == 302
    raised = Ticket.objects.get(title="质押登记需完税证明")
    assert raised.category == "financing" and raised.enterprise == enterprise_a
    assert set(pledge_loan.tickets.all()) == {own, raised}


def test_the_lists_search_filter_and_total(admin_user, bank, pledge_loan, line_b, enterprise_a, enterprise_b):
    other_bank = actions.bank_create(actor=admin_user, name="工商银行")
    actions.credit_line_record(
        actor=admin_user,
        bank=other_bank,
        enterprise=enterprise_a,
        amount="5000000",
        granted_on=date(2021, 3, 1),
    )
    client = _client(admin_user)
    page = client.get("/benefits/financing/credit-lines/", {"q": enterprise_b.name}).content.decode()
    # amounts in 万元: 20,000,000 yuan is 2,000.00, 5,000,000 yuan 500.00
    assert '<td class="num">2,000.00</td>' in page and '<td class="num">500.00</td>' not in page
    page = client.get("/benefits/financing/credit-lines/", {"year": "2021"}).content.decode()
    assert '<td class="num">500.00</td>' in page and '<td class="num">2,000.00</td>' not in page
    page = client.get("/benefits/financing/credit-lines/", {"bank": other_bank.pk}).content.decode()
    assert 'data-testid="credit-lines-total">500.00 万元' in page  # 5,000,000 yuan
    page = client.get("/benefits/financing/loans/", {"kind": "ordinary"}).content.decode()
    assert "暂无贷款" in page  # the empty state
    overview = client.get("/benefits/financing/").content.decode()
    assert 'data-testid="total-credit_lines">2,500.00</span> 万元' in overview


def test_enterprise_staff_see_only_their_own_and_404_for_others(
    ent_a, ent_b, pledge_loan, line_b, admin_user, enterprise_a, api
):
    actions.credit_line_record(
        actor=admin_user,
        bank=line_b.bank,
        enterprise=enterprise_a,
        amount="100000",
        granted_on=date(2020, 6, 1),
    )
    page = _client(ent_a).get("/benefits/financing/credit-lines/").content.decode()
    assert '<td class="num">10.00</td>' in page and '<td class="num">2,000.00</td>' not in page
    listed = api(ent_a).get("/api/v1/credit-lines/").json()["results"]
    assert [row["enterprise"] for row in listed] == [enterprise_a.pk]
    assert _client(ent_a).get(pledge_loan.get_absolute_url()).status_code == 200
    other = _client(ent_b)
    assert other.get(pledge_loan.get_absolute_url()).status_code == 404
    assert (
        other.post(f"/benefits/financing/loans/{pledge_loan.pk}/tickets/new/", {"title": "x"}).status_code
        == 404
    )
    assert api(ent_b).get(f"/api/v1/loans/{pledge_loan.pk}/").status_code == 404
    assert (
        api(ent_b).post(f"/api/v1/loans/{pledge_loan.pk}/tickets/", {"title": "x"}, format="json").status_code
        == 404
    )
    assert api(ent_b).get("/api/v1/loans/").json()["results"] == []
    assert _client(ent_a).get("/benefits/financing/loans/new/").status_code == 404  # an admin's page


def test_the_enterprise_raises_a_problem_on_its_own_loan_but_records_no_money(ent_a, pledge_loan, api):
    response = api(ent_a).post(
        f"/api/v1/loans/{pledge_loan.pk}/tickets/",
        {"title": "银行要求追加担保", "description": "评估值不足"},
        format="json",
    )
    assert response.status_code == 201 and len(response.json()["tickets"]) == 1
    assert Ticket.objects.get(title="银行要求追加担保").source == "enterprise"
    response = api(ent_a).post(
        f"/api/v1/loans/{pledge_loan.pk}/subsidies/",
        {"amount": "1000", "paid_on": "2021-01-05"},
        format="json",
    )
    assert response.status_code == 403 and not SubsidyPayment.objects.exists()


# --- API ----------------------------------------------------------------------------------------


def test_api_records_credit_lines_and_loans_in_yuan(admin_user, bank, enterprise_a, api):
    client = api(admin_user)
    response = client.post(
        "/api/v1/credit-lines/",
        {
            "bank": bank.pk,
            "enterprise": enterprise_a.pk,
            "amount": "519000000.00",
            "granted_on": "2020-08-01",
        },
        format="json",
    )
    assert response.status_code == 201 and response.json()["amount"] == "519000000.00"
    line = CreditLine.objects.get()
    response = client.post(
        "/api/v1/loans/",
        {
            "kind": "patent_pledge",
            "bank": bank.pk,
            "enterprise": enterprise_a.pk,
            "credit_line": line.pk,
            "amount": "9300000",
            "drawn_on": "2020-11-18",
            "annual_rate": "4.35",
            "evaluator": "评估公司",
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["subsidy_share"] == "0.50" and body["subsidy_due"] == "202275.00"
    totals = client.get("/api/v1/financing/totals/", {"year": 2020}).json()
    assert totals["credit_lines"]["total"] == "519000000.00"
    assert totals["loans"]["by_bank"][0]["name"] == bank.name


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": "abc"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"enterprise": 999999}, "enterprise"),
        ({"bank": 999999}, "bank"),
        ({"granted_on": "2020-13-45"}, "granted_on"),
    ],
)
def test_api_bad_credit_line_is_a_400_naming_the_field_and_writes_nothing(
    admin_user, bank, enterprise_a, api, body, field
):
    good = {"bank": bank.pk, "enterprise": enterprise_a.pk, "amount": "1000000", "granted_on": "2020-08-01"}
    response = api(admin_user).post(
        "/api/v1/credit-lines/", {**good, **body}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert field in error["fields"] and error["message"]
    assert not CreditLine.objects.exists()


def test_api_loan_with_an_impossible_share_or_anothers_credit_line_is_refused(
    admin_user, bank, enterprise_a, line_b, api
):
    good = {
        "bank": bank.pk,
        "enterprise": enterprise_a.pk,
        "amount": "100000",
        "drawn_on": "2020-11-18",
        "annual_rate": "4.35",
    }
    client = api(admin_user)
    assert client.post("/api/v1/loans/", {**good, "subsidy_share": "1.5"}, format="json").status_code == 400
    response = client.post("/api/v1/loans/", {**good, "credit_line": line_b.pk}, format="json")
    assert response.status_code == 400 and "credit_line" in response.json()["error"]["fields"]
    assert not Loan.objects.exists()


def test_api_a_second_subsidy_payment_on_the_same_day_is_a_409(admin_user, pledge_loan, api):
    client = api(admin_user)
    url = f"/api/v1/loans/{pledge_loan.pk}/subsidies/"
    first = client.post(url, {"amount": "1000.50", "paid_on": "2021-06-20"}, format="json")
    assert first.status_code == 201 and first.json()["subsidies"][0]["amount"] == "1000.50"
    again = client.post(url, {"amount": "1000.50", "paid_on": "2021-06-20"}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "duplicate_subsidy"
    over = client.post(url, {"amount": "999999", "paid_on": "2021-07-20"}, format="json")
    assert over.status_code == 409 and over.json()["error"]["code"] == "over_subsidy"
    assert SubsidyPayment.objects.count() == 1


def test_api_only_administrators_record(ent_a, cso1, leader1, bank, enterprise_a, api):
    for user in (ent_a, cso1, leader1):
        client = api(user)
        assert client.post("/api/v1/banks/", {"name": "某银行"}, format="json").status_code == 403
        response = client.post(
            "/api/v1/credit-lines/",
            {"bank": bank.pk, "enterprise": enterprise_a.pk, "amount": "1", "granted_on": "2020-01-01"},
            format="json",
        )
        assert response.status_code == 403
        response = client.post(
            "/api/v1/matching-events/", {"title": "会", "held_on": "2020-01-01"}, format="json"
        )
        assert response.status_code == 403
    assert not CreditLine.objects.exists() and not MatchingEvent.objects.exists()
    assert Bank.objects.count() == 1


def test_api_matching_events_show_an_enterprise_only_its_own_attendance(
    admin_user, ent_a, bank, enterprise_a, enterprise_b, api
):
    response = api(admin_user).post(
        "/api/v1/matching-events/",
        {
            "title": "对接会",
            "held_on": "2020-04-16",
            "banks": [bank.pk],
            "enterprises": [enterprise_a.pk, enterprise_b.pk],
        },
        format="json",
    )
    assert response.status_code == 201
    assert (
        api(admin_user)
        .post(
            "/api/v1/matching-events/",
            {"title": "会", "held_on": "2020-04-16", "enterprises": [999999]},
            format="json",
        )
        .status_code
        == 400
    )
    rows = api(ent_a).get("/api/v1/matching-events/").json()["results"]
    assert [(r["enterprises"], r["enterprise_count"]) for r in rows] == [([enterprise_a.pk], 2)]


def test_financing_lists_answer_in_a_fixed_number_of_queries(
    admin_user, bank, enterprise_a, enterprise_b, api, django_assert_max_num_queries
):
    for i in range(4):
        line = actions.credit_line_record(
            actor=admin_user,
            bank=bank,
            enterprise=enterprise_a if i % 2 else enterprise_b,
            amount=str(1000000 + i),
            granted_on=date(2020, 3, 1 + i),
        )
        loan = actions.loan_record(
            actor=admin_user,
            bank=bank,
            enterprise=line.enterprise,
            amount="100000",
            drawn_on=date(2020, 4, 1 + i),
            annual_rate="4",
            subsidy_share="0.5",
        )
        actions.loan_subsidy_pay(actor=admin_user, loan=loan, amount="100", paid_on=date(2021, 1, 1))
        actions.matching_event_record(
            actor=admin_user,
            title=f"会{i}",
            held_on=date(2020, 2, 1 + i),
            banks=[bank],
            enterprises=[enterprise_a],
        )
    client = api(admin_user)
    for url in ("/api/v1/credit-lines/", "/api/v1/loans/", "/api/v1/matching-events/", "/api/v1/banks/"):
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200, url
    page = _client(admin_user)
    for url in (
        "/benefits/financing/",
        "/benefits/financing/credit-lines/",
        "/benefits/financing/loans/",
        "/benefits/financing/events/",
        "/benefits/financing/banks/",
    ):
        with django_assert_max_num_queries(16):
            assert page.get(url).status_code == 200, url


# --- the city's voucher total -------------------------------------------------------------------


def test_an_administrator_enters_the_citys_voucher_total(admin_user, ent_a, voucher_round, api):
    client = _client(admin_user)
    assert 'data-testid="voucher-rounds"' in client.get("/benefits/vouchers/").content.decode()
    url = f"/benefits/vouchers/rounds/{voucher_round.pk}/city-total/"
    assert client.post(url, {"city_total": "30000000"}).status_code == 302
    voucher_round.refresh_from_db()
    assert voucher_round.city_total == Decimal("30000000.00")
    assert client.post(url, {"city_total": "abc"}).status_code == 400
    assert _client(ent_a).post(url, {"city_total": "1"}).status_code == 404  # not a page of theirs
    response = api(admin_user).post(
        f"/api/v1/voucher-rounds/{voucher_round.pk}/city-total/", {"city_total": "25000000.00"}, format="json"
    )
    assert response.status_code == 200 and response.json()["city_total"] == "25000000.00"
    assert (
        api(ent_a)
        .post(f"/api/v1/voucher-rounds/{voucher_round.pk}/city-total/", {"city_total": "1"}, format="json")
        .status_code
        == 403
    )
    voucher_round.refresh_from_db()
    assert voucher_round.city_total == Decimal("25000000.00")


# --- the dashboard ------------------------------------------------------------------------------


def test_the_dashboards_financing_figures_drill_down_to_their_loans(admin_user, park2, pledge_loan, line_b):
    client = _client(admin_user)
    board = client.get("/dashboard/").content.decode()
    assert "/dashboard/cases/loans-pledge/" in board and "/dashboard/cases/credit-lines-period/" in board
    rows = client.get("/dashboard/cases/loans-pledge/").context["page"].paginator.object_list
    assert pledge_loan in rows and {loan.kind for loan in rows} == {LoanKind.PATENT_PLEDGE}
    assert pledge_loan.get_absolute_url() in client.get("/dashboard/cases/loans-pledge/").content.decode()
    other_park = _client(park2).get("/dashboard/cases/loans-pledge/")
    assert (
        other_park.status_code == 404 or pledge_loan not in other_park.context["page"].paginator.object_list
    )


@pytest.mark.parametrize("rate", ["3.875", "0"])
def test_a_rate_of_three_decimals_or_an_interest_free_loan_is_recorded(
    admin_user, bank, enterprise_a, api, rate
):
    # The model keeps three decimals and the form and API accept 0; the action checked the rate as
    # a yuan amount (two decimals, above zero) and refused both.
    body = {
        "bank": bank.pk,
        "enterprise": enterprise_a.pk,
        "amount": "100000",
        "drawn_on": "2020-11-18",
        "annual_rate": rate,
    }
    response = api(admin_user).post("/api/v1/loans/", body, format="json")
    assert response.status_code == 201, response.json()
    assert Loan.objects.get().annual_rate == Decimal(rate)


@pytest.mark.parametrize("rate", ["100.5", "-1", "3.8755", "abc", "NaN"])
def test_an_impossible_rate_is_a_400_on_the_rate_and_nothing_is_written(admin_user, bank, enterprise_a, rate):
    with pytest.raises(InvalidInput) as refused:
        actions.loan_record(
            actor=admin_user,
            kind="ordinary",
            bank=bank,
            enterprise=enterprise_a,
            amount="100000",
            drawn_on=date(2020, 11, 18),
            term_months=12,
            annual_rate=rate,
        )
    assert list(refused.value.fields) == ["annual_rate"]
    assert not Loan.objects.exists()
