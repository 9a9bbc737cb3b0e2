"""Demo register: 150 enterprises across the six parks (35 high-tech, 31 reserve, 75 tech SMEs),
each with a chief service officer, some visits, and one account request waiting for a clerk.

Idempotent: enterprises are found by their code, officers by username, visits only added to
enterprises that have none. Enterprises A and B (`seed_enterprises_a_and_b`, also the tests'
demo organisation) come first and are left as they are.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from zone_portal.accounts.roles import Role

from .actions import (
    account_request_submit,
    cso_assign,
    enterprise_create,
    enterprise_search_keys_refresh,
    visit_log,
)
from .models import AccountRequest, CsoAssignment, Enterprise, EnterpriseMembership, Visit
from .uscc import uscc_check_char

# Two enterprises in park 1 whose codes satisfy the GB 32100-2015 check character.
ENTERPRISES = [
    ("A", "中金科技有限公司", "91410400MA44L8KX5B", "ent_a", "cso1"),
    ("B", "华创材料有限公司", "91410400MA45D4GTX1", "ent_b", "cso2"),
]

TOTAL = 150
HIGH_TECH, RESERVE, TECH_SME = 35, 31, 75

# username, display name, park codes
OFFICERS = [
    ("cso3", "首席服务员 王芳", ["park2"]),
    ("cso4", "首席服务员 李强", ["park3"]),
    ("cso5", "首席服务员 张静", ["park4"]),
    ("cso6", "首席服务员 刘杰", ["park5"]),
    ("cso7", "首席服务员 陈晨", ["park6"]),
    ("cso8", "首席服务员 杨帆", ["park2", "park3"]),
]
PARK_OFFICERS = {
    "park1": ["cso1", "cso2"],
    "park2": ["cso3", "cso8"],
    "park3": ["cso4", "cso8"],
    "park4": ["cso5"],
    "park5": ["cso6"],
    "park6": ["cso7"],
}
DIVISIONS = {
    "park1": "410402",
    "park2": "410403",
    "park3": "410404",
    "park4": "410411",
    "park5": "410421",
    "park6": "410481",
}
INDUSTRIES = {
    "park1": ["新材料", "尼龙制品", "化工", "塑业", "纤维"],
    "park2": ["智能装备", "机械", "自动化", "机器人", "精密制造"],
    "park3": ["新能源", "光伏", "储能", "电池", "氢能"],
    "park4": ["生物医药", "制药", "医疗器械", "生物技术", "健康产业"],
    "park5": ["电子", "信息技术", "软件", "半导体", "通信"],
    "park6": ["检测认证", "知识产权", "数据服务", "孵化器", "技术转移"],
}
TRADES = [
    "恒源",
    "瑞丰",
    "鼎盛",
    "宏达",
    "华耀",
    "博远",
    "天成",
    "宇航",
    "新锐",
    "泰和",
    "汇通",
    "锦程",
    "隆基",
    "海纳",
    "安泰",
    "盛世",
    "永信",
    "卓越",
    "润泽",
    "凯华",
    "明德",
    "东方",
    "嘉禾",
    "兴业",
    "正阳",
    "天禄",
    "鹏程",
    "富源",
    "佳美",
    "融创",
]
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高"
GIVEN = ["建国", "海燕", "志强", "秀英", "文博", "丽娟", "国庆", "晓明", "红梅", "子涵"]
ROADS = ["神马大道", "建设路", "开源路", "凌云路", "湛河路", "新华路"]
FINDINGS = [
    "生产经营正常，暂无困难。",
    "企业反映扩建项目用地手续办理进度慢，需自然资源部门协调。",
    "申报高新技术企业需要辅导，已约定下周上门指导。",
    "新厂区用电增容需求，已联系供电公司。",
    "企业招工难，希望参加园区专场招聘会。",
    "咨询研发费用加计扣除政策，已现场讲解。",
    "希望对接银行办理知识产权质押贷款。",
]


def _uscc(park_code: str, n: int) -> str:
    first17 = f"91{DIVISIONS[park_code]}MAD{n:06d}"
    return first17 + uscc_check_char(first17)


def _officers(ctx) -> dict:
    users = {name: ctx.users[name] for name in ("cso1", "cso2")}
    for username, display, parks in OFFICERS:
        users[username] = ctx.user(
            username, display, roles=[Role.CSO], parks=parks, departments=["enterprise_service"]
        )
    return users


def _plan(today):
    """The 150 rows, with the qualification mix fixed by a seeded shuffle (same every run)."""
    order = list(range(TOTAL))
    random.Random(2026).shuffle(order)
    high_tech = set(order[:HIGH_TECH])
    reserve = set(order[HIGH_TECH : HIGH_TECH + RESERVE])
    tech_sme = set(order[10 : 10 + TECH_SME])
    above_scale = set(order[:20]) | set(order[100:120])
    parks = list(DIVISIONS)
    rows = []
    for i in range(TOTAL):
        park_index, j = divmod(i, TOTAL // len(parks))
        park = parks[park_index]
        person = SURNAMES[(i * 7) % len(SURNAMES)] + GIVEN[i % len(GIVEN)]
        contact = SURNAMES[(i * 3 + 5) % len(SURNAMES)] + GIVEN[(i + 4) % len(GIVEN)]
        row = {
            "park": park,
            "officer": PARK_OFFICERS[park][j % len(PARK_OFFICERS[park])],
            "name": f"{TRADES[(park_index * 7 + j) % len(TRADES)]}{INDUSTRIES[park][j % 5]}有限公司",
            "uscc": _uscc(park, i + 1),
            "legal_representative": person,
            "registered_capital": Decimal((i * 37) % 50 + 1) * Decimal("1000000"),
            "address": f"{ROADS[i % len(ROADS)]}{100 + i}号",
            "industry": INDUSTRIES[park][j % 5],
            "founded_on": today.replace(year=today.year - 2 - i % 18, month=1 + i % 12, day=1 + i % 28),
            "contact_name": contact,
            "contact_phone": f"1390375{i:04d}",
            "patents": 8 + (i * 5) % 33 if i in high_tech else (i * 3) % 7,
            "tech_sme_year": today.year if i in tech_sme else None,
            "is_above_scale": i in above_scale,
            "is_high_tech_reserve": i in reserve,
        }
        if i in high_tech:
            expires = today + timedelta(days=200 + i * 7)
            row["high_tech_certificate"] = f"GR{expires.year - 3}41{i:06d}"
            row["high_tech_expires_on"] = expires
        rows.append(row)
    return rows


def seed_enterprises_a_and_b(ctx) -> None:
    """Enterprises A and B of park 1, their staff users (`ent_a`, `ent_b`) as owners and their
    officers (`cso1`, `cso2`), written as they were before the register's actions existed (without
    pinyin keys, which `seed` fills)."""
    for key, name, uscc, staff, cso in ENTERPRISES:
        enterprise, _ = Enterprise.objects.get_or_create(
            uscc=uscc, defaults={"name": name, "park": ctx.parks["park1"]}
        )
        ctx.enterprises[key] = enterprise
        EnterpriseMembership.objects.get_or_create(
            user=ctx.users[staff], enterprise=enterprise, defaults={"kind": EnterpriseMembership.Kind.OWNER}
        )
        if not CsoAssignment.objects.current().filter(enterprise=enterprise).exists():
            CsoAssignment.objects.create(
                enterprise=enterprise, officer=ctx.users[cso], started_at=timezone.now(), reason="演示数据"
            )


def seed(ctx) -> None:
    today = timezone.localdate()
    seed_enterprises_a_and_b(ctx)
    officers = _officers(ctx)
    enterprise_search_keys_refresh()  # A and B are written without pinyin keys
    rows = _plan(today)
    existing = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=[r["uscc"] for r in rows])}
    assigned = set(
        CsoAssignment.objects.current()
        .filter(enterprise__uscc__in=[r["uscc"] for r in rows])
        .values_list("enterprise__uscc", flat=True)
    )
    visited = set(
        Visit.objects.filter(enterprise__uscc__in=[r["uscc"] for r in rows]).values_list(
            "enterprise__uscc", flat=True
        )
    )
    for i, row in enumerate(rows):
        data = {k: v for k, v in row.items() if k != "officer"}
        data["park"] = ctx.parks[row["park"]]
        enterprise = existing.get(row["uscc"]) or enterprise_create(actor=None, data=data)
        officer = officers[row["officer"]]
        if row["uscc"] not in assigned:
            cso_assign(actor=None, enterprise=enterprise, officer=officer, reason="园区首席服务员分包")
        if i % 3 == 0 and row["uscc"] not in visited:
            for k in range(1 + i % 2):
                visit_log(
                    actor=officer,
                    enterprise=enterprise,
                    visited_on=today - timedelta(days=5 + (i * 11 + k * 30) % 90),
                    participants=f"{row['legal_representative']}（法定代表人）",
                    findings=FINDINGS[(i + k) % len(FINDINGS)],
                )
    if not AccountRequest.objects.filter(uscc=_uscc("park5", 999)).exists():
        account_request_submit(
            uscc=_uscc("park5", 999),
            enterprise_name="启明星电子科技有限公司",
            contact_name="郑晓红",
            phone="13903750999",
            email="qmx@example.cn",
            username="qimingxing",
            password="Start-Zone-8462",
        )
    ctx.log.append(f"enterprises: {Enterprise.objects.count()} in the register")
