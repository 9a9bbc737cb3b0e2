"""The foundation's demo data: parks, departments, users with roles. Each app adds its own in
`<app>/demo.py` (`seed(ctx)`), which `seed_demo` runs in the order of INSTALLED_APPS.

Every function is idempotent (get-or-create by natural key), so `seed_demo` can run at each start.
"""

from dataclasses import dataclass, field

from zone_portal.accounts.models import User, UserRole
from zone_portal.accounts.roles import Role
from zone_portal.org.models import Department, Park

DEFAULT_PASSWORD = "zone-demo-2026"

PARKS = [
    ("park1", "尼龙新材料产业园"),
    ("park2", "智能装备产业园"),
    ("park3", "新能源产业园"),
    ("park4", "生物医药产业园"),
    ("park5", "电子信息产业园"),
    ("park6", "科技创新服务园"),
]

DEPARTMENTS = [
    ("market", "市场监督管理局"),
    ("tax", "税务局"),
    ("land", "自然资源和规划局"),
    ("housing", "住房和城乡建设局"),
    ("emergency", "应急管理局"),
    ("innovation", "科技创新局"),
    ("power", "供电公司"),
    ("approval", "行政审批局"),
    ("investment", "招商部"),
    ("enterprise_service", "企业服务部"),
    ("platform", "平台部（成果转化部）"),
]

# The officers' office phones, shown to the enterprises they serve (made-up numbers).
OFFICE_PHONES = {
    "cso1": "0375-2981101",
    "cso2": "0375-2981102",
    "clerk1": "0375-2981201",
    "clerk2": "0375-2981202",
}

# username, display name, roles, parks, departments
USERS = [
    ("admin", "系统管理员", [Role.ADMIN], [], []),
    ("clerk1", "窗口一号 王敏", [Role.CLERK], [], ["approval"]),
    ("clerk2", "窗口二号 李娜", [Role.CLERK], [], ["approval"]),
    ("cso1", "首席服务员 张伟", [Role.CSO], ["park1"], ["enterprise_service"]),
    ("cso2", "首席服务员 刘洋", [Role.CSO], ["park1"], ["enterprise_service"]),
    ("park1", "园区主任 陈刚", [Role.PARK_DIRECTOR, Role.PARK_OFFICER], ["park1"], []),
    ("park2", "园区主任 赵磊", [Role.PARK_DIRECTOR, Role.PARK_OFFICER], ["park2"], []),
    ("dept_market", "市场监管 孙丽", [Role.DEPARTMENT_OFFICER], [], ["market"]),
    ("dept_tax", "税务 周强", [Role.DEPARTMENT_OFFICER], [], ["tax"]),
    ("dept_land", "自然资源 吴静", [Role.DEPARTMENT_OFFICER], [], ["land"]),
    ("dept_power", "供电 郑浩", [Role.DEPARTMENT_OFFICER], [], ["power"]),
    ("leader1", "分包领导 冯军", [Role.LEADER], ["park1"], []),
    ("supervisor1", "社会监督员 何芳", [Role.SUPERVISOR], [], []),
    ("hotline", "12345热线", [Role.HOTLINE], [], []),
    ("ent_a", "中金科技 联络人", [Role.ENTERPRISE_STAFF], [], []),
    ("ent_b", "华创材料 联络人", [Role.ENTERPRISE_STAFF], [], []),
]


@dataclass
class DemoContext:
    password: str
    parks: dict = field(default_factory=dict)
    departments: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    enterprises: dict = field(default_factory=dict)  # filled by the enterprises app's demo
    log: list = field(default_factory=list)

    def user(self, username: str, display: str, *, roles=(), parks=(), departments=()) -> User:
        """A demo account (created once, its password reset to the demo one) with these roles, parks
        and departments added; kept in `users`. Every app's demo makes its people through this."""
        user, created = User.objects.get_or_create(
            username=username, defaults={"display_name": display, "email": f"{username}@zone-portal.local"}
        )
        if created or not user.check_password(self.password):
            user.set_password(self.password)
            user.save(update_fields=["password"])
        for role in roles:
            UserRole.objects.get_or_create(user=user, role=role)
        user.parks.add(*[self.parks[p] for p in parks])
        user.departments.add(*[self.departments[d] for d in departments])
        self.users[username] = user
        return user


def seed_foundation(ctx: DemoContext) -> None:
    for order, (code, name) in enumerate(PARKS, start=1):
        ctx.parks[code], _ = Park.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    for code, name in DEPARTMENTS:
        ctx.departments[code], _ = Department.objects.get_or_create(code=code, defaults={"name": name})
    for username, display, roles, parks, departments in USERS:
        user = ctx.user(username, display, roles=roles, parks=parks, departments=departments)
        if username in OFFICE_PHONES and not user.phone:
            user.phone = OFFICE_PHONES[username]
            user.save(update_fields=["phone"])
        if username == "admin" and not user.is_staff:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
