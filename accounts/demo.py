"""Demo data for ``manage.py seed_demo``: accounts of every role with known passwords.

Higher apps add their own demo data by registering a :class:`DemoSeeder` in
:data:`demo_seeders` from ``AppConfig.ready()``; each seeder must be idempotent.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from .registry import Registry
from .roles import ADMIN, MANAGER

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


@dataclass(frozen=True)
class DemoSeeder:
    """An app's demo data; ``run`` creates what is missing and leaves the rest alone."""

    key: str
    run: Callable[[], None]
    order: int = 100


demo_seeders: Registry[DemoSeeder] = Registry()


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
    from .models import Profile
    from .selectors import user_get_by_email
    from .services import profile_create

    for email, profiles in DEMO_PROFILES.items():
        user = user_get_by_email(email=email)
        if user is None or Profile.objects.filter(user=user).exists():
            continue
        for name, kind, custom_fields in profiles:
            profile_create(user=user, name=name, type=kind, custom_fields=custom_fields)


demo_seeders.register(DemoSeeder("accounts.profiles", seed_profiles, order=10))
