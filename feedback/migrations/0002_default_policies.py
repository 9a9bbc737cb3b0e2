"""The DOMAIN.md defaults: one escalation policy per tier, and each category's default departments
for the departments that exist already (the demo data and `escalation_defaults_install` add the
rest once the departments are created). Administrators edit the rows afterwards."""

from decimal import Decimal

from django.db import migrations

POLICIES = {
    1: {"acknowledge_hours": Decimal(2), "resolve_days": Decimal(3)},
    2: {"report_days": Decimal(1), "answer_days": Decimal(5), "resolve_days": Decimal(7), "notice_days": Decimal(5)},
    3: {"action_days": Decimal(10)},
}
CATEGORY_DEPARTMENTS = {
    "land": ["land"],
    "tax": ["tax"],
    "financing": ["enterprise_service"],
    "utilities": ["power"],
    "permits": ["approval"],
    "talent": ["innovation"],
    "policy": ["enterprise_service"],
    "safety": ["emergency"],
}


def install(apps, schema_editor):
    EscalationPolicy = apps.get_model("feedback", "EscalationPolicy")
    CategoryDepartment = apps.get_model("feedback", "CategoryDepartment")
    Department = apps.get_model("org", "Department")
    for tier, values in POLICIES.items():
        EscalationPolicy.objects.get_or_create(tier=tier, category="", defaults=values)
    departments = {d.code: d for d in Department.objects.all()}
    for category, codes in CATEGORY_DEPARTMENTS.items():
        for code in codes:
            if code in departments:
                CategoryDepartment.objects.get_or_create(category=category, department=departments[code])


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial"), ("org", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
