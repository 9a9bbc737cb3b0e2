"""Ratings and rectifications move from the services app to the foundation, rows and all.

The tables exist (services 0001–0003): the models are taken over in the migration state only, the
content types are renamed so that every event on a rectification and every permission keeps
pointing at it, then the tables get the foundation's names.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def content_types_follow(apps, schema_editor):
    _content_types_move(apps, "services", "ratings")


def content_types_return(apps, schema_editor):
    _content_types_move(apps, "ratings", "services")


def _content_types_move(apps, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("rating", "rectification"):
        if not ContentType.objects.filter(app_label=target, model=model).exists():
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('services', '0003_base_manager'),
        ('enterprises', '0003_account_request_address'),
        ('org', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Rating',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('updated_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False, verbose_name='updated at')),
                        ('object_id', models.PositiveBigIntegerField()),
                        ('score', models.PositiveSmallIntegerField(choices=[(5, 'Very satisfied'), (4, 'Satisfied'), (3, 'Basically satisfied'), (2, 'Dissatisfied'), (1, 'Very dissatisfied')], verbose_name='score')),
                        ('comment', models.TextField(blank=True, verbose_name='comment')),
                        ('case_label', models.CharField(blank=True, max_length=200, verbose_name='case')),
                        ('case_url', models.CharField(blank=True, max_length=300, verbose_name='case link')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='rated at')),
                        ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype')),
                        ('enterprise', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='ratings', to='enterprises.enterprise', verbose_name='enterprise')),
                        ('handler', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='handler')),
                        ('handler_department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='ratings', to='org.department', verbose_name='handler department')),
                        ('rater', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='rated by')),
                    ],
                    options={
                        'verbose_name': 'rating',
                        'db_table': 'services_rating',
                        'verbose_name_plural': 'ratings',
                        'ordering': ['-created_at', '-id'],
                        'base_manager_name': 'objects',
                    },
                ),
                migrations.CreateModel(
                    name='Rectification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('open', 'To verify'), ('fixing', 'Being fixed'), ('replied', 'Replied, callback due'), ('called_back', 'Called back, awaiting the enterprise'), ('closed', 'Closed'), ('appealed', 'Appealed'), ('voided', 'Voided on appeal')], default='open', max_length=16, verbose_name='status')),
                        ('opened_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='opened at')),
                        ('verify_due_at', models.DateTimeField(verbose_name='verify by')),
                        ('fix_due_at', models.DateTimeField(verbose_name='fix and reply by')),
                        ('verified_at', models.DateTimeField(blank=True, null=True, verbose_name='verified at')),
                        ('finding', models.TextField(blank=True, verbose_name='finding')),
                        ('fixed_at_once', models.BooleanField(default=False, verbose_name='fixed at once')),
                        ('replied_at', models.DateTimeField(blank=True, null=True, verbose_name='replied at')),
                        ('reply', models.TextField(blank=True, verbose_name='reply')),
                        ('called_back_at', models.DateTimeField(blank=True, null=True, verbose_name='called back at')),
                        ('callback_note', models.TextField(blank=True, verbose_name='callback note')),
                        ('fix_score', models.CharField(blank=True, choices=[('satisfied', 'Satisfied'), ('basically_satisfied', 'Basically satisfied'), ('dissatisfied', 'Dissatisfied')], max_length=24, verbose_name="enterprise's rating of the fix")),
                        ('fix_comment', models.TextField(blank=True, verbose_name='comment on the fix')),
                        ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='closed at')),
                        ('appeal_reason', models.TextField(blank=True, verbose_name='appeal reason')),
                        ('appeal_from', models.CharField(blank=True, max_length=16)),
                        ('appeal_decision', models.TextField(blank=True, verbose_name='appeal decision')),
                        ('verify_overdue_marked_at', models.DateTimeField(blank=True, null=True)),
                        ('fix_overdue_marked_at', models.DateTimeField(blank=True, null=True)),
                        ('appeal_decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='rectifications', to='org.department', verbose_name='responsible department')),
                        ('handler', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='handler')),
                        ('rating', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='rectification', to='ratings.rating', verbose_name='rating')),
                    ],
                    options={
                        'verbose_name': 'rectification',
                        'db_table': 'services_rectification',
                        'verbose_name_plural': 'rectifications',
                        'ordering': ['fix_due_at', 'id'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='rating',
                    constraint=models.UniqueConstraint(fields=('content_type', 'object_id'), name='one_rating_per_case'),
                ),
                migrations.AddConstraint(
                    model_name='rating',
                    constraint=models.CheckConstraint(condition=models.Q(('score__gte', 1), ('score__lte', 5)), name='rating_score_1_to_5'),
                ),
                migrations.AddIndex(
                    model_name='rectification',
                    index=models.Index(fields=['department', 'status'], name='rect_department_status'),
                ),
                migrations.AddIndex(
                    model_name='rectification',
                    index=models.Index(condition=models.Q(('verify_overdue_marked_at', None)), fields=['verify_due_at'], name='rect_verify_unmarked'),
                ),
                migrations.AddIndex(
                    model_name='rectification',
                    index=models.Index(condition=models.Q(('fix_overdue_marked_at', None)), fields=['fix_due_at'], name='rect_fix_unmarked'),
                ),
            ],
        ),
        migrations.RunPython(content_types_follow, content_types_return),
        migrations.AlterModelTable(name='rating', table=None),
        migrations.AlterModelTable(name='rectification', table=None),
    ]
