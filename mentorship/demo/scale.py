"""Mentorship's part of the benchmark data set (``manage.py seed_scale``): ``n(1,000)``
verified mentors across the categories and ``n(20,000)`` sessions between them and the
members — one per hour back through time (past ones completed, cancelled or missed, the
last few confirmed ahead), so no two pending or confirmed sessions ever overlap."""

from datetime import timedelta

from django.utils import timezone

from accounts.demo.scale import bulk_insert
from core.api.caching import list_cache_bump
from core.registry import ScaleContext
from learning.selectors.catalog import subcategory_parent_pairs
from mentorship.models import MentorProfile, MentorshipSession
from mentorship.services.ratings import MENTORS_LIST_NAMESPACE

LOCATIONS = ("Atlanta, GA", "Berlin", "London", "Lagos", "Mumbai", "Toronto", "Sydney", "Chicago, IL")
ETHNICITIES = ("", "African American", "Hispanic", "South Asian", "East Asian", "White", "Mixed")


def seed_mentorship_scale(context: ScaleContext) -> None:
    rng = context.rng
    now = timezone.now()
    mentor_ids = context.user_ids[: context.n(1_000)]
    subcategories = subcategory_parent_pairs()
    profiles = []
    for index, user_id in enumerate(mentor_ids):
        profiles.append(
            MentorProfile(
                user_id=user_id,
                headline=f"Mentor {index} — practical guidance",
                bio="Years of practice, happy to share them. " * 6,
                location=LOCATIONS[index % len(LOCATIONS)],
                ethnicity=ETHNICITIES[index % len(ETHNICITIES)],
                expertise=["Mixing", "Songwriting", "Career"][: 1 + index % 3],
                years_experience=rng.randint(2, 30),
                meeting_link=f"https://meet.example/mentor-{index}",
                base_price_cents=rng.choice((0, 4000, 6000, 9000)),
                status=MentorProfile.Status.VERIFIED,
                verified_at=now - timedelta(days=rng.randint(30, 700)),
                rating=rng.choice(("4.2", "4.5", "4.8", "5.0", "3.9")),
                review_count=rng.randint(0, 40),
                total_sessions=rng.randint(0, 60),
            )
        )
    context.count("mentor profiles", bulk_insert(MentorProfile, iter(profiles)))
    categories = MentorProfile.categories.through
    subs = MentorProfile.subcategories.through
    picks = [subcategories[index % len(subcategories)] for index in range(len(profiles))]
    categories.objects.bulk_create(
        [categories(mentorprofile_id=p.pk, category_id=pick[1]) for p, pick in zip(profiles, picks, strict=True)]
    )
    subs.objects.bulk_create(
        [subs(mentorprofile_id=p.pk, category_id=pick[0]) for p, pick in zip(profiles, picks, strict=True)]
    )

    total = context.n(20_000)
    upcoming = min(50, total // 10)
    mentees = context.user_ids[len(mentor_ids) :] or context.user_ids
    first_start = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=total - upcoming)
    statuses = (MentorshipSession.Status.COMPLETED,) * 8 + (
        MentorshipSession.Status.CANCELLED,
        MentorshipSession.Status.NO_SHOW,
    )

    def sessions():
        for index in range(total):
            start = first_start + timedelta(hours=index)
            future = start > now
            status = MentorshipSession.Status.CONFIRMED if future else statuses[index % len(statuses)]
            yield MentorshipSession(
                mentor_id=mentor_ids[index % len(mentor_ids)],
                mentee_id=mentees[(index * 13) % len(mentees)],
                type=MentorshipSession.Type.VIRTUAL,
                start_at=start,
                duration_minutes=45,
                end_at=start + timedelta(minutes=45),
                status=status,
                price_cents=6000,
                topic="Next steps",
                meeting_link="https://meet.example/session",
                confirmed_at=start - timedelta(days=2),
                completed_at=start + timedelta(minutes=45) if status == MentorshipSession.Status.COMPLETED else None,
                cancelled_at=start - timedelta(days=1) if status == MentorshipSession.Status.CANCELLED else None,
                rating=rng.randint(3, 5) if status == MentorshipSession.Status.COMPLETED and index % 3 == 0 else None,
            )

    context.count("mentorship sessions", bulk_insert(MentorshipSession, sessions()))
    # Inserted without signals: a directory cached from another data set (the benchmark's
    # other size, with the same Redis) is never served over this one.
    list_cache_bump(MENTORS_LIST_NAMESPACE)
