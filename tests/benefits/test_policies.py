"""Policies: matching by qualification (应享尽享), 免申即享 proposals, the application's lifecycle
with its checklist, the review clock's reminder and escalation (once under two sweeps), and the
ledger that never pays twice."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from benefits import actions, selectors
from benefits.models import ApplicationStatus, Disbursement, PolicyApplication
from zone_portal.errors import Conflict, InvalidInput, PermissionDeniedError, TransitionForbidden
from zone_portal.events.models import Event
from zone_portal.notifications.models import Notification

from .conftest import pdf


def test_matching_lists_the_qualified_enterprises_that_have_not_applied(
    policy, high_tech, enterprise_b, cso1, ent_a
):
    assert list(selectors.policy_matches(policy, cso1)) == [high_tech]  # B holds no high-tech certificate
    assert selectors.policies_for_enterprise(high_tech) == [policy]
    assert selectors.policies_for_enterprise(enterprise_b) == []
    actions.application_submit(actor=ent_a, policy=policy, enterprise=high_tech)
    assert list(selectors.policy_matches(policy, cso1)) == []
    assert selectors.policies_for_enterprise(high_tech) == []


def test_an_enterprise_that_does_not_qualify_is_told_so(policy, enterprise_b, ent_b):
    with pytest.raises(InvalidInput) as refused:
        actions.application_submit(actor=ent_b, policy=policy, enterprise=enterprise_b)
    assert refused.value.code == "not_qualified"
    assert not PolicyApplication.objects.exists()


def test_another_enterprises_staff_cannot_apply_for_it(policy, high_tech, ent_b):
    with pytest.raises(PermissionDeniedError):
        actions.application_submit(actor=ent_b, policy=policy, enterprise=high_tech)


def test_one_live_application_per_policy_and_enterprise(policy, high_tech, ent_a, cso1):
    actions.application_submit(actor=ent_a, policy=policy, enterprise=high_tech)
    with pytest.raises(Conflict):
        actions.application_submit(actor=cso1, policy=policy, enterprise=high_tech)


def _through_review(policy, enterprise, ent, officer, amount="100000"):
    application = actions.application_submit(actor=ent, policy=policy, enterprise=enterprise)
    with pytest.raises(Conflict) as incomplete:
        actions.application_accept(actor=officer, application=application)
    assert incomplete.value.code == "materials_missing"
    for slot in range(len(policy.materials)):
        actions.application_material_add(actor=ent, application=application, slot=slot, upload=pdf())
    actions.application_accept(actor=officer, application=application)
    actions.application_review(actor=officer, application=application, amount=amount)
    return actions.application_approve(actor=officer, application=application)


def test_the_lifecycle_pays_once_into_the_ledger(policy, high_tech, ent_a, innovation_officer, dept_market):
    with pytest.raises(PermissionDeniedError):  # another department does not review it
        _through_review(policy, high_tech, ent_a, dept_market)
    PolicyApplication.objects.all().delete()
    application = _through_review(policy, high_tech, ent_a, innovation_officer, amount="99999.99")
    payment = actions.application_pay(actor=innovation_officer, application=application, reference="PZ-1")
    assert payment.amount == Decimal("99999.99") and payment.park_id == high_tech.park_id
    with pytest.raises(TransitionForbidden):
        actions.application_pay(actor=innovation_officer, application=application)
    with pytest.raises(IntegrityError), transaction.atomic():  # the constraint, not the form
        Disbursement.objects.create(
            application=application,
            policy=policy,
            enterprise=high_tech,
            park_id=high_tech.park_id,
            amount=1,
            paid_on=payment.paid_on,
        )
    assert Disbursement.objects.count() == 1
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PAID


def test_a_rejection_needs_its_reason(policy, high_tech, ent_a, innovation_officer):
    application = actions.application_submit(actor=ent_a, policy=policy, enterprise=high_tech)
    with pytest.raises(InvalidInput):
        actions.application_reject(actor=innovation_officer, application=application, reason=" ")
    rejected = actions.application_reject(
        actor=innovation_officer, application=application, reason="材料不实"
    )
    assert rejected.status == ApplicationStatus.REJECTED and rejected.reason == "材料不实"
    # a rejected application no longer blocks a new one
    actions.application_submit(actor=ent_a, policy=policy, enterprise=high_tech)


def test_automatic_policies_propose_once_for_every_qualified_enterprise(
    policy, high_tech, innovation_officer
):
    policy.automatic = True
    policy.save()
    assert actions.policy_propose_automatic(actor=innovation_officer, policy=policy) == 1
    assert actions.policy_propose_automatic(actor=innovation_officer, policy=policy) == 0
    proposal = PolicyApplication.objects.get()
    assert proposal.status == ApplicationStatus.PROPOSED and proposal.requested_amount == Decimal("100000.00")


def test_the_review_clock_reminds_then_escalates_once_under_two_sweeps(
    policy, high_tech, ent_a, innovation_officer
):
    application = actions.application_submit(actor=ent_a, policy=policy, enterprise=high_tech)
    at_risk = application.risk_at + timedelta(minutes=1)
    assert actions.applications_sweep(now=at_risk) == {"reminded": 1, "overdue": 0}
    assert actions.applications_sweep(now=at_risk) == {"reminded": 0, "overdue": 0}
    late = application.due_at + timedelta(minutes=1)
    assert actions.applications_sweep(now=late)["overdue"] == 1
    assert actions.applications_sweep(now=late)["overdue"] == 0
    kinds = list(
        Event.objects.filter(object_id=application.pk, dedupe_key__isnull=False).values_list(
            "kind", flat=True
        )
    )
    assert sorted(kinds) == ["review_overdue", "review_reminder"]
    overdue = Notification.objects.filter(kind="benefit_overdue")
    assert set(overdue.values_list("recipient__username", flat=True)) >= {"dept_innovation", "admin"}
    assert overdue.filter(recipient=innovation_officer).count() == 1


def test_percentage_rule_caps_the_amount(policy):
    policy.amount_rule = "percentage"
    policy.percentage = Decimal("10")
    policy.cap = Decimal("500000")
    assert policy.amount_for(Decimal("1234567.89")) == Decimal("123456.79")
    assert policy.amount_for(Decimal("99999999")) == Decimal("500000.00")
