"""Badges store the key of their icon in the sprite (static/img/icons.svg) instead of an emoji,
which a device without an emoji font draws as an empty box (issue 16). A badge's icon follows
from its type, so every stored badge takes its type's key; going back restores the emoji."""

from django.db import migrations, models

# Type -> (icon key, the emoji stored before). Emoji written as escapes: no emoji in the code.
ICONS = {
    "streak": ("flame", "\U0001f525"),
    "consistency": ("trending-up", "\U0001f4c8"),
    "reflection": ("pencil", "\U0001f4dd"),
    "identity_builder": ("compass", "\U0001f9ed"),
    "milestone": ("graduation-cap", "\U0001f393"),
    "session_completion": ("users", "\U0001f91d"),
    "mentor_verified": ("shield-check", "\u2705"),
}


def icons_to_keys(apps, schema_editor):
    Badge = apps.get_model("growth", "Badge")
    for badge_type, (key, _emoji) in ICONS.items():
        Badge.objects.filter(type=badge_type).exclude(icon=key).update(icon=key)


def keys_to_icons(apps, schema_editor):
    Badge = apps.get_model("growth", "Badge")
    for badge_type, (_key, emoji) in ICONS.items():
        Badge.objects.filter(type=badge_type).exclude(icon=emoji).update(icon=emoji)


class Migration(migrations.Migration):
    dependencies = [
        ("growth", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="badge",
            name="icon",
            field=models.CharField(
                help_text="Key of the badge's icon in the sprite static/img/icons.svg, e.g. flame.",
                max_length=40,
                verbose_name="icon",
            ),
        ),
        migrations.RunPython(icons_to_keys, keys_to_icons, elidable=True),
    ]
