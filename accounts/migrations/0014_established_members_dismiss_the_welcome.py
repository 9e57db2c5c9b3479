"""Members who had signed in before the welcome existed are not offered it on the dashboard.

0013 counts the welcome as skipped for them (no redirect), but a skipped welcome is still
offered ("Finish setting up") — to every established member, at every visit. This marks
it dismissed too, at their latest sign-in, as hiding the offer would have: it stays in the
settings for whoever wants it. Members who finished or dismissed it keep their times.
"""

from django.db import migrations
from django.db.models import F
from django.db.models.functions import Coalesce


def established_members_dismiss_the_welcome(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    User.objects.filter(
        last_login__isnull=False, onboarding_completed_at__isnull=True, onboarding_dismissed_at__isnull=True
    ).update(
        onboarding_dismissed_at=F("last_login"),
        onboarding_skipped_at=Coalesce(F("onboarding_skipped_at"), F("last_login")),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0013_user_onboarding"),
    ]

    operations = [
        migrations.RunPython(established_members_dismiss_the_welcome, migrations.RunPython.noop),
    ]
