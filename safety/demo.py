"""Demo safety data, made through the real actions (so every timeline is true) and back-dated, then
one sweep as of now: the bureau's inspector and leader, a June campaign (安全生产月) with recorded
inspections and hazards in every state (closed, reopened, reported, overdue and escalated), recent
inspections with hazards on track and at risk, and two planned ones (one unannounced). Idempotent:
nothing is made again once the campaign exists."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from .actions import (
    campaign_create,
    hazard_add,
    hazard_expose,
    hazard_plan_submit,
    hazard_reinspect,
    hazard_report_fix,
    inspection_plan,
    inspection_record,
)
from .models import Campaign, ChecklistPoint, CheckResult, SafetySettings, Severity
from .sweep import hazards_sweep

CAMPAIGN_NAME = "%d年安全生产月"


def seed_people(ctx) -> None:
    """The bureau's inspector and its leader (told of overdue hazards)."""
    ctx.user(
        "dept_emergency", "应急管理 安全检查员 马超", roles=["department_officer"], departments=["emergency"]
    )
    leader = ctx.user("emergency_leader", "应急管理局 局长 韩冰", roles=["leader"], departments=["emergency"])
    row, _created = SafetySettings.objects.get_or_create(pk=1)
    if row.bureau_leader_id is None:
        row.bureau_leader = leader
        row.bureau = ctx.departments["emergency"]
        row.save(update_fields=["bureau_leader", "bureau"])


def _checklist(*failed):
    return {
        point: {"result": CheckResult.FAIL if point in failed else CheckResult.PASS, "note": "现场检查"}
        for point in ChecklistPoint.values
    }


def _evidence(name="整改照片.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, _PNG, content_type="image/png")


# A 1×1 PNG: demo evidence that passes the upload rule.
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def seed(ctx) -> None:
    seed_people(ctx)
    today = timezone.localdate()
    year = today.year if today >= date(today.year, 6, 1) else today.year - 1
    name = CAMPAIGN_NAME % year
    if Campaign.objects.filter(name=name).exists():
        return
    inspector, leader = ctx.users["dept_emergency"], ctx.users["leader1"]
    enterprises = list(ctx.enterprises.values())
    a, b = ctx.enterprises["A"], ctx.enterprises["B"]
    others = [e for e in enterprises if e.pk not in (a.pk, b.pk)] or [a, b]
    zone = timezone.get_current_timezone()

    def moment(day: date, hour=10) -> datetime:
        return datetime.combine(day, time(hour), tzinfo=zone)

    june = date(year, 6, 1)
    campaign = campaign_create(
        actor=inspector,
        name=name,
        starts_on=june,
        ends_on=date(year, 6, 30),
        target_count=12,
        description="“人人讲安全、个个会应急”：全区重点企业暗访检查与隐患排查整治。",
    )

    def inspect(enterprise, day, *, unannounced, failed=(), actor=inspector, findings="", in_campaign=True):
        inspection = inspection_plan(
            actor=actor,
            enterprise=enterprise,
            planned_on=day,
            unannounced=unannounced,
            campaign=campaign if in_campaign else None,
            now=moment(day, 8) - timedelta(days=3),
        )
        return inspection_record(
            actor=actor,
            inspection=inspection,
            checklist=_checklist(*failed),
            findings=findings,
            now=moment(day),
        )

    # Closed: a general hazard fixed within the week and confirmed.
    i1 = inspect(
        a,
        june + timedelta(days=2),
        unannounced=True,
        failed=["patrol_records"],
        findings="巡查记录缺失三天。",
    )
    h = hazard_add(
        actor=inspector,
        inspection=i1,
        severity=Severity.GENERAL,
        description="日常巡查记录不全",
        now=moment(i1.planned_on),
    )
    hazard_report_fix(
        actor=ctx.users["ent_a"],
        hazard=h,
        report="已补齐巡查记录并落实专人签字。",
        evidence=[_evidence()],
        now=moment(i1.planned_on + timedelta(days=4)),
    )
    hazard_reinspect(
        actor=inspector, hazard=h, fixed=True, note="复查合格", now=moment(i1.planned_on + timedelta(days=6))
    )

    # Major, planned and fixed, first re-inspection reopened it, the second closed it.
    i2 = inspect(
        b,
        june + timedelta(days=4),
        unannounced=True,
        failed=["key_equipment", "hazard_control"],
        findings="压力容器安全阀超期未校验；危化品库房通风不良。",
    )
    h = hazard_add(
        actor=inspector,
        inspection=i2,
        severity=Severity.MAJOR,
        description="压力容器安全阀超期未校验",
        now=moment(i2.planned_on),
    )
    hazard_plan_submit(
        actor=ctx.users["ent_b"],
        hazard=h,
        plan="委托特检院校验，停用该容器至合格。",
        now=moment(i2.planned_on + timedelta(days=2)),
    )
    hazard_report_fix(
        actor=ctx.users["ent_b"],
        hazard=h,
        report="已送检。",
        evidence=[_evidence()],
        now=moment(i2.planned_on + timedelta(days=10)),
    )
    hazard_reinspect(
        actor=inspector,
        hazard=h,
        fixed=False,
        note="未见校验报告",
        now=moment(i2.planned_on + timedelta(days=12)),
    )
    hazard_report_fix(
        actor=ctx.users["ent_b"],
        hazard=h,
        report="校验报告已上传。",
        evidence=[_evidence("校验报告.png")],
        now=moment(i2.planned_on + timedelta(days=20)),
    )
    hazard_reinspect(
        actor=inspector, hazard=h, fixed=True, note="复查合格", now=moment(i2.planned_on + timedelta(days=22))
    )
    # ... and its second hazard, general, never reported: overdue, escalated once, exposed.
    h = hazard_add(
        actor=inspector,
        inspection=i2,
        severity=Severity.GENERAL,
        description="危化品库房通风不良",
        now=moment(i2.planned_on),
    )
    hazard_expose(
        actor=inspector, hazard=h, note="逾期未整改，予以曝光", now=moment(i2.planned_on + timedelta(days=15))
    )

    # A leader's announced inspection, all passed.
    inspect(others[0], june + timedelta(days=9), unannounced=False, actor=leader, findings="整体良好。")
    # Reported, awaiting the re-inspection.
    i4 = inspect(
        b,
        june + timedelta(days=16),
        unannounced=True,
        failed=["duty_on_watch"],
        findings="夜间值班脱岗。",
    )
    h = hazard_add(
        actor=inspector,
        inspection=i4,
        severity=Severity.GENERAL,
        description="值班人员脱岗",
        now=moment(i4.planned_on),
    )
    # Enterprise B's contact reported the fix; the bureau has not re-inspected yet.
    hazard_report_fix(
        actor=ctx.users["ent_b"],
        hazard=h,
        report="已调整排班并安装考勤。",
        evidence=[_evidence()],
        now=moment(i4.planned_on + timedelta(days=3)),
    )
    # Another park's enterprise: a leader's unannounced visit, a general hazard left overdue.
    far = next((e for e in others if e.park_id != a.park_id), None)
    if far is not None:
        i6 = inspect(
            far, june + timedelta(days=12), unannounced=True, actor=leader, failed=["patrol_records"]
        )
        hazard_add(
            actor=leader,
            inspection=i6,
            severity=Severity.GENERAL,
            description="巡查记录缺失",
            now=moment(i6.planned_on),
        )
    # A major hazard with no plan, overdue.
    i5 = inspect(
        a,
        june + timedelta(days=20),
        unannounced=False,
        failed=["emergency_plan"],
        findings="应急预案三年未修订，未开展演练。",
    )
    hazard_add(
        actor=inspector,
        inspection=i5,
        severity=Severity.MAJOR,
        description="应急预案未修订、未演练",
        now=moment(i5.planned_on),
    )

    # Recent (outside the campaign): on track and at risk.
    recent = inspect(
        a,
        today - timedelta(days=2),
        unannounced=True,
        failed=["key_equipment"],
        in_campaign=False,
        findings="灭火器压力不足。",
    )
    hazard_add(
        actor=inspector,
        inspection=recent,
        severity=Severity.GENERAL,
        description="部分灭火器压力不足",
        now=moment(today - timedelta(days=2)),
    )
    risky = inspect(
        b,
        today - timedelta(days=25),
        unannounced=False,
        failed=["hazard_control"],
        in_campaign=False,
        findings="粉尘清扫不及时。",
    )
    h = hazard_add(
        actor=inspector,
        inspection=risky,
        severity=Severity.MAJOR,
        description="除尘系统积尘严重",
        now=moment(today - timedelta(days=25)),
    )
    hazard_plan_submit(
        actor=ctx.users["ent_b"],
        hazard=h,
        plan="更换滤筒，每日清扫并记录。",
        now=moment(today - timedelta(days=24)),
    )
    # Planned: one announced, one unannounced (the enterprise does not see the latter).
    inspection_plan(actor=inspector, enterprise=b, planned_on=today + timedelta(days=3), unannounced=False)
    inspection_plan(actor=inspector, enterprise=a, planned_on=today + timedelta(days=5), unannounced=True)
    hazards_sweep()
    ctx.log.append(f"safety: campaign {name}")
