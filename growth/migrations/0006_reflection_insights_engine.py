"""A reflection's generated insights record which engine wrote them (the built-in statistics or a
language model), with the model, prompt version and tokens (issue 19). Insights written before
were all the statistics' ("trend"); going back drops the fields."""

from django.db import migrations, models


def mark_existing_as_trend(apps, schema_editor):
    Reflection = apps.get_model("growth", "Reflection")
    Reflection.objects.exclude(ai_insights="").update(insights_engine="trend")


class Migration(migrations.Migration):
    dependencies = [
        ("growth", "0005_first_step_badges"),
    ]

    operations = [
        migrations.AddField(
            model_name="reflection",
            name="insights_completion_tokens",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="insights completion tokens"),
        ),
        migrations.AddField(
            model_name="reflection",
            name="insights_engine",
            field=models.CharField(blank=True, max_length=40, verbose_name="insights engine"),
        ),
        migrations.AddField(
            model_name="reflection",
            name="insights_fallback_reason",
            field=models.CharField(blank=True, max_length=40, verbose_name="insights fallback reason"),
        ),
        migrations.AddField(
            model_name="reflection",
            name="insights_model",
            field=models.CharField(blank=True, max_length=200, verbose_name="insights model"),
        ),
        migrations.AddField(
            model_name="reflection",
            name="insights_prompt_tokens",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="insights prompt tokens"),
        ),
        migrations.AddField(
            model_name="reflection",
            name="insights_prompt_version",
            field=models.CharField(blank=True, max_length=40, verbose_name="insights prompt version"),
        ),
        migrations.RunPython(mark_existing_as_trend, migrations.RunPython.noop),
    ]
