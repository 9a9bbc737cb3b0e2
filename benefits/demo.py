"""Demo benefits, vouchers and financing, reproducing the source's figures:

- 32 enterprise-benefit policies and a disbursement ledger totalling 67,894,050 yuan (6789.405 万元);
- 24 enterprises holding innovation vouchers worth 6,637,000 yuan, none above 300,000;
- 2020 credit lines totalling 519,600,000 yuan (more than 519 million) through matching events;
- the 9.3 million yuan patent-pledge loan with half of the interest subsidised, its difficulties
  raised as problem tickets.

The ledger of past years and the vouchers' past payments are written as records (a ledger handed
over, as an import would), every row of them with the constraints of the live path; what happens
now (an open policy, 免申即享 proposals, an open round) goes through the actions. Idempotent: each
part is skipped once it exists.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from enterprises.models import Enterprise
from zone_portal.accounts.roles import Role
from zone_portal.worktime.calendar import ZONE

from . import actions
from .models import (
    AmountRule,
    ApplicationStatus,
    Bank,
    Disbursement,
    LoanKind,
    Policy,
    PolicyApplication,
    PolicyKind,
    Voucher,
    VoucherRound,
    VoucherStatus,
)

LEDGER_TOTAL = Decimal("67894050")
VOUCHER_FIRMS, VOUCHER_TOTAL, VOUCHER_CAP = 24, Decimal("6637000"), Decimal("300000")
CREDIT_2020 = Decimal("519600000")
PLEDGE_LOAN = Decimal("9300000")

K = PolicyKind
# name, department, kind, qualifications, rule, fixed amount or percentage, cap, first year
POLICIES = [
    ("高新技术企业认定奖励", "innovation", K.REWARD, ["high_tech"], "fixed", 200000, None, 2019),
    ("高新技术企业后备库培育奖励", "innovation", K.REWARD, ["reserve"], "fixed", 50000, None, 2019),
    ("科技型中小企业评价奖励", "innovation", K.REWARD, ["tech_sme"], "fixed", 20000, None, 2019),
    ("规上工业企业首次入规奖励", "investment", K.REWARD, ["above_scale"], "fixed", 100000, None, 2019),
    ("研发费用后补助", "innovation", K.SUBSIDY, ["high_tech"], "percentage", 10, 1000000, 2019),
    ("技术改造设备投资补助", "investment", K.SUBSIDY, ["above_scale"], "percentage", 8, 2000000, 2019),
    ("专利质押融资贴息", "innovation", K.INTEREST_SUBSIDY, [], "percentage", 50, 500000, 2020),
    ("科技贷款贴息", "innovation", K.INTEREST_SUBSIDY, ["tech_sme"], "percentage", 30, 300000, 2020),
    ("新入驻企业房租补贴", "investment", K.SUBSIDY, [], "fixed", 30000, None, 2020),
    ("省级研发中心奖励", "innovation", K.REWARD, ["high_tech"], "fixed", 300000, None, 2019),
    ("市级工程技术研究中心奖励", "innovation", K.REWARD, [], "fixed", 100000, None, 2019),
    ("知识产权示范企业奖励", "market", K.REWARD, [], "fixed", 100000, None, 2020),
    ("发明专利授权资助", "market", K.SUBSIDY, [], "review", None, 50000, 2019),
    ("商标品牌培育奖励", "market", K.REWARD, [], "fixed", 50000, None, 2020),
    ("质量标杆企业奖励", "market", K.REWARD, ["above_scale"], "fixed", 200000, None, 2021),
    ("小微企业税收减免", "tax", K.TAX_FEE_REDUCTION, [], "review", None, None, 2019),
    ("高新技术企业所得税优惠", "tax", K.TAX_FEE_REDUCTION, ["high_tech"], "review", None, None, 2019),
    ("研发费用加计扣除", "tax", K.TAX_FEE_REDUCTION, ["tech_sme"], "review", None, None, 2019),
    ("城镇土地使用税减免", "tax", K.TAX_FEE_REDUCTION, [], "review", None, None, 2020),
    ("行政事业性收费减免", "approval", K.TAX_FEE_REDUCTION, [], "review", None, None, 2020),
    ("企业上市挂牌奖励", "investment", K.REWARD, ["above_scale"], "fixed", 1000000, None, 2020),
    ("首台（套）重大技术装备奖励", "investment", K.REWARD, [], "percentage", 5, 1000000, 2020),
    ("人才引进安家补贴", "enterprise_service", K.SUBSIDY, [], "fixed", 100000, None, 2019),
    ("博士后工作站建站资助", "enterprise_service", K.SUBSIDY, ["high_tech"], "fixed", 500000, None, 2020),
    ("技能人才培训补贴", "enterprise_service", K.SUBSIDY, [], "review", None, 200000, 2020),
    ("稳岗返还", "enterprise_service", K.SUBSIDY, [], "review", None, None, 2020),
    ("疫情期间房租减免", "investment", K.TAX_FEE_REDUCTION, [], "review", None, None, 2020),
    ("用电成本补贴", "power", K.SUBSIDY, ["above_scale"], "percentage", 10, 300000, 2020),
    ("外贸企业出口信用保险补贴", "investment", K.SUBSIDY, [], "percentage", 50, 200000, 2021),
    ("企业贷款担保费补贴", "innovation", K.SUBSIDY, [], "percentage", 50, 100000, 2021),
    ("中试基地建设补助", "platform", K.SUBSIDY, ["high_tech"], "fixed", 500000, None, 2021),
    ("科技成果转化奖励", "platform", K.REWARD, [], "percentage", 10, 500000, 2021),
]
OPEN_POLICY = "新入驻企业房租补贴"  # open now, every park-1 enterprise qualifies: ent_a's journey
AUTOMATIC_POLICY = "规上工业企业首次入规奖励"  # 免申即享: proposals made for the department

BANKS = [
    "中国银行平顶山分行",
    "中国工商银行平顶山分行",
    "中国建设银行平顶山分行",
    "中国农业银行平顶山分行",
    "平顶山银行",
]


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=ZONE)


def _split(total: Decimal, count: int, *, low: int, high: int, step: int, seed: int) -> list[Decimal]:
    """`count` amounts, multiples of `step` within [low, high], adding up to `total` exactly."""
    rng = random.Random(seed)
    amounts = [Decimal(rng.randrange(low, high + 1, step)) for _ in range(count)]
    gap = total - sum(amounts)
    i = 0
    while gap:
        room = (Decimal(high) - amounts[i]) if gap > 0 else (amounts[i] - Decimal(low))
        move = min(abs(gap), room)
        amounts[i] += move if gap > 0 else -move
        gap -= move if gap > 0 else -move
        i = (i + 1) % count
    return amounts


def _policies(ctx, admin, today) -> dict[str, Policy]:
    existing = {p.name: p for p in Policy.objects.filter(name__in=[row[0] for row in POLICIES])}
    for name, department, kind, qualifications, rule, value, cap, first_year in POLICIES:
        if name in existing:
            continue
        opens = date(first_year, 3, 1)
        closes, valid = date(today.year + 1, 12, 31), date(today.year + 2, 12, 31)
        data = {
            "name": name,
            "department": ctx.departments[department],
            "kind": kind,
            "qualifications": qualifications,
            "amount_rule": rule,
            "fixed_amount": Decimal(value) if rule == AmountRule.FIXED else None,
            "percentage": Decimal(value) if rule == AmountRule.PERCENTAGE else None,
            "cap": Decimal(cap) if cap else None,
            "opens_on": opens,
            "closes_on": closes,
            "valid_until": valid,
            "materials": ["申请表", "营业执照"] if rule != AmountRule.REVIEW else ["申请表", "相关证明材料"],
            "automatic": name == AUTOMATIC_POLICY,
            "summary": f"{name}（演示数据）",
        }
        parks = [ctx.parks["park1"]] if name == OPEN_POLICY else []
        existing[name] = actions.policy_create(actor=admin, data=data, parks=parks)
    return existing


def _ledger(policies: dict[str, Policy], today) -> None:
    """The paid history: 96 payments over 2019–2021 adding up to 67,894,050 yuan."""
    if Disbursement.objects.filter(policy__in=policies.values()).exists():
        return
    enterprises = list(Enterprise.objects.exclude(uscc__in=["91410400MA44L8KX5B"]).order_by("uscc")[:120])
    paid_policies = [p for p in policies.values() if p.name not in (OPEN_POLICY, AUTOMATIC_POLICY)]
    amounts = _split(LEDGER_TOTAL, 96, low=50000, high=1500000, step=50, seed=16)
    rng = random.Random(2020)
    pairs = set()
    applications = []
    for amount in amounts:
        while True:
            policy, enterprise = rng.choice(paid_policies), rng.choice(enterprises)
            if (policy.pk, enterprise.pk) not in pairs:
                pairs.add((policy.pk, enterprise.pk))
                break
        paid_on = date(rng.choice((2019, 2020, 2021)), rng.randint(1, 12), rng.randint(1, 28))
        submitted = _at(paid_on - timedelta(days=40))
        applications.append(
            PolicyApplication(
                policy=policy,
                enterprise=enterprise,
                status=ApplicationStatus.PAID,
                requested_amount=amount,
                amount=amount,
                submitted_at=submitted,
                risk_at=submitted + timedelta(days=8),
                due_at=submitted + timedelta(days=14),
                reminded_at=submitted,
                overdue_marked_at=submitted,
                decided_at=_at(paid_on - timedelta(days=5)),
            )
        )
    PolicyApplication.objects.bulk_create(applications)
    Disbursement.objects.bulk_create(
        [
            Disbursement(
                application=a,
                policy=a.policy,
                enterprise=a.enterprise,
                park_id=a.enterprise.park_id,
                amount=a.amount,
                paid_on=a.decided_at.date() + timedelta(days=5),
                reference=f"DX{a.decided_at:%Y%m}{i:04d}",
            )
            for i, a in enumerate(applications, start=1)
        ]
    )


def _live_cases(ctx, policies, today) -> None:
    """A submitted application waiting in the innovation bureau's queue and the 免申即享 proposals."""
    automatic = policies[AUTOMATIC_POLICY]
    if not PolicyApplication.objects.filter(policy=automatic).exists():
        actions.policy_propose_automatic(actor=ctx.users["investment_reviewer"], policy=automatic)
    rent = policies[OPEN_POLICY]
    enterprise_b = ctx.enterprises.get("B")
    if enterprise_b and not PolicyApplication.objects.filter(policy=rent, enterprise=enterprise_b).exists():
        actions.application_submit(
            actor=ctx.users["ent_b"], policy=rent, enterprise=enterprise_b, note="演示申请"
        )


def _vouchers(ctx, admin, today) -> None:
    last_year = today.year - 1
    past, created = VoucherRound.objects.get_or_create(
        name=f"{last_year}年度科技创新券",
        defaults={
            "year": last_year,
            "opens_on": date(last_year, 4, 1),
            "closes_on": date(last_year, 6, 30),
            "valid_until": today + timedelta(days=20),  # some unused ones are at risk of expiring
            "budget": Decimal("8000000"),
            "city_total": Decimal("30000000"),
        },
    )
    VoucherRound.objects.get_or_create(
        name=f"{today.year}年度科技创新券第一批",
        defaults={
            "year": today.year,
            "opens_on": today - timedelta(days=30),
            "closes_on": today + timedelta(days=60),
            "valid_until": today + timedelta(days=300),
            "budget": Decimal("5000000"),
            "city_total": None,
        },
    )
    if Voucher.objects.filter(round=past).exists():
        return
    firms = list(
        Enterprise.objects.filter(status=Enterprise.Status.ACTIVE)
        .exclude(uscc__in=["91410400MA44L8KX5B", "91410400MA45D4GTX1"])
        .order_by("-patents", "uscc")[:VOUCHER_FIRMS]
    )
    amounts = _split(VOUCHER_TOTAL, VOUCHER_FIRMS, low=100000, high=int(VOUCHER_CAP), step=1000, seed=24)
    purposes = [["rnd"], ["instruments"], ["testing"], ["rnd", "testing"]]
    applied_at = _at(date(last_year, 5, 10))
    for i, (enterprise, amount) in enumerate(zip(firms, amounts, strict=True)):
        voucher = actions.voucher_apply(
            actor=admin,
            round=past,
            enterprise=enterprise,
            purposes=purposes[i % 4],
            amount=amount,
            now=applied_at,
        )
        actions.voucher_issue(actor=admin, voucher=voucher, now=applied_at + timedelta(days=20))
    # The history of redemptions already paid (two thirds of the firms), as records.
    paid = Voucher.objects.filter(round=past).order_by("id")[: VOUCHER_FIRMS * 2 // 3]
    for voucher in paid:
        Voucher.objects.filter(pk=voucher.pk).update(
            status=VoucherStatus.PAID,
            claimed_amount=voucher.amount,
            paid_amount=voucher.amount,
            paid_on=date(last_year, 11, 20),
            redeemed_at=_at(date(last_year, 10, 15)),
        )


def _financing(ctx, admin, today) -> None:
    if Bank.objects.filter(name__in=BANKS).count() == len(BANKS):
        return
    banks = [actions.bank_create(actor=admin, name=name) for name in BANKS]
    enterprises = list(Enterprise.objects.filter(status=Enterprise.Status.ACTIVE).order_by("uscc")[:60])
    events = [
        actions.matching_event_record(
            actor=admin,
            title=title,
            held_on=held_on,
            park=ctx.parks[park],
            banks=banks,
            enterprises=enterprises[i * 20 : i * 20 + 20],
        )
        for i, (title, held_on, park) in enumerate(
            [
                ("2020年银企对接会（第一场）", date(2020, 4, 16), "park1"),
                ("2020年银企对接会（第二场）", date(2020, 7, 9), "park2"),
                ("2020年知识产权质押融资对接会", date(2020, 10, 22), "park6"),
            ]
        )
    ]
    amounts = _split(CREDIT_2020, 30, low=5000000, high=40000000, step=100000, seed=2020)
    for i, amount in enumerate(amounts):
        event = events[i % 3]
        line = actions.credit_line_record(
            actor=admin,
            bank=banks[i % len(banks)],
            enterprise=enterprises[i * 2],
            amount=amount,
            granted_on=event.held_on + timedelta(days=10 + i),
            event=event,
        )
        if i % 3 == 0:
            actions.loan_record(
                actor=admin,
                bank=line.bank,
                enterprise=line.enterprise,
                credit_line=line,
                amount=(amount / 2).quantize(Decimal("1")),
                drawn_on=line.granted_on + timedelta(days=15),
                annual_rate="4.35",
            )
    borrower = enterprises[1]
    loan = actions.loan_record(
        actor=admin,
        bank=banks[0],
        enterprise=borrower,
        amount=PLEDGE_LOAN,
        drawn_on=date(2020, 11, 18),
        annual_rate="4.35",
        term_months=12,
        kind=LoanKind.PATENT_PLEDGE,
        evaluator="河南中原知识产权评估有限公司",
        patents="ZL2018 1 0123456.7 等 12 件发明专利",
    )
    actions.loan_subsidy_pay(actor=admin, loan=loan, amount=loan.subsidy_due, paid_on=date(2021, 12, 20))
    _loan_difficulties(admin, loan)


def _loan_difficulties(admin, loan) -> None:
    """The source's case needed the bank, the evaluator and the tax office together: two problems."""
    from feedback.actions import ticket_raise

    for title, description in (
        (
            "专利价值评估与银行授信额度不一致",
            "评估机构估值与银行认可的质押率相差较大，需协调银行与评估机构共同确认。",
        ),
        ("质押登记需税务完税证明", "办理专利质押登记需税务部门出具完税证明，需协调税务局加快办理。"),
    ):
        ticket = ticket_raise(
            actor=admin,
            enterprise=loan.enterprise,
            category="financing",
            title=title,
            description=description,
        )
        actions.loan_link_ticket(actor=admin, loan=loan, ticket=ticket)


def seed(ctx) -> None:
    today = timezone.localdate()
    admin = ctx.users["admin"]
    for i in (1, 2, 3):
        ctx.user(f"expert{i}", f"评审专家 {['赵', '钱', '孙'][i - 1]}教授", roles=[Role.EXPERT])
    ctx.user(
        "dept_innovation", "科创局 审核员 李强", roles=[Role.DEPARTMENT_OFFICER], departments=["innovation"]
    )
    ctx.user(
        "investment_reviewer",
        "招商部 政策兑现 王芳",
        roles=[Role.DEPARTMENT_OFFICER],
        departments=["investment"],
    )
    policies = _policies(ctx, admin, today)
    _ledger(policies, today)
    _live_cases(ctx, policies, today)
    _vouchers(ctx, admin, today)
    _financing(ctx, admin, today)
