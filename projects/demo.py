"""Demo key projects: 40 projects across the six parks and every stage, with milestones (some
delayed), ledgers, weekly supervision records and monthly observations. Dates are relative to the
day of seeding, so the battle map looks alive whenever it is run. Idempotent (natural keys)."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from enterprises.actions import cso_assign, enterprise_search_keys_refresh
from enterprises.models import Enterprise
from zone_portal.accounts.roles import Role
from zone_portal.events.models import Event

from .models import (
    STAGE_FLOW,
    LedgerEntry,
    Milestone,
    Project,
    SiteObservation,
    Stage,
    Supervision,
    week_start,
)

# username, display name, role, department, parks
EXTRA_USERS = [
    ("leader2", "分包领导 杨帆", Role.LEADER, None, ["park2", "park3"]),
    ("leader3", "分包领导 许鹏", Role.LEADER, None, ["park4", "park5", "park6"]),
    ("invest1", "招商部 马骏", Role.DEPARTMENT_OFFICER, "investment", []),
    ("invest2", "招商部 高洁", Role.DEPARTMENT_OFFICER, "investment", []),
    ("platform1", "平台部 林涛", Role.DEPARTMENT_OFFICER, "platform", []),
    ("platform2", "平台部 宋雨", Role.DEPARTMENT_OFFICER, "platform", []),
]

# key, name, park, code (valid GB 32100-2015 check characters, so the register accepts them)
INVESTORS = [
    ("P01", "神马尼龙新材有限公司", "park1", "91410400MA0006001Q"),
    ("P02", "中原智能装备有限公司", "park2", "91410400MA0006002U"),
    ("P03", "鹰城光伏科技有限公司", "park3", "91410400MA0006003Y"),
    ("P04", "豫康生物医药有限公司", "park4", "91410400MA00060042"),
    ("P05", "汇芯电子信息有限公司", "park5", "91410400MA00060055"),
    ("P06", "高新城市建设发展有限公司", "park6", "91410400MA00060068"),
    ("P07", "平煤新能源储能有限公司", "park3", "91410400MA0006007B"),
    ("P08", "华夏碳材料有限公司", "park1", "91410400MA0006008E"),
]

S = Stage
# name, investor key (or A/B), park, industry, stage, total investment (万元), leader
PROJECTS = [
    ("光伏组件材料项目", "P03", "park3", "新能源", S.UNDER_CONSTRUCTION, 120000, "leader1"),
    ("棚户区改造项目", "P06", "park6", "城市建设", S.UNDER_CONSTRUCTION, 86000, "leader1"),
    ("尼龙66切片扩能项目", "P01", "park1", "新材料", S.UNDER_CONSTRUCTION, 150000, "leader1"),
    ("己二腈配套项目", "P01", "park1", "新材料", S.CONSTRUCTION_STARTED, 98000, "leader1"),
    ("高性能工程塑料项目", "A", "park1", "新材料", S.SIGNED, 42000, "leader1"),
    ("尼龙纤维差异化项目", "B", "park1", "新材料", S.COMPLETED, 36000, "leader1"),
    ("碳纤维复合材料项目", "P08", "park1", "新材料", S.NEGOTIATING, 60000, "leader1"),
    ("锦纶帘子布项目", "P01", "park1", "新材料", S.IN_PRODUCTION, 28000, "leader1"),
    ("智能矿山装备产业园", "P02", "park2", "智能装备", S.UNDER_CONSTRUCTION, 75000, "leader2"),
    ("工业机器人减速器项目", "P02", "park2", "智能装备", S.CONSTRUCTION_STARTED, 32000, "leader2"),
    ("液压支架再制造项目", "P02", "park2", "智能装备", S.SIGNED, 18000, "leader2"),
    ("智能输送装备项目", "P02", "park2", "智能装备", S.NEGOTIATING, 22000, "leader2"),
    ("数控机床核心部件项目", "P02", "park2", "智能装备", S.COMPLETED, 26000, "leader2"),
    ("电力装备智能工厂", "P02", "park2", "智能装备", S.IN_PRODUCTION, 40000, "leader2"),
    ("锂电池储能系统项目", "P07", "park3", "新能源", S.UNDER_CONSTRUCTION, 110000, "leader2"),
    ("氢能产业示范园", "P07", "park3", "新能源", S.CONSTRUCTION_STARTED, 88000, "leader2"),
    ("风电装备零部件项目", "P03", "park3", "新能源", S.SIGNED, 30000, "leader2"),
    ("光伏玻璃深加工项目", "P03", "park3", "新能源", S.SUSPENDED, 45000, "leader2"),
    ("分布式光伏电站项目", "P03", "park3", "新能源", S.IN_PRODUCTION, 12000, "leader2"),
    ("生物制药产业化基地", "P04", "park4", "生物医药", S.UNDER_CONSTRUCTION, 68000, "leader3"),
    ("医疗器械研发中心", "P04", "park4", "生物医药", S.CONSTRUCTION_STARTED, 15000, "leader3"),
    ("中药饮片智能工厂", "P04", "park4", "生物医药", S.SIGNED, 20000, "leader3"),
    ("疫苗冷链物流中心", "P04", "park4", "生物医药", S.NEGOTIATING, 9000, "leader3"),
    ("原料药绿色工厂", "P04", "park4", "生物医药", S.COMPLETED, 34000, "leader3"),
    ("半导体封装测试项目", "P05", "park5", "电子信息", S.UNDER_CONSTRUCTION, 95000, "leader3"),
    ("智能传感器产业园", "P05", "park5", "电子信息", S.UNDER_CONSTRUCTION, 52000, "leader3"),
    ("5G通信模组项目", "P05", "park5", "电子信息", S.CONSTRUCTION_STARTED, 24000, "leader3"),
    ("大数据中心项目", "P05", "park5", "电子信息", S.SIGNED, 58000, "leader3"),
    ("电子级化学品项目", "P05", "park5", "电子信息", S.NEGOTIATING, 16000, "leader3"),
    ("显示面板配套项目", "P05", "park5", "电子信息", S.IN_PRODUCTION, 47000, "leader3"),
    ("科技企业孵化器", "P06", "park6", "科技服务", S.UNDER_CONSTRUCTION, 21000, "leader3"),
    ("人才公寓项目", "P06", "park6", "城市建设", S.UNDER_CONSTRUCTION, 33000, "leader3"),
    ("中试基地项目", "P06", "park6", "科技服务", S.COMPLETED, 14000, "leader3"),
    ("检验检测公共服务平台", "P06", "park6", "科技服务", S.SIGNED, 8000, "leader3"),
    ("尼龙新材料中试平台", "P08", "park1", "新材料", S.UNDER_CONSTRUCTION, 19000, "leader1"),
    ("特种尼龙工程塑料项目", "P08", "park1", "新材料", S.SIGNED, 27000, "leader2"),
    ("智慧园区综合管廊项目", "P06", "park6", "城市建设", S.CONSTRUCTION_STARTED, 39000, "leader3"),
    ("新能源汽车电机项目", "P07", "park3", "新能源", S.UNDER_CONSTRUCTION, 64000, "leader2"),
    ("高端轴承产业化项目", "P02", "park2", "智能装备", S.UNDER_CONSTRUCTION, 29000, "leader2"),
    ("生物基材料项目", "P04", "park4", "生物医药", S.COMPLETED, 23000, "leader3"),
]

# Projects whose next milestone's planned date has passed without an actual date (delayed).
DELAYED = {
    "光伏组件材料项目",
    "棚户区改造项目",
    "锂电池储能系统项目",
    "半导体封装测试项目",
    "液压支架再制造项目",
}
# Projects whose next milestone falls due within the at-risk window.
AT_RISK = {"智能矿山装备产业园", "生物制药产业化基地", "氢能产业示范园"}
# Projects under construction whose last week has no supervision record (the weekly flag).
NO_SUPERVISION_LAST_WEEK = {"智能传感器产业园", "人才公寓项目"}

GOALS = {
    "光伏组件材料项目": "建成年产5GW光伏组件封装材料（胶膜、背板）生产线，年产值15亿元",
    "棚户区改造项目": "完成1200户棚户区居民回迁安置房建设，配套道路、管网和社区服务中心",
}


def _month_start(today, months_back: int):
    index = today.year * 12 + today.month - 1 - months_back
    return today.replace(year=index // 12, month=index % 12 + 1, day=1)


def _users(ctx):
    for username, display, role, department, parks in EXTRA_USERS:
        ctx.user(username, display, roles=[role], parks=parks, departments=[department] if department else [])


def _investors(ctx) -> dict:
    investors = {"A": ctx.enterprises["A"], "B": ctx.enterprises["B"]}
    for key, name, park, uscc in INVESTORS:
        investors[key], created = Enterprise.objects.get_or_create(
            uscc=uscc, defaults={"name": name, "park": ctx.parks[park]}
        )
        if created:
            # Every enterprise of the register has its chief service officer, investors too.
            cso_assign(actor=None, enterprise=investors[key], officer=ctx.users["cso1"], reason="演示数据")
    enterprise_search_keys_refresh()
    return investors


# name, stage position from which it is reached, planned offset (days) if reached, if still ahead
MILESTONE_PLAN = [
    ("签订投资协议", 1, -330, 20),
    ("取得施工许可并开工", 2, -220, 45),
    ("主体结构封顶", 4, -80, 60),
    ("竣工验收", 4, -40, 150),
    ("投产达效", 5, -12, 270),
]


def _milestones(project, position: int, today) -> None:
    """The standard plan, reached up to the project's stage (some of them a few days late); the
    first milestone ahead is overdue for the delayed projects and due soon for the at-risk ones."""
    first_ahead = True
    for i, (name, reached_from, past, ahead) in enumerate(MILESTONE_PLAN):
        actual = None
        if position >= reached_from:
            planned = today + timedelta(days=past)
            actual = planned + timedelta(days=(i % 3) * 4)
        elif first_ahead and project.name in DELAYED:
            planned = today - timedelta(days=12)
        elif first_ahead and project.name in AT_RISK:
            planned = today + timedelta(days=9)
        else:
            planned = today + timedelta(days=ahead)
        if position < reached_from:
            first_ahead = False
        Milestone.objects.get_or_create(
            project=project, name=name, defaults={"planned_date": planned, "actual_date": actual}
        )


def _ledger(project, position: int, today, recorder) -> None:
    months = {2: 3, 3: 8, 4: 12, 5: 14}.get(position, 0)
    if not months:
        return
    share = {2: Decimal("0.12"), 3: Decimal("0.55"), 4: Decimal("0.92"), 5: Decimal("1")}[position]
    per_month = (project.total_investment * share / months).quantize(Decimal("1"))
    for k in range(months, 0, -1):
        day = _month_start(today, k - 1) - timedelta(days=1)  # the last day of the k-th month back
        progress = int(min(100, share * 100 * (months - k + 1) / months))
        LedgerEntry.objects.get_or_create(
            project=project,
            entry_date=day,
            defaults={
                "investment_completed": per_month,
                "progress_percent": progress,
                "problems": "施工用电增容待供电公司办理" if k == 1 and project.name in DELAYED else "",
                "recorded_by": recorder,
            },
        )


def _supervision(project, today, leader) -> None:
    this_week = week_start(today)
    for weeks_back in range(1, 5):
        if weeks_back == 1 and project.name in NO_SUPERVISION_LAST_WEEK:
            continue
        day = this_week - timedelta(days=7 * weeks_back - 2)  # the Wednesday of that week
        Supervision.objects.get_or_create(
            project=project,
            supervised_on=day,
            defaults={
                "week_start": week_start(day),
                "supervisor": leader,
                "findings": "现场施工有序，安全措施到位"
                if project.name not in DELAYED
                else "主体结构进度滞后于计划",
                "problems": "" if project.name not in DELAYED else "施工用电增容尚未完成，需协调供电公司",
            },
        )


def _observations(project, today, observer) -> None:
    for months_back, scores in ((1, (17, 16, 18, 19, 18)), (2, (15, 15, 17, 18, 17))):
        first = _month_start(today, months_back)
        penalty = 4 if project.name in DELAYED else len(project.name) % 3
        scores = tuple(max(0, s - penalty + (k == months_back)) for k, s in enumerate(scores))
        SiteObservation.objects.get_or_create(
            project=project,
            month=first,
            defaults={
                "observed_on": first + timedelta(days=14),
                "observer": observer,
                **dict(
                    zip(
                        [
                            "progress_score",
                            "investment_score",
                            "quality_score",
                            "safety_score",
                            "service_score",
                        ],
                        scores,
                        strict=True,
                    )
                ),
            },
        )


def seed(ctx) -> None:
    _users(ctx)
    investors = _investors(ctx)
    today = timezone.localdate()
    trio = [
        (ctx.users["invest1"], ctx.users["cso1"], ctx.users["platform1"]),
        (ctx.users["invest2"], ctx.users["cso2"], ctx.users["platform2"]),
    ]
    project_type = ContentType.objects.get_for_model(Project)
    for i, (name, investor, park, industry, stage, wan, leader) in enumerate(PROJECTS):
        investment, service, platform = trio[i % 2]
        position = (
            STAGE_FLOW.index(stage) if stage in STAGE_FLOW else STAGE_FLOW.index(Stage.UNDER_CONSTRUCTION)
        )
        started = today - timedelta(days=200) if position >= 2 else None
        project, created = Project.objects.get_or_create(
            name=name,
            defaults={
                "enterprise": investors[investor],
                "park": ctx.parks[park],
                "industry": industry,
                "content": f"{name}：新建生产厂房、研发楼及配套设施",
                "total_investment": Decimal(wan) * 10000,
                "leader": ctx.users[leader],
                "investment_member": investment,
                "service_member": service,
                "platform_member": platform,
                "goal": GOALS.get(name, f"按期建成投产，达产后年产值不低于{wan * 2 // 10000 or 1}亿元"),
                "target_date": today + timedelta(days=240 + 30 * (i % 6)),
                "stage": stage,
                "suspended_from": Stage.UNDER_CONSTRUCTION if stage == Stage.SUSPENDED else "",
                "stage_changed_on": today - timedelta(days=30),
                "construction_started_on": started,
            },
        )
        if created:
            Event.objects.create(
                content_type=project_type,
                object_id=project.pk,
                kind="project_created",
                actor=ctx.users["admin"],
                to_state=stage,
                data={"date": str(today - timedelta(days=30))},
            )
        _milestones(project, position, today)
        _ledger(project, position, today, investment)
        if stage in (Stage.CONSTRUCTION_STARTED, Stage.UNDER_CONSTRUCTION):
            _supervision(project, today, ctx.users[leader])
        if position >= 2:
            _observations(project, today, ctx.users[leader])
    ctx.log.append(f"projects: {len(PROJECTS)} key projects")
