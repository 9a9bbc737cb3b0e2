from django.db import migrations


def create_state(apps, schema_editor):
    """The one state row, so that two first refreshes at once queue on its lock instead of racing
    to create it."""
    apps.get_model("dashboard", "RollupState").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0001_rollups")]

    operations = [migrations.RunPython(create_state, migrations.RunPython.noop)]
