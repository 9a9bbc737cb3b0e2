"""Demo problems at every tier and state, made through the real actions (so every timeline is true),
back-dated, then one sweep as of now. Idempotent: a scenario whose ticket exists is skipped."""

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


def seed(ctx) -> None:
    escalation_defaults_install()
    now = timezone.now().replace(second=0, microsecond=0)
    users, a, b = ctx.users, ctx.enterprises["A"], ctx.enterprises["B"]
    made = 0

    def raise_once(enterprise, title, *, at, actor, category, description, **extra):
        nonlocal made
        if Ticket.objects.filter(enterprise=enterprise, title=title).exists():
            return None
        made += 1
        return ticket_raise(
            actor=actor,
            enterprise=enterprise,
            category=category,
            title=title,
            description=description,
            now=at,
            **extra,
        )

    day = timedelta(days=1)
    hour = timedelta(hours=1)

    # Closed without confirmation: resolved a month ago, the enterprise never answered.
    t = raise_once(
        a,
        "融资担保对接需求",
        at=now - 32 * day,
        actor=users["ent_a"],
        category="financing",
        description="新建产线需流动资金约800万元，希望对接园区合作银行和担保机构。",
    )
    if t:
        ticket_acknowledge(actor=users["cso1"], ticket=t, now=now - 32 * day + hour)
        ticket_resolve(
            actor=users["cso1"],
            ticket=t,
            now=now - 30 * day,
            resolution="已组织两家合作银行上门对接，企业已提交授信申请材料。",
        )

    # Tier 3: whistled six weeks ago, the department never answered, the joint meeting took it.
    t = raise_once(
        b,
        "高层次人才公寓申请",
        at=now - 45 * day,
        actor=users["ent_b"],
        category="talent",
        description="引进的两名博士急需人才公寓，申请已提交两个月未有答复。",
    )
    if t:
        ticket_whistle(
            actor=users["park1"],
            ticket=t,
            departments=["innovation", "housing"],
            now=now - 45 * day + hour,
            note="请科技创新局、住建局核实人才公寓房源及申请进度。",
        )
        climbed_at = Ticket.objects.get(pk=t.pk).due_at + timedelta(minutes=5)
        tickets_sweep(now=climbed_at)  # tier 2 overdue → tier 3
        meeting = meeting_schedule(
            actor=users["leader1"],
            title="第十二次区级联席会议",
            starts_at=climbed_at + 2 * day,
            location="管委会三楼会议室",
            now=climbed_at + hour,
        )
        meeting_record_minutes(
            actor=users["leader1"],
            meeting=meeting,
            now=climbed_at + 2 * day + 2 * hour,
            minutes="会议听取园区汇报，明确人才公寓由住建局统筹房源、科技创新局出具认定意见。",
            actions=[
                {"ticket": t.pk, "department": "housing", "description": "统筹两套人才公寓房源并通知企业"},
                {"ticket": t.pk, "department": "innovation", "description": "出具高层次人才认定意见"},
            ],
        )

    # Closed and rated: solved on the spot by the officer.
    t = raise_once(
        b,
        "消防验收排期咨询",
        at=now - 20 * day,
        actor=users["ent_b"],
        category="safety",
        description="新车间消防设施已安装完毕，希望尽快安排验收。",
    )
    if t:
        ticket_acknowledge(actor=users["cso2"], ticket=t, now=now - 20 * day + hour)
        ticket_resolve(
            actor=users["cso2"],
            ticket=t,
            now=now - 19 * day,
            resolution="已协调应急管理局，验收安排在下周二上午，企业已确认。",
        )
        ticket_confirm(
            actor=users["ent_b"],
            ticket=t,
            solved=True,
            score=5,
            comment="响应很快，非常满意。",
            now=now - 18 * day,
        )

    # Tier 2, the approval office never reported: overdue and under public notice (通报), while the
    # leader granted the park more time for the whole case.
    t = raise_once(
        a,
        "排污许可证延续办理",
        at=now - 13 * day,
        actor=users["cso1"],
        category="permits",
        description="走访中发现：企业排污许可证下月到期，延续申请在系统中被退回两次。",
        source="visit",
    )
    if t:
        ticket_whistle(
            actor=users["park1"],
            ticket=t,
            departments=["approval"],
            now=now - 12 * day,
            note="请行政审批局说明退回原因并指导企业一次性补齐材料。",
        )
        ticket_extend(
            actor=users["park1"],
            ticket=t,
            days=10,
            now=now - 11 * day,
            reason="需等待生态环境部门现场核查，申请延期十个工作日。",
        )
        extension_decide(
            actor=users["leader1"], ticket=t, approve=True, note="同意。", now=now - 11 * day + hour
        )

    # Tier 2 in progress: land answered, power reported and working.
    t = raise_once(
        a,
        "厂区用地规划调整",
        at=now - 3 * day,
        actor=users["ent_a"],
        category="land",
        description="二期厂房用地需调整容积率，规划条件变更申请提交后进展不明。",
    )
    if t:
        ticket_whistle(
            actor=users["park1"],
            ticket=t,
            departments=["land", "power"],
            now=now - 3 * day + 2 * hour,
            note="请自然资源和规划局说明规划条件变更流程；请供电公司同步评估二期用电容量。",
        )
        whistle_report(actor=users["dept_land"], ticket=t, department="land", now=now - 3 * day + 3 * hour)
        whistle_answer(
            actor=users["dept_land"],
            ticket=t,
            department="land",
            now=now - 2 * day,
            text="规划条件变更已受理，需补充交通影响评价，预计10个工作日内出具意见。",
        )
        whistle_report(actor=users["dept_power"], ticket=t, department="power", now=now - 2 * day)

    # Resolved, waiting for the enterprise's confirmation and rating.
    t = raise_once(
        b,
        "研发费用加计扣除政策咨询",
        at=now - 4 * day,
        actor=users["ent_b"],
        category="tax",
        description="今年研发费用加计扣除比例和申报口径有哪些变化？",
    )
    if t:
        ticket_acknowledge(actor=users["cso2"], ticket=t, now=now - 4 * day + hour)
        ticket_resolve(
            actor=users["cso2"],
            ticket=t,
            now=now - day,
            resolution="已联系税务局专管员上门辅导，政策要点和申报表样已发给企业。",
        )

    # Tier 1 at risk, with an extension waiting for the park director.
    t = raise_once(
        a,
        "新厂房临时用电接入",
        at=now - 2 * day,
        actor=users["ent_a"],
        category="utilities",
        description="新厂房设备调试需临时用电约500千伏安，报装后未见现场勘查。",
    )
    if t:
        ticket_acknowledge(actor=users["cso1"], ticket=t, now=now - 2 * day + hour)
        ticket_extend(
            actor=users["cso1"],
            ticket=t,
            days=2,
            now=now - day,
            reason="供电公司现场勘查排期在下周一，需延期两个工作日。",
        )

    # Fresh: recorded by the officer on a visit an hour ago.
    raise_once(
        a,
        "政策兑现进度查询",
        at=now - hour,
        actor=users["cso1"],
        category="policy",
        source="visit",
        description="走访中企业反映：去年的技改补贴尚未到账，请核实兑现进度。",
    )

    # Hotline: an unknown enterprise (every park's triage) and one named for park 2.
    hotline = users["hotline"]
    for key, park, title in [
        ("12345-DEMO-0001", None, "来电反映：园区道路夜间照明不足"),
        ("12345-DEMO-0002", "park2", "来电反映：智能装备产业园企业招工难"),
    ]:
        _, created = ticket_intake(
            client=hotline,
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
