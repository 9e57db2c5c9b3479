"""``manage.py seed_demo``: demo accounts with known passwords (idempotent).

Running it again changes nothing that exists: users are matched by e-mail (a demo user
from before the welcome existed is marked as through it, so signing in shows the dashboard). Later apps add
their own demo data through :data:`core.registry.demo_seeders`.
"""

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.demo.seed import DEMO_PASSWORD, DEMO_USERS
from accounts.roles import role_permissions_sync
from accounts.selectors.onboarding import onboarding_is_pending
from accounts.selectors.users import user_get_by_email
from accounts.services.onboarding import onboarding_complete, onboarding_intents_set
from accounts.services.users import user_create_verified
from core.registry import demo_seeders


class Command(BaseCommand):
    help = "Create demo users of every role (and each app's demo data). Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        role_permissions_sync()
        created = 0
        for spec in DEMO_USERS:
            user = user_get_by_email(email=spec.email)
            if user is None:
                user = user_create_verified(
                    email=spec.email,
                    password=DEMO_PASSWORD,
                    first_name=spec.first_name,
                    last_name=spec.last_name,
                    title=spec.title,
                    is_staff=spec.is_staff,
                    is_superuser=spec.is_superuser,
                    timezone=spec.timezone,
                    is_new_user=False,
                    intents=list(spec.intents),
                    onboarding_completed_at=timezone.now(),
                )
                created += 1
            elif onboarding_is_pending(user=user):
                # A demo database from before the welcome: its people have been through it.
                onboarding_intents_set(user=user, intents=spec.intents)
                user = onboarding_complete(user=user)
            if spec.groups:
                user.groups.add(*Group.objects.filter(name__in=spec.groups))
        for seeder in demo_seeders.all():
            seeder.run()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} new users)."))
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for spec in DEMO_USERS:
            self.stdout.write(f"  {spec.role:<10} {spec.email}")
