"""Demo problems at every tier and state, made through the real actions (so every timeline is true),
back-dated, then one sweep as of now. Idempotent: a scenario whose ticket exists is skipped.

Each scenario is data: how the problem was raised, then its steps — an action, who takes it, how
long before now, and what they write (the ticket is passed as `ticket=`)."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from .actions import (
    escalation_defaults_install,
    extension_decide,
    meeting_record_minutes,
    meeting_schedule,
    ticket_acknowledge,
    ticket_confirm,
    ticket_extend,
    ticket_intake,
    ticket_raise,
    ticket_resolve,
    ticket_whistle,
    whistle_answer,
    whistle_report,
)
from .models import Ticket
from .sweep import tickets_sweep

DAY, HOUR = timedelta(days=1), timedelta(hours=1)


@dataclass
class Scenario:
    enterprise: str
    title: str
    ago: timedelta
    raiser: str
    category: str
    description: str
    source: str | None = None
    steps: list = field(
        default_factory=list
    )  # (action, actor, ago, keywords), or a callable(ctx, ticket, now)


def _joint_meeting(ctx, ticket, now) -> None:
    """Tier 2 overdue → tier 3 by the sweep; the joint meeting takes it and assigns two departments."""
    users = ctx.users
    climbed_at = Ticket.objects.get(pk=ticket.pk).due_at + timedelta(minutes=5)
    tickets_sweep(now=climbed_at)
    meeting = meeting_schedule(
        actor=users["leader1"],
        title="第十二次区级联席会议",
        starts_at=climbed_at + 2 * DAY,
        location="管委会三楼会议室",
        now=climbed_at + HOUR,
    )
    meeting_record_minutes(
        actor=users["leader1"],
        meeting=meeting,
        now=climbed_at + 2 * DAY + 2 * HOUR,
        minutes="会议听取园区汇报，明确人才公寓由住建局统筹房源、科技创新局出具认定意见。",
        actions=[
            {"ticket": ticket.pk, "department": "housing", "description": "统筹两套人才公寓房源并通知企业"},
            {"ticket": ticket.pk, "department": "innovation", "description": "出具高层次人才认定意见"},
        ],
    )


# A table, one scenario a few lines: the formatter would stand every field on a line of its own.
# fmt: off
SCENARIOS = [
    # Closed without confirmation: resolved a month ago, the enterprise never answered.
    Scenario("A", "融资担保对接需求", 32 * DAY, "ent_a", "financing",
             "新建产线需流动资金约800万元，希望对接园区合作银行和担保机构。", steps=[
        (ticket_acknowledge, "cso1", 32 * DAY - HOUR, {}),
        (ticket_resolve, "cso1", 30 * DAY, {"resolution": "已组织两家合作银行上门对接，企业已提交授信申请材料。"}),
    ]),
    # Tier 3: whistled six weeks ago, the department never answered, the joint meeting took it.
    Scenario("B", "高层次人才公寓申请", 45 * DAY, "ent_b", "talent",
             "引进的两名博士急需人才公寓，申请已提交两个月未有答复。", steps=[
        (ticket_whistle, "park1", 45 * DAY - HOUR, {"departments": ["innovation", "housing"],
                                                    "note": "请科技创新局、住建局核实人才公寓房源及申请进度。"}),
        _joint_meeting,
    ]),
    # Closed and rated: solved on the spot by the officer.
    Scenario("B", "消防验收排期咨询", 20 * DAY, "ent_b", "safety",
             "新车间消防设施已安装完毕，希望尽快安排验收。", steps=[
        (ticket_acknowledge, "cso2", 20 * DAY - HOUR, {}),
        (ticket_resolve, "cso2", 19 * DAY, {"resolution": "已协调应急管理局，验收安排在下周二上午，企业已确认。"}),
        (ticket_confirm, "ent_b", 18 * DAY, {"solved": True, "score": 5, "comment": "响应很快，非常满意。"}),
    ]),
    # Tier 2, the approval office never reported: overdue and under public notice (通报), while the
    # leader granted the park more time for the whole case.
    Scenario("A", "排污许可证延续办理", 13 * DAY, "cso1", "permits",
             "走访中发现：企业排污许可证下月到期，延续申请在系统中被退回两次。", source="visit", steps=[
        (ticket_whistle, "park1", 12 * DAY, {"departments": ["approval"],
                                             "note": "请行政审批局说明退回原因并指导企业一次性补齐材料。"}),
        (ticket_extend, "park1", 11 * DAY, {"days": 10, "reason": "需等待生态环境部门现场核查，申请延期十个工作日。"}),
        (extension_decide, "leader1", 11 * DAY - HOUR, {"approve": True, "note": "同意。"}),
    ]),
    # Tier 2 in progress: land answered, power reported and working.
    Scenario("A", "厂区用地规划调整", 3 * DAY, "ent_a", "land",
             "二期厂房用地需调整容积率，规划条件变更申请提交后进展不明。", steps=[
        (ticket_whistle, "park1", 3 * DAY - 2 * HOUR, {
            "departments": ["land", "power"],
            "note": "请自然资源和规划局说明规划条件变更流程；请供电公司同步评估二期用电容量。"}),
        (whistle_report, "dept_land", 3 * DAY - 3 * HOUR, {"department": "land"}),
        (whistle_answer, "dept_land", 2 * DAY, {
            "department": "land", "text": "规划条件变更已受理，需补充交通影响评价，预计10个工作日内出具意见。"}),
        (whistle_report, "dept_power", 2 * DAY, {"department": "power"}),
    ]),
    # Resolved, waiting for the enterprise's confirmation and rating.
    Scenario("B", "研发费用加计扣除政策咨询", 4 * DAY, "ent_b", "tax",
             "今年研发费用加计扣除比例和申报口径有哪些变化？", steps=[
        (ticket_acknowledge, "cso2", 4 * DAY - HOUR, {}),
        (ticket_resolve, "cso2", DAY, {"resolution": "已联系税务局专管员上门辅导，政策要点和申报表样已发给企业。"}),
    ]),
    # Tier 1 at risk, with an extension waiting for the park director.
    Scenario("A", "新厂房临时用电接入", 2 * DAY, "ent_a", "utilities",
             "新厂房设备调试需临时用电约500千伏安，报装后未见现场勘查。", steps=[
        (ticket_acknowledge, "cso1", 2 * DAY - HOUR, {}),
        (ticket_extend, "cso1", DAY, {"days": 2, "reason": "供电公司现场勘查排期在下周一，需延期两个工作日。"}),
    ]),
    # Fresh: recorded by the officer on a visit an hour ago.
    Scenario("A", "政策兑现进度查询", HOUR, "cso1", "policy",
             "走访中企业反映：去年的技改补贴尚未到账，请核实兑现进度。", source="visit"),
]
# fmt: on

# Hotline: an unknown enterprise (every park's triage) and one named for park 2.
HOTLINE = [
    ("12345-DEMO-0001", None, "来电反映：园区道路夜间照明不足"),
    ("12345-DEMO-0002", "park2", "来电反映：智能装备产业园企业招工难"),
]


def seed(ctx) -> None:
    escalation_defaults_install()
    now = timezone.now().replace(second=0, microsecond=0)
    made = 0
    for scenario in SCENARIOS:
        enterprise = ctx.enterprises[scenario.enterprise]
        if Ticket.objects.filter(enterprise=enterprise, title=scenario.title).exists():
            continue
        made += 1
        ticket = ticket_raise(
            actor=ctx.users[scenario.raiser],
            enterprise=enterprise,
            category=scenario.category,
            title=scenario.title,
            description=scenario.description,
            now=now - scenario.ago,
            **({"source": scenario.source} if scenario.source else {}),
        )
        for step in scenario.steps:
            if callable(step):
                step(ctx, ticket, now)
                continue
            action, actor, ago, keywords = step
            action(actor=ctx.users[actor], ticket=ticket, now=now - ago, **keywords)
    for key, park, title in HOTLINE:
        _, created = ticket_intake(
            client=ctx.users["hotline"],
            key=key,
            category="other",
            title=title,
            park_code=park,
            description="12345热线转办，来电人要求尽快答复。",
            contact="来电人 138****0000",
        )
        made += created
    if made:
        tickets_sweep(now=now)  # what the beat would have done by now
    ctx.log.append(f"feedback: {made} demo problems")
