from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("feedback", "0013_dashboard_anchor_indexes")]

    operations = [
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                condition=models.Q(("closed_at__isnull", False)), fields=["closed_at"], name="ticket_closed"
            ),
        ),
    ]
