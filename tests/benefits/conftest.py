"""Fixtures of the benefits tests: a policy, a voucher round, experts, files."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from benefits import actions
from benefits.models import AmountRule, PolicyKind
from zone_portal.accounts.roles import Role

PDF = b"%PDF-1.4\n% test\n"


def pdf(name="file.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def experts(demo):
    return [demo.user(f"expert{i}", f"专家{i}", roles=[Role.EXPERT]) for i in (1, 2, 3)]


@pytest.fixture
def high_tech(enterprise_a, today):
    enterprise_a.high_tech_certificate = "GR2025"
    enterprise_a.high_tech_expires_on = today + timedelta(days=365)
    enterprise_a.industry = "新材料"
    enterprise_a.save()
    return enterprise_a


@pytest.fixture
def policy(admin_user, demo, today):
    return actions.policy_create(
        actor=admin_user,
        data={
            "name": "高新技术企业认定奖励",
            "department": demo.departments["innovation"],
            "kind": PolicyKind.REWARD,
            "qualifications": ["high_tech"],
            "amount_rule": AmountRule.FIXED,
            "fixed_amount": Decimal("100000.00"),
            "opens_on": today - timedelta(days=10),
            "closes_on": today + timedelta(days=30),
            "valid_until": today + timedelta(days=365),
            "materials": ["高新技术企业证书", "申请表"],
            "review_days": 5,
        },
    )


@pytest.fixture
def innovation_officer(demo):
    return demo.user(
        "dept_innovation", "科创局 审核员", roles=[Role.DEPARTMENT_OFFICER], departments=["innovation"]
    )


@pytest.fixture
def voucher_round(admin_user, today):
    return actions.voucher_round_create(
        actor=admin_user,
        data={
            "name": f"{today.year}年科技创新券第一批",
            "year": today.year,
            "opens_on": today - timedelta(days=5),
            "closes_on": today + timedelta(days=25),
            "valid_until": today + timedelta(days=200),
            "budget": Decimal("1000000.00"),
        },
    )


def redemption_files():
    return {"contract": [pdf("合同.pdf")], "invoice": [pdf("发票.pdf")], "report": [pdf("报告.pdf")]}


@pytest.fixture
def issued_voucher(admin_user, ent_a, enterprise_a, voucher_round):
    voucher = actions.voucher_apply(
        actor=ent_a, round=voucher_round, enterprise=enterprise_a, purposes=["testing"], amount="120000"
    )
    return actions.voucher_issue(actor=admin_user, voucher=voucher)


__all__ = ["date"]
