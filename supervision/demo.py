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


def _shift(observation, delta: timedelta) -> None:
    """Back-date an observation's moments by `delta` (the demo's way to let time pass)."""
    fields = ("created_at", "observed_at", "risk_at", "due_at", "answered_at", "rectify_by")
    values = {f: getattr(observation, f) - delta for f in fields if getattr(observation, f) is not None}
    Observation.objects.filter(pk=observation.pk).update(**values)


# Observations in every state: what is filed (park, department and enterprise by their codes), then
# what followed: the answer (who, measures, days to rectify; None: fixed at once), the result, the
# rating (score, comment), and how many days the whole is back-dated (to let time pass).
OBSERVATIONS = [
    # Awaiting an answer, on track.
    (
        {
            "category": "blocking",
            "place": "hall_window",
            "place_detail": "综合窗口",
            "description": "取号机故障，群众排队取号困难",
        },
        {},
    ),
    # Awaiting an answer, overdue (filed two weeks ago): the sweep escalates it.
    (
        {
            "category": "difficulty",
            "place": "park_office",
            "park": "park2",
            "description": "园区办公室无人值守，企业咨询无人接待",
        },
        {"back": 14},
    ),
    # Fixed at once by the center, rated well.
    (
        {
            "category": "pain",
            "place": "hall_window",
            "place_detail": "3号窗口",
            "description": "窗口工作人员不熟悉新开办业务流程",
        },
        {"answer": ("clerk1", "当日组织业务培训，已熟练办理", None), "rate": (5, "整改及时")},
    ),
    # Fixed at once by a department, not rated yet (with an enterprise).
    (
        {
            "category": "blocking",
            "place": "department",
            "department": "market",
            "enterprise": "A",
            "description": "企业反映经营范围变更需跑两次",
        },
        {"answer": ("dept_market", "已改为一次办结", None)},
    ),
    # Tracked to the end, on track.
    (
        {
            "category": "difficulty",
            "place": "department",
            "department": "tax",
            "description": "发票申领线上系统操作复杂",
        },
        {"answer": ("dept_tax", "优化线上指引并录制操作视频", 30)},
    ),
    # Tracked, overdue: its deadline passed (back-dated), the sweep escalates it once.
    (
        {
            "category": "pain",
            "place": "department",
            "department": "land",
            "description": "用地规划咨询答复慢",
        },
        {"answer": ("dept_land", "建立咨询台账，限时答复", 1), "back": 20},
    ),
    # Tracked and rectified, rated badly: a rectification opens for the department.
    (
        {
            "category": "blocking",
            "place": "department",
            "department": "power",
            "description": "报装接电流程不透明",
        },
        {
            "answer": ("dept_power", "公开报装流程和时限", 10),
            "result": "已在大厅和网站公开",
            "rate": (2, "大厅公示不醒目"),
        },
    ),
    # Awaiting an answer at a park office (at risk: half its time gone).
    (
        {
            "category": "pain",
            "place": "park_office",
            "park": "park1",
            "description": "园区服务站周末无人值班",
        },
        {"back": 3},
    ),
    # Rectified after tracking, rated; and one at the hall, awaiting an answer.
    (
        {
            "category": "difficulty",
            "place": "hall_window",
            "place_detail": "自助服务区",
            "description": "自助终端打印机缺纸",
        },
        {"answer": ("clerk1", "建立耗材巡检制度", 5), "result": "每日巡检两次", "rate": (4, "")},
    ),
    (
        {
            "category": "blocking",
            "place": "hall_window",
            "place_detail": "叫号屏",
            "description": "叫号屏显示与实际窗口不一致",
        },
        {},
    ),
]


def _seed_observations(ctx, people) -> int:
    if Observation.objects.exists():
        return 0
    today = timezone.localdate()
    codes = {"park": ctx.parks, "department": ctx.departments, "enterprise": ctx.enterprises}
    for i, (filed, story) in enumerate(OBSERVATIONS):
        values = {k: codes[k].get(v) if k in codes else v for k, v in filed.items()}
        observation = actions.observation_file(actor=people[i % len(people)], **values)
        if "answer" in story:
            username, measures, days = story["answer"]
            observation = actions.observation_answer(
                actor=ctx.users[username],
                observation=observation,
                measures=measures,
                fixed_at_once=days is None,
                rectify_by=None if days is None else today + timedelta(days=days),
            )
            if "result" in story:
                observation = actions.observation_resolve(
                    actor=ctx.users[username], observation=observation, result=story["result"]
                )
        if "rate" in story:
            score, comment = story["rate"]
            actions.observation_rate(
                actor=observation.supervisor, observation=observation, score=score, comment=comment
            )
        if "back" in story:
            _shift(observation, timedelta(days=story["back"]))
    observations_sweep()
    return len(OBSERVATIONS)


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
