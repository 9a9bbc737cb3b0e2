from datetime import time

from django.db import migrations


def create_defaults(apps, schema_editor):
    OfficePeriod = apps.get_model("worktime", "OfficePeriod")
    if not OfficePeriod.objects.exists():
        OfficePeriod.objects.bulk_create(
            [OfficePeriod(start=time(8, 30), end=time(12, 0)), OfficePeriod(start=time(14, 30), end=time(18, 0))]
        )


class Migration(migrations.Migration):
    dependencies = [("worktime", "0001_initial")]
    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
