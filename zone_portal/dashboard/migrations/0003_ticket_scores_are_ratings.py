"""The fact `ticket_score` (scores kept on tickets, outside the shared ratings) is gone: a ticket's
rating is a shared rating now (feedback 0009), counted by the fact `rating`. Its rows go with it."""

from django.db import migrations


def forget_ticket_scores(apps, schema_editor):
    for model in ("DailyCount", "DirtyDay"):
        apps.get_model("dashboard", model).objects.filter(fact="ticket_score").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("dashboard", "0002_rollup_state_row"),
        ("feedback", "0010_rating_stored_once"),
    ]

    operations = [migrations.RunPython(forget_ticket_scores, migrations.RunPython.noop)]
