from django.db import migrations, models

import learning.models.certificates


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0005_certificate_verification_token"),
    ]

    operations = [
        migrations.AlterField(
            model_name="certificate",
            name="verification_token",
            field=models.CharField(
                default=learning.models.certificates.certificate_verification_token_new,
                editable=False,
                max_length=32,
                unique=True,
                verbose_name="verification code",
            ),
        ),
    ]
