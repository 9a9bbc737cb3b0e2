"""Demo supervision: ten social supervisors on the roster with observations in every state (made
through the actions, then back-dated where a state needs time to have passed, then one sweep),
indicators for every department and some parks, entered and confirmed, and the two last quarters
scored. Idempotent: what exists is left alone."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from zone_portal.accounts.roles import Role

from . import actions
from .models import Indicator, Observation, Supervisor
from .selectors import quarter_months
from .sweep import observations_sweep

SUPERVISORS = [
    ("supervisor1", "何芳", "区人大代表"),
    ("supervisor2", "李建国", "区政协委员"),
    ("supervisor3", "王秀英", "尼龙新材料产业园企业代表"),
    ("supervisor4", "张伟民", "律师事务所"),
    ("supervisor5", "刘洋", "会计师事务所"),
    ("supervisor6", "陈静", "社区居委会"),
    ("supervisor7", "杨帆", "媒体记者"),
    ("supervisor8", "赵磊", "高校教师"),
    ("supervisor9", "黄丽", "个体工商户代表"),
    ("supervisor10", "周明", "退休干部"),
]

# Department code → [(group, name, weight, target, unit, measure, source or combine)]
PORTAL = [
    ("quantitative", "诉求按期答复率", 15, 95, "%", "portal", "whistle_answer_on_time"),
    ("quantitative", "办件按时办结率", 15, 98, "%", "portal", "service_on_time"),
    ("quantitative", "服务满意率", 10, 95, "%", "portal", "service_satisfaction"),
    ("quantitative", "差评整改按期率", 10, 100, "%", "portal", "rectification_on_time"),
    ("key", "联席会议任务按期完成率", 10, 100, "%", "portal", "action_items_done"),
]
ENTERED = [
    ("quantitative", "走访服务企业", 15, 30, "家", "entry", "sum"),
    ("key", "重点项目要素保障", 15, 3, "项", "entry", "sum"),
    ("highlight", "创新举措被上级推广", 10, 1, "项", "entry", "sum"),
]
# Who enters for a department that has demo people.
ENTERERS = {
    "market": "dept_market",
    "tax": "dept_tax",
    "land": "dept_land",
    "power": "dept_power",
    "approval": "clerk1",
}


def _scored_quarters(today: date) -> list[tuple[int, int]]:
    """The two last quarters that have ended."""
    year, quarter = today.year, (today.month - 1) // 3 + 1
    out = []
    for _ in range(2):
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
        out.append((year, quarter))
    return out


def _seed_roster(ctx) -> list:
    today = timezone.localdate()
    people = []
    for i, (username, name, unit) in enumerate(SUPERVISORS, start=1):
        user = ctx.user(username, f"社会监督员 {name}", roles=[Role.SUPERVISOR])
        Supervisor.objects.get_or_create(
            user=user,
            defaults={
                "name": name,
                "organisation": unit,
                "phone": f"1390000{i:04d}",
                "term_start": date(today.year - 1, 1, 1),
                "term_end": date(today.year + 1, 12, 31),
            },
        )
        people.append(user)
    return people


def _shift(observation, delta: timedelta, *fields) -> None:
    """Back-date an observation's moments by `delta` (the demo's way to let time pass)."""
    values = {f: getattr(observation, f) - delta for f in fields if getattr(observation, f) is not None}
    Observation.objects.filter(pk=observation.pk).update(**values)


def _seed_observations(ctx, people) -> int:
    if Observation.objects.exists():
        return 0
    users, departments, parks = ctx.users, ctx.departments, ctx.parks
    enterprise = ctx.enterprises.get("A")
    today = timezone.localdate()
    clock = ("created_at", "observed_at", "risk_at", "due_at")
    made = 0

    def file(i, **values):
        nonlocal made
        made += 1
        return actions.observation_file(actor=people[i % len(people)], **values)

    # Awaiting an answer, on track.
    file(
        0,
        category="blocking",
        place="hall_window",
        place_detail="综合窗口",
        description="取号机故障，群众排队取号困难",
    )
    # Awaiting an answer, overdue (filed two weeks ago): the sweep escalates it.
    late = file(
        1,
        category="difficulty",
        place="park_office",
        park=parks["park2"],
        description="园区办公室无人值守，企业咨询无人接待",
    )
    _shift(late, timedelta(days=14), *clock)
    # Fixed at once by the center, rated well.
    fixed = file(
        2,
        category="pain",
        place="hall_window",
        place_detail="3号窗口",
        description="窗口工作人员不熟悉新开办业务流程",
    )
    fixed = actions.observation_answer(
        actor=users["clerk1"], observation=fixed, measures="当日组织业务培训，已熟练办理", fixed_at_once=True
    )
    actions.observation_rate(actor=fixed.supervisor, observation=fixed, score=5, comment="整改及时")
    # Fixed at once by a department, not rated yet (with an enterprise).
    market = file(
        3,
        category="blocking",
        place="department",
        department=departments["market"],
        enterprise=enterprise,
        description="企业反映经营范围变更需跑两次",
    )
    actions.observation_answer(
        actor=users["dept_market"], observation=market, measures="已改为一次办结", fixed_at_once=True
    )
    # Tracked to the end, on track.
    tax = file(
        4,
        category="difficulty",
        place="department",
        department=departments["tax"],
        description="发票申领线上系统操作复杂",
    )
    actions.observation_answer(
        actor=users["dept_tax"],
        observation=tax,
        measures="优化线上指引并录制操作视频",
        fixed_at_once=False,
        rectify_by=today + timedelta(days=30),
    )
    # Tracked, overdue: its deadline passed (back-dated), the sweep escalates it once.
    land = file(
        5,
        category="pain",
        place="department",
        department=departments["land"],
        description="用地规划咨询答复慢",
    )
    land = actions.observation_answer(
        actor=users["dept_land"],
        observation=land,
        measures="建立咨询台账，限时答复",
        fixed_at_once=False,
        rectify_by=today + timedelta(days=1),
    )
    _shift(land, timedelta(days=20), *clock, "answered_at", "rectify_by")
    # Tracked and rectified, rated badly: a rectification opens for the department.
    power = file(
        6,
        category="blocking",
        place="department",
        department=departments["power"],
        description="报装接电流程不透明",
    )
    power = actions.observation_answer(
        actor=users["dept_power"],
        observation=power,
        measures="公开报装流程和时限",
        fixed_at_once=False,
        rectify_by=today + timedelta(days=10),
    )
    power = actions.observation_resolve(
        actor=users["dept_power"], observation=power, result="已在大厅和网站公开"
    )
    actions.observation_rate(actor=power.supervisor, observation=power, score=2, comment="大厅公示不醒目")
    # Awaiting an answer at a park office (at risk: half its time gone).
    risky = file(
        7, category="pain", place="park_office", park=parks["park1"], description="园区服务站周末无人值班"
    )
    _shift(risky, timedelta(days=3), *clock)
    # Rectified after tracking, rated; and one at the hall, awaiting an answer.
    hall = file(
        8,
        category="difficulty",
        place="hall_window",
        place_detail="自助服务区",
        description="自助终端打印机缺纸",
    )
    hall = actions.observation_answer(
        actor=users["clerk1"],
        observation=hall,
        measures="建立耗材巡检制度",
        fixed_at_once=False,
        rectify_by=today + timedelta(days=5),
    )
    hall = actions.observation_resolve(actor=users["clerk1"], observation=hall, result="每日巡检两次")
    actions.observation_rate(actor=hall.supervisor, observation=hall, score=4)
    file(
        9,
        category="blocking",
        place="hall_window",
        place_detail="叫号屏",
        description="叫号屏显示与实际窗口不一致",
    )
    observations_sweep()
    return made


def _seed_indicators(ctx) -> int:
    admin = ctx.users["admin"]
    today = timezone.localdate()
    quarters = _scored_quarters(today)
    made = 0
    for year in sorted({y for y, _q in quarters}):
        if Indicator.objects.filter(year=year).exists():
            continue
        for code, department in ctx.departments.items():
            rows = PORTAL + (ENTERED if code in ENTERERS else [])
            for order, (group, name, weight, target, unit, measure, extra) in enumerate(rows, start=1):
                indicator = actions.indicator_create(
                    actor=admin,
                    year=year,
                    department=department,
                    group=group,
                    name=name,
                    weight=weight,
                    target=target,
                    unit=unit,
                    measure=measure,
                    source=extra if measure == "portal" else "",
                    combine="sum" if measure == "portal" else extra,
                    order=order,
                )
                made += 1
                if measure == "entry":
                    _enter(ctx, indicator, [q for y, q in quarters if y == year], code, admin)
        for code in ("park1", "park2"):
            for order, (group, name, weight, target, unit) in enumerate(
                [("quantitative", "新增入园企业", 20, 6, "家"), ("key", "项目开工", 10, 2, "个")], start=1
            ):
                indicator = actions.indicator_create(
                    actor=admin,
                    year=year,
                    park=ctx.parks[code],
                    group=group,
                    name=name,
                    weight=weight,
                    target=target,
                    unit=unit,
                    measure="entry",
                    order=order,
                )
                made += 1
                _enter(ctx, indicator, [q for y, q in quarters if y == year], code, admin)
    for year, quarter in quarters:
        actions.indicators_score_quarter(actor=None, year=year, quarter=quarter)
    return made


def _enter(ctx, indicator, quarters, owner_code, admin) -> None:
    enterer = ctx.users[ENTERERS.get(owner_code, owner_code)]
    for quarter in quarters:
        for month in quarter_months(quarter):
            # Some months short of the target, varied by indicator so the ranks differ.
            value = (indicator.target / 3) * (Decimal("0.55") + Decimal((indicator.pk * 7 + month) % 6) / 10)
            entry = actions.indicator_entry_submit(
                actor=enterer, indicator=indicator, month=month, value=round(value, 2)
            )
            actions.indicator_entry_decide(actor=admin, entry=entry, confirm=True)
    # The current month entered, waiting for an administrator.
    if indicator.year == timezone.localdate().year:
        actions.indicator_entry_submit(
            actor=enterer, indicator=indicator, month=timezone.localdate().month, value=indicator.target / 3
        )


def seed(ctx) -> None:
    people = _seed_roster(ctx)
    observations = _seed_observations(ctx, people)
    indicators = _seed_indicators(ctx)
    ctx.log.append(
        f"supervision: {len(people)} supervisors, {observations} observations, {indicators} indicators"
    )
