"""Vouchers: experts (two at least, none with a conflict of interest), redemption materials,
reminders 30 and 7 days before the end, and expiry exactly once under two sweeps."""

from datetime import timedelta

import pytest

from benefits import actions
from benefits.models import ExpertConflict, VoucherStatus
from zone_portal.errors import Conflict, InvalidInput, PermissionDeniedError, TransitionForbidden
from zone_portal.events.models import Event
from zone_portal.notifications.models import Notification

from .conftest import redemption_files


@pytest.fixture
def redeemed(ent_a, issued_voucher):
    return actions.voucher_redeem(
        actor=ent_a,
        voucher=issued_voucher,
        claimed_amount="100000",
        note="检测服务",
        files=redemption_files(),
    )


def test_redemption_needs_contract_invoices_and_report(ent_a, issued_voucher):
    files = redemption_files()
    del files["invoice"]
    with pytest.raises(InvalidInput) as refused:
        actions.voucher_redeem(
            actor=ent_a, voucher=issued_voucher, claimed_amount="1000", note="", files=files
        )
    assert "invoice" in refused.value.fields


def test_conflict_of_interest_is_refused(admin_user, redeemed, experts, cso1, demo):
    ExpertConflict.objects.create(expert=experts[1], enterprise=redeemed.enterprise)
    with pytest.raises(InvalidInput) as refused:
        actions.voucher_assign_experts(actor=admin_user, voucher=redeemed, experts=[experts[0], experts[1]])
    assert refused.value.code == "conflict_of_interest" and "专家2" in str(refused.value.message)
    # the enterprise's own officer, even made an expert, may not review it
    from zone_portal.accounts.models import UserRole

    UserRole.objects.create(user=cso1, role="expert")
    cso1 = type(cso1).objects.get(pk=cso1.pk)
    with pytest.raises(InvalidInput):
        actions.voucher_assign_experts(actor=admin_user, voucher=redeemed, experts=[experts[0], cso1])
    with pytest.raises(InvalidInput):  # one is not enough
        actions.voucher_assign_experts(actor=admin_user, voucher=redeemed, experts=[experts[0]])
    redeemed.refresh_from_db()
    assert redeemed.status == VoucherStatus.REDEMPTION_SUBMITTED and not redeemed.reviews.exists()


def test_only_assigned_experts_review_and_payment_waits_for_all(admin_user, redeemed, experts):
    actions.voucher_assign_experts(actor=admin_user, voucher=redeemed, experts=experts[:2])
    with pytest.raises(PermissionDeniedError):
        actions.voucher_review_submit(actor=experts[2], voucher=redeemed, score=80, opinion="—")
    actions.voucher_review_submit(actor=experts[0], voucher=redeemed, score=85, opinion="合格")
    with pytest.raises(Conflict):
        actions.voucher_review_submit(actor=experts[0], voucher=redeemed, score=85, opinion="again")
    with pytest.raises(Conflict) as waiting:
        actions.voucher_pay(actor=admin_user, voucher=redeemed, amount="100000")
    assert waiting.value.code == "reviews_missing"
    actions.voucher_review_submit(actor=experts[1], voucher=redeemed, score=90, opinion="合格")
    with pytest.raises(InvalidInput):  # more than claimed
        actions.voucher_pay(actor=admin_user, voucher=redeemed, amount="100000.01")
    assert (
        actions.voucher_pay(actor=admin_user, voucher=redeemed, amount="100000").status == VoucherStatus.PAID
    )


def test_reminders_30_and_7_days_before_then_expiry_exactly_once(issued_voucher, cso1, ent_a):
    end = issued_voucher.expires_at
    assert actions.vouchers_sweep(now=end - timedelta(days=31))["reminded_30"] == 0
    assert actions.vouchers_sweep(now=end - timedelta(days=30))["reminded_30"] == 1
    assert actions.vouchers_sweep(now=end - timedelta(days=29))["reminded_30"] == 0
    assert actions.vouchers_sweep(now=end - timedelta(days=7))["reminded_7"] == 1
    first = actions.vouchers_sweep(now=end)
    second = actions.vouchers_sweep(now=end + timedelta(hours=1))
    assert (first["expired"], second["expired"]) == (1, 0)
    issued_voucher.refresh_from_db()
    assert issued_voucher.status == VoucherStatus.EXPIRED
    assert Event.objects.filter(object_id=issued_voucher.pk, kind="expired").count() == 1
    told = Notification.objects.filter(kind="voucher_expired")
    assert set(told.values_list("recipient", flat=True)) == {cso1.pk, ent_a.pk}
    with pytest.raises(TransitionForbidden):  # an expired voucher cannot be redeemed
        actions.voucher_redeem(
            actor=ent_a, voucher=issued_voucher, claimed_amount="1", note="", files=redemption_files()
        )


def test_a_voucher_past_its_end_cannot_be_redeemed_before_the_sweep_runs(ent_a, issued_voucher):
    with pytest.raises(Conflict) as refused:
        actions.voucher_redeem(
            actor=ent_a,
            voucher=issued_voucher,
            claimed_amount="1000",
            note="",
            files=redemption_files(),
            now=issued_voucher.expires_at + timedelta(seconds=1),
        )
    assert refused.value.code == "expired"


def test_an_experts_queue_shows_each_reviews_deadline(admin_user, redeemed, experts):
    """The expert's queue has deadlines: each review is due five working days after assignment."""
    from django.test import Client

    from benefits.selectors import expert_queue
    from zone_portal.cases.clock import deadline_after, working_days

    actions.voucher_assign_experts(actor=admin_user, voucher=redeemed, experts=experts[:2])
    review = expert_queue(experts[0]).get()
    expected = deadline_after(review.assigned_at, working_days(5), at_risk_ratio=0.8).due_at
    assert review.due_at == expected and review.due_at > review.assigned_at
    client = Client()
    client.force_login(experts[0])
    assert 'data-testid="review-due"' in client.get("/benefits/vouchers/").content.decode()
    assert 'data-testid="review-due"' in client.get("/").content.decode()


def test_an_expert_reviews_only_while_the_redemption_can_still_be_paid(admin_user, redeemed, experts):
    actions.voucher_assign_experts(actor=admin_user, voucher=redeemed, experts=experts[:2])
    actions.voucher_reject(actor=admin_user, voucher=redeemed, reason="材料不实")
    with pytest.raises(Conflict) as refused:
        actions.voucher_review_submit(actor=experts[0], voucher=redeemed, score=85, opinion="合格")
    assert refused.value.code == "reviewed_already"
    assert not redeemed.reviews.filter(reviewed_at__isnull=False).exists()


def test_an_overdue_expert_review_is_told_once_to_the_expert_and_the_administrators(
    admin_user, redeemed, experts
):
    """Each expert's review is due five working days after assignment; past it, the vouchers'
    sweep tells that expert and the administrators once, and says nothing of a review given."""
    from benefits.models import VoucherReview

    actions.voucher_assign_experts(actor=admin_user, voucher=redeemed, experts=experts[:2])
    actions.voucher_review_submit(actor=experts[0], voucher=redeemed, score=85, opinion="合格")
    due = VoucherReview.objects.get(voucher=redeemed, expert=experts[1]).due_at
    assert actions.vouchers_sweep(now=due - timedelta(minutes=1))["reviews_overdue"] == 0
    assert actions.vouchers_sweep(now=due)["reviews_overdue"] == 1
    assert actions.vouchers_sweep(now=due)["reviews_overdue"] == 0
    assert actions.vouchers_sweep(now=due + timedelta(days=3))["reviews_overdue"] == 0

    told = Notification.objects.filter(kind="voucher_review_overdue")
    assert told.filter(recipient=experts[1]).count() == 1 and told.filter(recipient=admin_user).count() == 1
    assert not told.filter(recipient=experts[0]).exists()
    events = Event.objects.filter(kind="expert_review_overdue", object_id=redeemed.pk)
    assert events.count() == 1 and events.get().data["expert"] == str(experts[1])
    note = told.get(recipient=experts[1])
    assert note.rendered("en")[0].startswith(f"Expert review overdue: voucher {redeemed.number}")
    assert note.rendered("zh-hans")[0].startswith(f"专家评审已超期：创新券 {redeemed.number}")


def test_no_overdue_review_once_the_voucher_left_review(admin_user, redeemed, experts):
    from benefits.models import VoucherReview

    actions.voucher_assign_experts(actor=admin_user, voucher=redeemed, experts=experts[:2])
    due = VoucherReview.objects.filter(voucher=redeemed).first().due_at
    actions.voucher_reject(actor=admin_user, voucher=redeemed, reason="材料不实")
    assert actions.vouchers_sweep(now=due)["reviews_overdue"] == 0


def test_a_voucher_message_writes_its_amount_as_the_pages_do(ent_a, issued_voucher):
    """An amount in a message is grouped like the pages' (the inbox read 120000.00 元)."""
    told = Notification.objects.filter(recipient=ent_a, code="benefits.voucher_issued").get()
    assert "120,000.00" in told.title and told.params["amount"] == "120,000.00"
