"""The benefits' notifications are codes with parameters: the department's officer and the
administrators read them in the language each chose, from the actions and from the review sweep."""

from datetime import timedelta

import pytest

from benefits import actions, notices

from ..notices import reads, subjects

pytestmark = pytest.mark.django_db


def test_the_review_clock_reads_in_each_recipients_language(
    policy, high_tech, ent_a, innovation_officer, admin_user
):
    reads(innovation_officer, "en")
    application = actions.application_submit(actor=ent_a, policy=policy, enterprise=high_tech)
    assert subjects(innovation_officer, notices.APPLICATION_NEW) == [
        "New application: 高新技术企业认定奖励 — 中金科技有限公司"
    ]
    actions.applications_sweep(now=application.due_at + timedelta(minutes=1))
    assert subjects(innovation_officer, notices.REVIEW_OVERDUE) == [
        "Review overdue: 高新技术企业认定奖励 — 中金科技有限公司"
    ]
    assert subjects(admin_user, notices.REVIEW_OVERDUE) == [
        "审核已超期：高新技术企业认定奖励 — 中金科技有限公司"
    ]


def test_the_applicant_reads_the_decision_in_its_language(policy, high_tech, ent_a, innovation_officer):

    reads(ent_a, "en")
    application = actions.application_submit(actor=ent_a, policy=policy, enterprise=high_tech)
    actions.application_reject(actor=innovation_officer, application=application, reason="材料不符")
    assert subjects(ent_a, notices.APPLICATION_REJECTED) == [
        "Your application for 高新技术企业认定奖励 was rejected"
    ]
