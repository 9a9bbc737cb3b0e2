"""The policy's reminder share is named as in the other kinds of case (`at_risk_ratio`): a rename,
the stored values stay."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("feedback", "0008_content_type_detected_at_upload")]

    operations = [
        migrations.RemoveConstraint(model_name="escalationpolicy", name="escalation_policy_ratio"),
        migrations.RenameField(model_name="escalationpolicy", old_name="remind_ratio", new_name="at_risk_ratio"),
        migrations.AddConstraint(
            model_name="escalationpolicy",
            constraint=models.CheckConstraint(
                condition=models.Q(("at_risk_ratio__gt", 0), ("at_risk_ratio__lt", 1)),
                name="escalation_policy_ratio",
            ),
        ),
    ]
