"""Demo data for ``manage.py seed_demo``: accounts of every role with known passwords, and
their profiles, notifications and files (seeders registered from ``AccountsConfig.ready()``).
"""

from dataclasses import dataclass, field

from ..roles import ADMIN, MANAGER

DEMO_PASSWORD = "ascend-demo-2026"  # noqa: S105 — published on purpose: demo sign-ins only


@dataclass(frozen=True)
class DemoUser:
    role: str
    email: str
    first_name: str
    last_name: str
    title: str = ""
    timezone: str = "UTC"
    is_staff: bool = False
    is_superuser: bool = False
    groups: tuple[str, ...] = field(default_factory=tuple)
    # What brought them here: demo people have been through the welcome.
    intents: tuple[str, ...] = ("learn",)


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser(
        "admin",
        "admin@ascend.example",
        "Ada",
        "Admin",
        "Platform administrator",
        is_staff=True,
        is_superuser=True,
        groups=(ADMIN,),
    ),
    DemoUser(
        "manager",
        "manager@ascend.example",
        "Milo",
        "Manager",
        "Community manager",
        timezone="Europe/London",
        is_staff=True,
        groups=(MANAGER,),
    ),
    DemoUser(
        "learner",
        "learner@ascend.example",
        "Lena",
        "Learner",
        "Aspiring music producer",
        timezone="America/Los_Angeles",
        intents=("learn", "mentor", "habits"),
    ),
    DemoUser(
        "instructor", "instructor@ascend.example", "Ines", "Instructor", "Audio engineer", timezone="America/New_York"
    ),
    DemoUser("mentor", "mentor@ascend.example", "Marcus", "Mentor", "Record producer", timezone="America/Chicago"),
    DemoUser(
        "therapist", "therapist@ascend.example", "Thea", "Therapist", "Licensed counsellor", timezone="Europe/Berlin"
    ),
    DemoUser("client", "client@ascend.example", "Cal", "Client", "Songwriter", timezone="Australia/Sydney"),
)


DEMO_PROFILES: dict[str, list[tuple[str, str, dict]]] = {
    "learner@ascend.example": [
        ("Personal", "personal", {"pronouns": "she/her", "favourite genres": ["lo-fi", "neo-soul"]}),
        (
            "Producer portfolio",
            "professional",
            {
                "jobTitle": "Bedroom producer",
                "skills": ["Ableton", "Mixing"],
                "links": {"soundcloud": "https://soundcloud.example/lena"},
            },
        ),
    ],
    "mentor@ascend.example": [
        ("Studio", "professional", {"studio": "Northside Sound", "years": 14, "credits": ["Gold record 2019"]}),
    ],
    "client@ascend.example": [("Personal", "personal", {"pronouns": "they/them"})],
}


def seed_profiles() -> None:
    """Profiles for a few demo users; the first one of each becomes their default."""
    from ..models import Profile
    from ..selectors.users import user_get_by_email
    from ..services.profiles import profile_create

    for email, profiles in DEMO_PROFILES.items():
        user = user_get_by_email(email=email)
        if user is None or Profile.objects.filter(user=user).exists():
            continue
        for name, kind, custom_fields in profiles:
            profile_create(user=user, name=name, type=kind, custom_fields=custom_fields)


# (type, title, message, URL name of the action, hours ago, read)
DEMO_NOTIFICATIONS: dict[str, list[tuple[str, str, str, str, int, bool]]] = {
    "learner@ascend.example": [
        (
            "system",
            "Welcome to Ascend",
            "Your dashboard gathers today's habits, courses and sessions.",
            "dashboard",
            96,
            True,
        ),
        (
            "system",
            "Protect your account with two-factor authentication",
            "It takes a minute with an authenticator app.",
            "mfa_index",
            50,
            False,
        ),
        ("reflection_reminder", "Time for your weekly reflection", "What went well this week?", "dashboard", 30, True),
        (
            "badge_earned",
            "You earned the “First steps” badge",
            "Seven days of showing up. Keep going!",
            "dashboard",
            20,
            False,
        ),
        (
            "session_confirmed",
            "Marcus Mentor confirmed your session",
            "Mixing feedback, Thursday 17:00 (your time). The meeting link is in the session.",
            "dashboard",
            4,
            False,
        ),
    ],
    "mentor@ascend.example": [
        (
            "mentor_verified",
            "Your mentor profile is verified",
            "Learners can now find you in the directory.",
            "dashboard",
            120,
            True,
        ),
        ("session_requested", "Lena Learner asked for a session", "Topic: mixing feedback.", "dashboard", 5, False),
    ],
    "instructor@ascend.example": [
        ("submission_received", "A new submission is waiting to be graded", "", "dashboard", 8, False),
    ],
    "therapist@ascend.example": [
        (
            "therapy_request",
            "Cal Client asked to work with you",
            "Accept or decline the request.",
            "dashboard",
            10,
            False,
        ),
    ],
    "client@ascend.example": [
        (
            "system",
            "Choose which notifications reach your inbox",
            "Everything shows up here; pick what you also want by e-mail.",
            "accounts:notification-preferences",
            40,
            False,
        ),
        ("message_received", "Thea Therapist sent you a message", "", "dashboard", 3, True),
    ],
}


def seed_notifications() -> None:
    """Read and unread notifications of several types for the demo users, each created
    once (matched by user, type and title); no e-mail copies are sent."""
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone

    from ..models import Notification
    from ..selectors.users import user_get_by_email
    from ..services.notifications import notification_mark_read, notification_send

    now = timezone.now()
    for email, notifications in DEMO_NOTIFICATIONS.items():
        user = user_get_by_email(email=email)
        if user is None:
            continue
        existing = set(Notification.objects.filter(user=user).values_list("type", "title"))
        for kind, title, message, url_name, hours_ago, read in notifications:
            if (kind, title) in existing:
                continue
            notification = notification_send(
                user=user, type=kind, title=title, message=message, action_url=reverse(url_name), email=False
            )
            # Spread over the past days so the list looks lived in (demo data only).
            Notification.objects.filter(pk=notification.pk).update(created_at=now - timedelta(hours=hours_ago))
            if read:
                notification_mark_read(user=user, notification=notification)


DEMO_PRACTICE_PLAN = """Practice plan — spring
Mon  20 min  drum programming: one new groove a day
Wed  20 min  sound design: resample a vocal chop
Fri  30 min  arrangement: finish one 8-bar loop into a 1-minute sketch
Sun  10 min  listen back and write down one thing to try next week
"""
DEMO_PRACTICE_LOG = "date,minutes,focus\n2026-03-02,20,drums\n2026-03-04,25,sound design\n2026-03-06,30,arrangement\n"


def seed_files() -> None:
    """A few files and a photo for the demo learner, uploaded through the file services
    (so they are checked and laid out like real uploads); files already there are kept."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ..models import StoredFile
    from ..selectors.users import user_get_by_email
    from ..services.avatars import avatar_set
    from ..services.files import file_upload
    from .images import gradient_png, portrait_png

    user = user_get_by_email(email="learner@ascend.example")
    if user is None:
        return
    files = [
        ("cover-art.png", gradient_png(96, ((31, 78, 140), (236, 112, 99))), ["artwork"], True),
        ("practice-plan.txt", DEMO_PRACTICE_PLAN.encode(), ["practice", "music"], False),
        ("practice-log.csv", DEMO_PRACTICE_LOG.encode(), ["practice"], False),
    ]
    existing = set(StoredFile.objects.filter(uploaded_by=user).values_list("original_name", flat=True))
    for name, content, tags, is_public in files:
        if name not in existing:
            file_upload(user=user, uploaded_file=SimpleUploadedFile(name, content), tags=tags, is_public=is_public)
    if not user.avatar:
        photo = SimpleUploadedFile("lena.png", portrait_png(seed=user.email, look=(1, 2, 1)))
        avatar_set(user=user, uploaded_file=photo)


def seed_announcements() -> None:
    """One announcement sent to everyone (each demo user has it among their notifications;
    admin shows it sent, n of n) and a draft for premium members, to send from admin. Made
    once, matched by title, through the services."""
    from ..models import Announcement
    from ..services.announcements import announcement_draft_save, announcement_queue, announcement_send_batch

    if not Announcement.objects.filter(title="New: category colours and lesson summaries").exists():
        sent = announcement_draft_save(
            announcement=None,
            title="New: category colours and lesson summaries",
            message="Every course outline now says what each lesson covers, and each field has its own colour.",
            action_url="/learn/courses/",
        )
        announcement_queue(announcement=sent)
        while announcement_send_batch(announcement_id=str(sent.pk)):
            pass
    if not Announcement.objects.filter(title="Premium members' evening").exists():
        announcement_draft_save(
            announcement=None,
            title="Premium members' evening",
            message="Meet the mentors in person on the first Friday of the month.",
            audience="tier:premium",
        )
