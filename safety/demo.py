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
from .selectors import enterprises_inspectable
from .sweep import hazards_sweep

CAMPAIGN_NAME = "%d年安全生产月"


def seed_people(ctx) -> None:
    """The bureau's inspector and its leader (told of overdue hazards)."""
    ctx.user(
        "dept_emergency", "应急管理 安全检查员 马超", roles=["department_officer"], departments=["emergency"]
    )
    leader = ctx.user("emergency_leader", "应急管理局 局长 韩冰", roles=["leader"], departments=["emergency"])
    row = SafetySettings.current()
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


# The campaign's and the recent inspections, each with the hazards it found and what followed:
# (enterprise, day, unannounced, failed points, findings, by the leader, hazards). The day counts
# from June 1st ("june", in the campaign) or back from today ("today", outside it); a hazard's steps
# count days from its inspection. "far" is an enterprise of another park (skipped if none).
GENERAL, MAJOR = Severity.GENERAL, Severity.MAJOR
STORIES = [
    # Closed: a general hazard fixed within the week and confirmed.
    (
        "A",
        ("june", 2),
        True,
        ["patrol_records"],
        "巡查记录缺失三天。",
        False,
        [
            (
                GENERAL,
                "日常巡查记录不全",
                [("report", 4, "已补齐巡查记录并落实专人签字。"), ("fixed", 6, "复查合格")],
            )
        ],
    ),
    # Major, planned and fixed, first re-inspection reopened it, the second closed it; its second
    # hazard, general, never reported: overdue, escalated once, exposed.
    (
        "B",
        ("june", 4),
        True,
        ["key_equipment", "hazard_control"],
        "压力容器安全阀超期未校验；危化品库房通风不良。",
        False,
        [
            (
                MAJOR,
                "压力容器安全阀超期未校验",
                [
                    ("plan", 2, "委托特检院校验，停用该容器至合格。"),
                    ("report", 10, "已送检。"),
                    ("reopened", 12, "未见校验报告"),
                    ("report", 20, "校验报告已上传。", "校验报告.png"),
                    ("fixed", 22, "复查合格"),
                ],
            ),
            (GENERAL, "危化品库房通风不良", [("expose", 15, "逾期未整改，予以曝光")]),
        ],
    ),
    # A leader's announced inspection, all passed.
    ("other", ("june", 9), False, [], "整体良好。", True, []),
    # Reported by enterprise B's contact, awaiting the re-inspection.
    (
        "B",
        ("june", 16),
        True,
        ["duty_on_watch"],
        "夜间值班脱岗。",
        False,
        [(GENERAL, "值班人员脱岗", [("report", 3, "已调整排班并安装考勤。")])],
    ),
    # Another park's enterprise: a leader's unannounced visit, a general hazard left overdue.
    ("far", ("june", 12), True, ["patrol_records"], "", True, [(GENERAL, "巡查记录缺失", [])]),
    # A major hazard with no plan, overdue.
    (
        "A",
        ("june", 20),
        False,
        ["emergency_plan"],
        "应急预案三年未修订，未开展演练。",
        False,
        [(MAJOR, "应急预案未修订、未演练", [])],
    ),
    # Recent: on track, and at risk.
    (
        "A",
        ("today", -2),
        True,
        ["key_equipment"],
        "灭火器压力不足。",
        False,
        [(GENERAL, "部分灭火器压力不足", [])],
    ),
    (
        "B",
        ("today", -25),
        False,
        ["hazard_control"],
        "粉尘清扫不及时。",
        False,
        [(MAJOR, "除尘系统积尘严重", [("plan", 1, "更换滤筒，每日清扫并记录。")])],
    ),
]


def _hazard_step(hazard, verb, text, *evidence, contact, inspector, when) -> None:
    if verb == "plan":
        hazard_plan_submit(actor=contact, hazard=hazard, plan=text, now=when)
    elif verb == "report":
        hazard_report_fix(
            actor=contact, hazard=hazard, report=text, evidence=[_evidence(*evidence)], now=when
        )
    elif verb == "expose":
        hazard_expose(actor=inspector, hazard=hazard, note=text, now=when)
    else:
        hazard_reinspect(actor=inspector, hazard=hazard, fixed=verb == "fixed", note=text, now=when)


def seed(ctx) -> None:
    seed_people(ctx)
    today = timezone.localdate()
    year = today.year if today >= date(today.year, 6, 1) else today.year - 1
    name = CAMPAIGN_NAME % year
    if Campaign.objects.filter(name=name).exists():
        return
    inspector, leader = ctx.users["dept_emergency"], ctx.users["leader1"]
    a, b = ctx.enterprises["A"], ctx.enterprises["B"]
    others = [e for e in ctx.enterprises.values() if e.pk not in (a.pk, b.pk)] or [a, b]
    enterprises = {
        "A": a,
        "B": b,
        "other": others[0],
        "far": enterprises_inspectable().exclude(park=a.park_id).first(),
    }
    contacts = {"A": ctx.users["ent_a"], "B": ctx.users["ent_b"]}
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
    for key, (base, days), unannounced, failed, findings, by_leader, hazards in STORIES:
        if enterprises[key] is None:
            continue
        day = (june if base == "june" else today) + timedelta(days=days)
        actor = leader if by_leader else inspector
        inspection = inspection_plan(
            actor=actor,
            enterprise=enterprises[key],
            planned_on=day,
            unannounced=unannounced,
            campaign=campaign if base == "june" else None,
            now=moment(day, 8) - timedelta(days=3),
        )
        inspection_record(
            actor=actor,
            inspection=inspection,
            checklist=_checklist(*failed),
            findings=findings,
            now=moment(day),
        )
        for severity, description, steps in hazards:
            hazard = hazard_add(
                actor=actor,
                inspection=inspection,
                severity=severity,
                description=description,
                now=moment(day),
            )
            for verb, after, *text in steps:
                _hazard_step(
                    hazard,
                    verb,
                    *text,
                    contact=contacts.get(key),
                    inspector=inspector,
                    when=moment(day + timedelta(days=after)),
                )
    # Planned: one announced, one unannounced (the enterprise does not see the latter).
    inspection_plan(actor=inspector, enterprise=b, planned_on=today + timedelta(days=3), unannounced=False)
    inspection_plan(actor=inspector, enterprise=a, planned_on=today + timedelta(days=5), unannounced=True)
    hazards_sweep()
    ctx.log.append(f"safety: campaign {name}")
