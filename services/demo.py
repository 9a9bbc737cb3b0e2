"""Demo data of the services app: the catalog, two weeks of appointment slots, and a few requests
in different states (made through the actions, so their events and clocks are real). Idempotent."""

from datetime import time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zone_portal.worktime.calendar import get_calendar

from . import actions
from .models import AppointmentSlot, LimitUnit, ServiceItem, ServiceRequest
from .selectors import service_settings

H, D, SAME = LimitUnit.WORKING_HOURS, LimitUnit.WORKING_DAYS, LimitUnit.SAME_DAY

# code, name, department, amount, unit, fee, agency, materials
CATALOG = [
    (
        "business-license",
        "营业执照（企业设立登记）",
        "approval",
        3,
        H,
        0,
        True,
        ["设立登记申请书", "公司章程", "股东、法定代表人身份证明", "住所使用证明"],
    ),
    (
        "seal-engraving",
        "印章刻制（免费）",
        "approval",
        2,
        H,
        0,
        True,
        ["营业执照副本", "法定代表人身份证", "刻章申请表"],
    ),
    ("invoice", "发票申领", "tax", 1, SAME, 0, True, ["营业执照", "经办人身份证", "发票领用申请表"]),
    ("tax-registration", "税务登记信息确认", "tax", 1, D, 0, True, ["营业执照", "财务负责人信息表"]),
    (
        "land-planning-permit",
        "建设用地规划许可证",
        "land",
        20,
        D,
        0,
        True,
        ["建设用地规划许可申请表", "土地出让合同", "规划设计条件", "总平面图"],
    ),
    (
        "construction-permit",
        "建筑工程施工许可证",
        "housing",
        7,
        D,
        0,
        True,
        ["施工许可申请表", "建设工程规划许可证", "施工合同", "施工图审查合格书"],
    ),
    ("planning-check", "规划条件核实", "land", 10, D, 0, True, ["核实申请表", "竣工测量报告"]),
    (
        "fire-acceptance",
        "建设工程消防验收",
        "housing",
        10,
        D,
        0,
        True,
        ["消防验收申请表", "工程竣工验收报告"],
    ),
    (
        "food-license",
        "食品经营许可证",
        "market",
        5,
        D,
        0,
        True,
        ["申请书", "经营场所平面图", "食品安全管理制度"],
    ),
    ("change-registration", "企业变更登记", "approval", 1, D, 0, True, ["变更登记申请书", "股东会决议"]),
    ("project-filing", "企业投资项目备案", "approval", 1, D, 0, True, ["项目备案申请表", "项目建议书"]),
    ("power-connection", "低压用电报装", "power", 5, D, 0, True, ["用电申请表", "产权证明"]),
    (
        "safety-permit",
        "安全生产许可证",
        "emergency",
        20,
        D,
        Decimal("0"),
        False,
        ["安全生产许可证申请书", "安全生产责任制文件", "安全评价报告"],
    ),
    (
        "tech-sme-registration",
        "科技型中小企业评价入库",
        "innovation",
        10,
        D,
        0,
        True,
        ["企业基本情况表", "上年度财务报表", "研发费用明细"],
    ),
]
BUNDLES = [
    (
        "enterprise-startup",
        "企业开办“一件事”（执照+印章+发票）",
        "approval",
        1,
        D,
        ["business-license", "seal-engraving", "invoice"],
    ),
]
DEMO_MARK = "【演示】"
PDF = b"%PDF-1.4\n% demo material\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _catalog_item(ctx, code, name, dept, amount, unit, **defaults) -> tuple[ServiceItem, bool]:
    return ServiceItem.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "department": ctx.departments[dept],
            "limit_amount": Decimal(amount),
            "limit_unit": unit,
            **defaults,
        },
    )


def seed_catalog(ctx) -> dict:
    items = {}
    for order, (code, name, dept, amount, unit, fee, agency, materials) in enumerate(CATALOG, start=1):
        items[code], _ = _catalog_item(
            ctx,
            code,
            name,
            dept,
            amount,
            unit,
            fee=Decimal(fee),
            agency_offered=agency,
            materials=materials,
            order=order * 10,
        )
    bundle_materials = ["设立登记申请书", "法定代表人身份证", "住所使用证明"]
    for code, name, dept, amount, unit, parts in BUNDLES:
        bundle, created = _catalog_item(
            ctx, code, name, dept, amount, unit, materials=bundle_materials, order=5
        )
        if created:
            bundle.components.set([items[p] for p in parts])
        items[code] = bundle
    return items


def _seed_slots(ctx) -> None:
    calendar = get_calendar()
    today = timezone.localdate()
    for offset in range(1, 15):
        day = today + timedelta(days=offset)
        rows = []
        if calendar.is_working_day(day):
            rows += [
                (time(h, m), time(h + 1, m), AppointmentSlot.Kind.WINDOW, 4)
                for h, m in ((9, 0), (10, 0), (15, 0), (16, 0))
            ]
            rows.append((time(18, 0), time(19, 30), AppointmentSlot.Kind.EXTENDED, 3))
            if day.weekday() in (1, 3):
                rows.append((time(14, 30), time(17, 30), AppointmentSlot.Kind.DOOR_TO_DOOR, 2))
        elif day.weekday() == 5:
            rows.append((time(9, 0), time(12, 0), AppointmentSlot.Kind.WEEKEND, 6))
        for start, end, kind, capacity in rows:
            AppointmentSlot.objects.get_or_create(
                date=day, start=start, kind=kind, department=None, defaults={"end": end, "capacity": capacity}
            )


def _pdf(name: str):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _seed_requests(ctx, items) -> None:
    if ServiceRequest.objects.filter(description__startswith=DEMO_MARK).exists():
        return
    a, b = ctx.enterprises["A"], ctx.enterprises["B"]
    ent_a, ent_b = ctx.users["ent_a"], ctx.users["ent_b"]
    clerk1, clerk2 = ctx.users["clerk1"], ctx.users["clerk2"]

    def submit(actor, code, enterprise, text, files=()):
        """Filed with one file per material of the service's checklist (and `files` besides)."""
        service = items[code]
        return actions.request_submit(
            actor=actor,
            service=service,
            enterprise=enterprise,
            description=f"{DEMO_MARK}{text}",
            uploads=[_pdf(f) for f in files],
            slot_uploads={item.name: [_pdf(f"{item.name}.pdf")] for item in service.checklist},
        )

    # Waiting in the queue.
    submit(ent_a, "seal-engraving", a, "新设子公司需刻制公章、财务章。", ["刻章申请表.pdf"])
    submit(
        ent_a, "enterprise-startup", a, "新设全资子公司，一次办结执照、印章、发票。", ["设立登记申请书.pdf"]
    )
    submit(
        ctx.users["cso1"],
        "construction-permit",
        a,
        "首席服务员代办：二期厂房施工许可。",
        ["施工许可申请表.pdf"],
    )
    # In progress.
    license_request = submit(ent_a, "business-license", a, "经营范围变更后换发执照。", ["申请书.pdf"])
    actions.request_claim(actor=clerk1, service_request=license_request)
    actions.request_accept(actor=clerk1, service_request=license_request)
    # Waiting for the applicant's supplement.
    invoice = submit(ent_b, "invoice", b, "首次申领增值税专用发票。", ["发票领用申请表.pdf"])
    actions.request_claim(actor=clerk2, service_request=invoice)
    actions.request_accept(actor=clerk2, service_request=invoice)
    actions.request_request_supplement(
        actor=clerk2,
        service_request=invoice,
        missing=["经办人身份证"],
        other=["税控设备购买凭证"],
        note="身份证复印件已过期，请提供有效期内的；另需税控设备购买凭证。请一次性补齐。",
    )
    # Completed and rated well; completed and rated badly (a rectification opens).
    tax = submit(ent_a, "tax-registration", a, "财务负责人变更。", ["信息表.pdf"])
    actions.request_claim(actor=clerk1, service_request=tax)
    actions.request_accept(actor=clerk1, service_request=tax)
    actions.request_complete(actor=clerk1, service_request=tax, result="信息已确认，登记完成。")
    actions.request_rate(actor=ent_a, service_request=tax, score=5, comment="办理很快，一次办好。")
    food = submit(ent_b, "food-license", b, "员工食堂食品经营许可。", ["申请书.pdf"])
    actions.request_claim(actor=clerk2, service_request=food)
    actions.request_accept(actor=clerk2, service_request=food)
    actions.request_complete(actor=clerk2, service_request=food, result="许可证已核发。")
    actions.request_rate(actor=ent_b, service_request=food, score=2, comment="现场核查预约时间多次变动。")


def seed(ctx) -> None:
    service_settings()
    items = seed_catalog(ctx)
    _seed_slots(ctx)
    _seed_requests(ctx, items)
    ctx.log.append(f"services: {len(items)} catalog items")
