"""The first-step badge (issue 18) rewards a first habit tick. People who ticked a habit off
before it existed get it here, dated by their first completion, without a notification (the
nightly sweep would otherwise announce it to everyone at once); going back removes them."""

from django.db import migrations
from django.db.models import Min

TITLE = "First step"
DESCRIPTION = "You ticked off your first habit: two minutes, and it has begun."
ICON = "check-circle"


def award_first_steps(apps, schema_editor):
    Badge = apps.get_model("growth", "Badge")
    HabitCompletion = apps.get_model("growth", "HabitCompletion")
    holders = set(Badge.objects.filter(type="first_step", level=1).values_list("user_id", flat=True))
    firsts = HabitCompletion.objects.values("user_id").annotate(first=Min("completed_at")).order_by()
    Badge.objects.bulk_create(
        [
            Badge(
                user_id=row["user_id"],
                type="first_step",
                level=1,
                title=TITLE,
                description=DESCRIPTION,
                icon=ICON,
                metadata={"backfilled": True},
                earned_at=row["first"],
            )
            for row in firsts
            if row["user_id"] not in holders
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )


def remove_first_steps(apps, schema_editor):
    apps.get_model("growth", "Badge").objects.filter(type="first_step").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("growth", "0004_goal_decline_first_step_badge"),
    ]

    operations = [
        migrations.RunPython(award_first_steps, remove_first_steps, elidable=True),
    ]
