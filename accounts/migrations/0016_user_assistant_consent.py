from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0015_announcements"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="assistant_consent_at",
            field=models.DateTimeField(
                blank=True,
                help_text=(
                    "When the person agreed that their chat answers and reflections may be sent to the "
                    "language-model provider; empty: never agreed, or withdrawn."
                ),
                null=True,
                verbose_name="assistant consent given at",
            ),
        ),
    ]
