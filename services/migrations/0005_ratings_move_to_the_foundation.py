"""Ratings and rectifications now live in the foundation (`zone_portal.ratings`, migration 0001
there took over the tables): only the migration state forgets them here."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('services', '0004_content_type_detected_at_upload'),
        ('ratings', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name='rectification', name='rating'),
                migrations.RemoveField(model_name='rectification', name='appeal_decided_by'),
                migrations.RemoveField(model_name='rectification', name='department'),
                migrations.RemoveField(model_name='rectification', name='handler'),
                migrations.DeleteModel(name='Rating'),
                migrations.DeleteModel(name='Rectification'),
            ],
        ),
    ]
