"""The small team of ``tests/test_embedded_default.py``: seeded into the embedded default's
SQLite file, and its writes looked up there afterwards, through ``manage.py shell -c`` under
``config.settings.local`` — the same settings, file and processes as ``make run``.

Both functions print one line of JSON for the test to read.
"""

import json
from datetime import timedelta
from pathlib import Path

PASSWORD = "embedded-team-2026"  # the throwaway database's members
HABITS_PER_MEMBER = 2


def seed(members: int) -> None:
    """Create ``members`` members (a verified e-mail address, ``PASSWORD``, two daily habits
    started ten days ago), one verified mentor of free sessions, and a completed course with its certificate
    for the first member (the worker renders its PDF while the team writes)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import User
    from growth.tests.factories import HabitFactory
    from learning.models import Enrollment
    from learning.services.certificates import certificate_issue
    from learning.tests.factories import EnrollmentFactory
    from mentorship.tests.factories import MentorProfileFactory

    now = timezone.now()
    started = now.date() - timedelta(days=10)
    password = make_password(PASSWORD)  # hashed once: sixteen hashes would only cost time
    team = []
    for number in range(members):
        user = User.objects.create(
            email=f"member{number}@embedded.example",
            password=password,
            first_name=f"Member{number}",
            timezone="UTC",
            is_new_user=False,
            onboarding_completed_at=now,
        )
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
        habits = [
            HabitFactory(goal__user=user, start_period=started, seen_through=started) for _ in range(HABITS_PER_MEMBER)
        ]
        team.append({"email": user.email, "habits": [str(habit.pk) for habit in habits]})
    mentor = MentorProfileFactory(base_price_cents=0).user  # free sessions: no payment configured
    enrollment = EnrollmentFactory(
        user=User.objects.get(email=team[0]["email"]), status=Enrollment.Status.COMPLETED, completed_at=now
    )
    certificate_issue(enrollment=enrollment)
    print(json.dumps({"members": team, "mentor": str(mentor.pk)}))  # noqa: T201 — the test reads it


def missing(claims_path: str) -> None:
    """Print the writes of ``claims_path`` (what answered 2xx, as the test recorded it) that
    the database does not hold: todos (text and done), each member's last reflection of each
    day, habit ticks, bookings and sign-ins (their session tokens are session keys)."""
    from django.contrib.sessions.models import Session

    from growth.models import HabitCompletion, Reflection, Todo
    from mentorship.models import MentorshipSession

    claims = json.loads(Path(claims_path).read_text())
    absent: list[str] = []

    todos = {str(todo.pk): (todo.text, todo.done) for todo in Todo.objects.filter(pk__in=list(claims["todos"]))}
    for pk, (text, done) in claims["todos"].items():
        if todos.get(pk) != (text, done):
            absent.append(f"todo {pk} {text!r} done={done}: {todos.get(pk)}")

    reflections = {
        (reflection.user.email, reflection.date.isoformat()): reflection.text
        for reflection in Reflection.objects.select_related("user")
    }
    for email, day, text in claims["reflections"]:
        if reflections.get((email, day)) != text:
            absent.append(f"reflection of {email} on {day} {text!r}: {reflections.get((email, day))!r}")

    ticks = {
        (str(habit_id), period.isoformat())
        for habit_id, period in HabitCompletion.objects.values_list("habit_id", "period")
    }
    absent += [f"tick of habit {habit} on {day}" for habit, day in claims["ticks"] if (habit, day) not in ticks]

    sessions = {str(pk) for pk in MentorshipSession.objects.values_list("pk", flat=True)}
    absent += [f"booking {pk}" for pk in claims["bookings"] if pk not in sessions]

    keys = set(Session.objects.filter(session_key__in=claims["sign_ins"]).values_list("session_key", flat=True))
    absent += [f"sign-in {token[:8]}…" for token in claims["sign_ins"] if token not in keys]
    print(json.dumps(absent))  # noqa: T201 — the test reads it
