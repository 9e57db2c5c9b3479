"""``manage.py seed_scale``: the benchmark data set (issue 10), built in bulk.

Runs every app's :class:`core.registry.ScaleSeeder` once: ≥ 10,000 users, 200 courses and
50,000 enrolments, 1,000 mentors and 20,000 sessions, 1,000,000 habit completions (among
them a heavy user with 20 habits × 3 years) and 100,000 reflections. ``--factor`` scales
it down (tests). It refuses to run twice on one database.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.demo.scale import HEAVY_EMAIL, NEWCOMER_EMAIL, SCALE_PASSWORD
from accounts.models import User
from core.registry import ScaleContext, scale_seeders


class Command(BaseCommand):
    help = "Build the large benchmark data set in bulk (PostgreSQL COPY when available)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--factor", type=float, default=1.0, help="Size factor (1.0 = the full set).")

    def handle(self, *args, factor: float, **options) -> None:
        if not 0 < factor <= 10:
            raise CommandError("--factor must be in (0, 10].")
        if User.objects.filter(email=HEAVY_EMAIL).exists():
            raise CommandError("The scale data set is already here (seed_scale runs once per database).")
        context = ScaleContext(factor=factor)
        started = time.monotonic()
        with transaction.atomic():
            for seeder in scale_seeders.all():
                begun = time.monotonic()
                seeder.run(context)
                self.stdout.write(f"  {seeder.key:<24} {time.monotonic() - begun:6.1f} s")
        self.stdout.write(self.style.SUCCESS(f"Scale data set ready in {time.monotonic() - started:.0f} s:"))
        for label, count in context.counts.items():
            self.stdout.write(f"  {label:<24} {count:>10,}")
        self.stdout.write(f"Sign-ins (password {SCALE_PASSWORD}): {HEAVY_EMAIL} (heavy), {NEWCOMER_EMAIL} (new)")
