"""The assessment's shipped question bank, taxonomy and keywords (``learning.assessment_bank``)
are installed by ``migrate`` (issues 18, 19), so a fresh install without the demo has a
working assessment. Idempotent: a bank that already has questions (the demo's, or one staff
started) is left alone. Going back is a no-op — the rows may be in use by then.

``settings.ASSESSMENT_BANK_ON_MIGRATE`` (true by default) turns it off; the test settings do,
because tests build their own catalogue and a test that flushes the database would remove
the rows anyway — ``learning/tests/test_assessment_bank.py`` runs this migration on a fresh
database with it on."""

from django.conf import settings
from django.db import migrations

from learning.assessment_bank import bank_install


def install_bank(apps, schema_editor):
    if not getattr(settings, "ASSESSMENT_BANK_ON_MIGRATE", True):
        return
    bank_install(
        category_model=apps.get_model("learning", "Category"),
        question_model=apps.get_model("learning", "AssessmentQuestion"),
        keyword_model=apps.get_model("learning", "CareerKeyword"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0012_chat_message_engine"),
    ]

    operations = [
        migrations.RunPython(install_bank, migrations.RunPython.noop),
    ]
