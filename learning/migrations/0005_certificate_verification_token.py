"""Certificates get a random verification code (the public page names the holder only to
whoever has it): the column is added empty, every existing certificate gets its own code,
then 0006 makes it required and unique."""

import secrets

from django.db import migrations, models

BATCH = 500


def fill_codes(apps, schema_editor):
    Certificate = apps.get_model("learning", "Certificate")
    pending = Certificate.objects.filter(verification_token__isnull=True).only("pk")
    while batch := list(pending[:BATCH]):
        for certificate in batch:
            certificate.verification_token = secrets.token_urlsafe(16)
        Certificate.objects.bulk_update(batch, ["verification_token"])


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0004_stripe_event_review"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="verification_token",
            field=models.CharField(editable=False, max_length=32, null=True, verbose_name="verification code"),
        ),
        migrations.RunPython(fill_codes, migrations.RunPython.noop, elidable=True),
    ]
