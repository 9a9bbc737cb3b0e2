"""The money rules of innovation vouchers: the yearly cap per enterprise and the round's budget,
held by the database also under concurrent applications; paid never above issued."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from benefits import actions
from benefits.models import Voucher, VoucherRound, VoucherStatus, VoucherYear
from tests.concurrency import run_together
from zone_portal.accounts.models import User
from zone_portal.errors import Conflict, InvalidInput
from zone_portal.events.models import Event
from zone_portal.notifications.models import Notification

from .conftest import redemption_files


def test_the_cap_refuses_what_would_pass_300000_in_a_year(ent_a, enterprise_a, voucher_round):
    actions.voucher_apply(
        actor=ent_a, round=voucher_round, enterprise=enterprise_a, purposes=["rnd"], amount="200000"
    )
    with pytest.raises(Conflict) as refused:
        actions.voucher_apply(
            actor=ent_a,
            round=voucher_round,
            enterprise=enterprise_a,
            purposes=["testing"],
            amount="100000.01",
        )
    assert refused.value.code == "over_cap"
    assert "100000.00" in str(refused.value.message)  # says how much is left
    last = actions.voucher_apply(
        actor=ent_a, round=voucher_round, enterprise=enterprise_a, purposes=["testing"], amount="100000.00"
    )
    assert last.amount == Decimal("100000.00")
    assert VoucherYear.objects.get(enterprise=enterprise_a).reserved == Decimal("300000.00")


def test_a_refused_application_releases_what_it_held(admin_user, ent_a, enterprise_a, voucher_round):
    voucher = actions.voucher_apply(
        actor=ent_a, round=voucher_round, enterprise=enterprise_a, purposes=["rnd"], amount="300000"
    )
    actions.voucher_reject(actor=admin_user, voucher=voucher, reason="不符合条件")
    voucher_round.refresh_from_db()
    assert voucher_round.reserved == 0
    actions.voucher_apply(
        actor=ent_a, round=voucher_round, enterprise=enterprise_a, purposes=["rnd"], amount="300000"
    )


def test_the_budget_refuses_what_would_pass_it(ent_a, ent_b, enterprise_a, enterprise_b, voucher_round):
    VoucherRound.objects.filter(pk=voucher_round.pk).update(budget=Decimal("250000.00"))
    voucher_round.refresh_from_db()
    actions.voucher_apply(
        actor=ent_a, round=voucher_round, enterprise=enterprise_a, purposes=["rnd"], amount="200000"
    )
    with pytest.raises(Conflict) as refused:
        actions.voucher_apply(
            actor=ent_b, round=voucher_round, enterprise=enterprise_b, purposes=["rnd"], amount="60000"
        )
    assert refused.value.code == "over_budget"
    assert Voucher.objects.count() == 1


def test_the_database_refuses_a_round_over_its_budget(voucher_round):
    with pytest.raises(IntegrityError), transaction.atomic():
        VoucherRound.objects.filter(pk=voucher_round.pk).update(reserved=voucher_round.budget + 1)


def test_paid_never_exceeds_issued(admin_user, ent_a, issued_voucher, experts):
    voucher = actions.voucher_redeem(
        actor=ent_a, voucher=issued_voucher, claimed_amount="120000", note="检测", files=redemption_files()
    )
    actions.voucher_assign_experts(actor=admin_user, voucher=voucher, experts=experts[:2])
    for expert in experts[:2]:
        actions.voucher_review_submit(actor=expert, voucher=voucher, score=90, opinion="合格")
    with pytest.raises(Exception) as refused:
        actions.voucher_pay(actor=admin_user, voucher=voucher, amount="120000.01")
    assert getattr(refused.value, "status", None) == 400
    with pytest.raises(IntegrityError), transaction.atomic():
        Voucher.objects.filter(pk=voucher.pk).update(paid_amount=Decimal("120000.01"))
    paid = actions.voucher_pay(actor=admin_user, voucher=voucher, amount="118500.50")
    assert paid.status == VoucherStatus.PAID and paid.paid_amount == Decimal("118500.50")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_applications_at_once_cannot_both_pass_the_cap_nor_the_budget(
    ent_a, ent_b, enterprise_a, enterprise_b, voucher_round
):
    """One test for the races (a transactional test costs a flush of every table): the cap, the
    budget, and two sweeps at once at a voucher's end of validity."""

    def apply(user, enterprise, amount):
        return lambda: actions.voucher_apply(
            actor=user,
            round=VoucherRound.objects.get(pk=voucher_round.pk),
            enterprise=enterprise,
            purposes=["rnd"],
            amount=amount,
        )

    # The cap: 200,000 twice for one enterprise in one year.
    outcomes = run_together(apply(ent_a, enterprise_a, "200000"), apply(ent_a, enterprise_a, "200000"))
    assert sorted(kind for kind, _ in outcomes) == ["error", "ok"], outcomes
    assert next(value for kind, value in outcomes if kind == "error").code == "over_cap"
    assert VoucherYear.objects.get(enterprise=enterprise_a).reserved == Decimal("200000.00")

    # The budget: 200,000 left, two enterprises ask 100,000 and 150,000 at once (each within its cap).
    VoucherRound.objects.filter(pk=voucher_round.pk).update(budget=Decimal("400000.00"))
    outcomes = run_together(apply(ent_a, enterprise_a, "100000"), apply(ent_b, enterprise_b, "150000"))
    assert sorted(kind for kind, _ in outcomes) == ["error", "ok"], outcomes
    assert next(value for kind, value in outcomes if kind == "error").code == "over_budget"
    reserved = VoucherRound.objects.get(pk=voucher_round.pk).reserved
    assert reserved in (Decimal("300000.00"), Decimal("350000.00"))
    assert reserved == sum(v.amount for v in Voucher.objects.all())

    # Two sweeps at once at the end of validity: the voucher expires once, one event, one notice each.
    admin = User.objects.get(username="admin")
    issued = actions.voucher_issue(
        actor=admin, voucher=Voucher.objects.filter(status="applied", enterprise=enterprise_a).first()
    )
    end = issued.expires_at
    outcomes = run_together(lambda: actions.vouchers_sweep(now=end), lambda: actions.vouchers_sweep(now=end))
    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    assert sum(value["expired"] for _, value in outcomes) == 1
    assert Voucher.objects.get(pk=issued.pk).status == VoucherStatus.EXPIRED
    assert Event.objects.filter(object_id=issued.pk, kind="expired").count() == 1
    assert Notification.objects.filter(kind="voucher_expired", recipient=ent_a).count() == 1

    # Financing: the same subsidy payment entered twice at once (two clerks, a resubmitted form)
    # is recorded once; the other is told so (the loan's row lock, then the unique constraint).
    from datetime import date

    from benefits.models import SubsidyPayment

    bank = actions.bank_create(actor=admin, name="平顶山银行")
    loan = actions.loan_record(
        actor=admin,
        bank=bank,
        enterprise=enterprise_a,
        amount="9300000",
        drawn_on=date(2020, 11, 18),
        annual_rate="4.35",
        kind="patent_pledge",
        evaluator="评估公司",
    )

    def pay():
        return actions.loan_subsidy_pay(actor=admin, loan=loan, amount="1000.00", paid_on=date(2021, 6, 20))

    outcomes = run_together(pay, pay)
    assert sorted(kind for kind, _ in outcomes) == ["error", "ok"], outcomes
    assert next(value for kind, value in outcomes if kind == "error").code == "duplicate_subsidy"
    assert SubsidyPayment.objects.filter(loan=loan).count() == 1


def test_a_round_missing_its_name_or_dates_is_refused_field_by_field(admin_user, today, client):
    """The page sends an empty name as None: that is "required" (400), not "a round of that name
    exists already" (409), and no round is written."""
    data = {"name": None, "year": today.year, "opens_on": today, "closes_on": None, "valid_until": None}
    with pytest.raises(InvalidInput) as refused:
        actions.voucher_round_create(actor=admin_user, data={**data, "budget": "1000"})
    assert set(refused.value.fields) == {"name", "closes_on", "valid_until"}
    with pytest.raises(InvalidInput) as refused:
        actions.voucher_round_create(actor=admin_user, data={"name": "第二批", "opens_on": today})
    assert set(refused.value.fields) == {"year", "closes_on", "valid_until", "budget"}
    client.force_login(admin_user)
    page = client.post("/benefits/vouchers/rounds/new/", {"name": " ", "year": today.year, "budget": "1000"})
    assert page.status_code == 400
    assert not VoucherRound.objects.exists()
