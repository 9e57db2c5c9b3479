"""Demo mentors, venues and reviews for ``manage.py seed_demo`` (order 70): the demo mentor
and eight more verified mentors across categories, locations and ethnicities, each with a
photo (two of them volunteers whose sessions are free, the others paid), one pending
application, venues of each partnership tier and a non-partner, and a few reviews (general
and about a session), each resting on a completed session (written as it would stand today)
as reviews must. Mentors mentor in English and some in other languages too; the demo
learner tells interests, a city and languages, so suggested mentors show why; the demo
mentor advises the learner's newest pathway (a step added, with notes). Everything
else goes through the services (verification notifies, reviews refresh ratings, photos are
set as the person's avatar). Idempotent: people by e-mail, profiles by user, photos when
missing, venues by name and city, reviews by author and target, sessions by topic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.text import slugify

from accounts.demo.images import portrait_png
from accounts.demo.seed import DEMO_PASSWORD
from accounts.selectors.users import user_get_by_email
from accounts.services.avatars import avatar_set
from accounts.services.users import user_create_verified, user_update
from core.storage import public_storage
from learning.selectors.catalog import category_list_by_slugs
from learning.selectors.pathways import pathway_get_for_advisor, pathway_list_for_advisor
from learning.services.pathways import pathway_steps_rewrite
from learning.services.payments_demo import payment_demo_record
from mentorship.models import MentorProfile, MentorshipSession, Review, Venue
from mentorship.selectors.sessions import PAYMENT_KIND
from mentorship.services.pricing import session_price
from mentorship.services.profiles import mentee_languages_set, mentor_apply, mentor_verify
from mentorship.services.reviews import review_create
from mentorship.services.venues import venue_save

if TYPE_CHECKING:
    from accounts.models import User

STAFF = "admin@ascend.example"


@dataclass(frozen=True)
class DemoMentor:
    email: str
    first_name: str
    last_name: str
    timezone: str
    category: str
    subcategories: tuple[str, ...]
    headline: str
    bio: str
    location: str
    expertise: tuple[str, ...]
    years: int
    price_cents: int
    race: str = ""
    ethnicity: str = ""
    verified: bool = True
    extra_categories: tuple[str, ...] = field(default=())


MENTORS: tuple[DemoMentor, ...] = (
    DemoMentor(
        "mentor@ascend.example",
        "Marcus",
        "Mentor",
        "America/Chicago",
        "Music",
        ("Producer", "Audio Engineer"),
        "Record producer helping first releases sound finished",
        "Fifteen years producing hip hop and R&B records in Chicago and Atlanta. I help new producers finish "
        "tracks, build a sound and get their first placements.",
        "Chicago, IL",
        ("Hip Hop", "R&B", "Sound Engineering"),
        15,
        8000,
        "Black",
        "African American",
        extra_categories=("Career",),
    ),
    DemoMentor(
        "sarah.johnson@ascend.example",
        "Sarah",
        "Johnson",
        "America/New_York",
        "Music",
        ("Songwriter", "DJ"),
        "Songwriter and DJ: hooks, sets and the business of music",
        "Top-line writer with cuts on independent labels; I DJ weekly and teach how to read a room.",
        "Atlanta, GA",
        ("Songwriting", "DJing", "Publishing"),
        12,
        6000,
        "Black",
        "African American",
    ),
    DemoMentor(
        "diego.ramirez@ascend.example",
        "Diego",
        "Ramírez",
        "America/Los_Angeles",
        "Film & Television",
        ("Directing", "Cinematography"),
        "Director of photography for indie features",
        "I shot three festival features on small budgets. Bring your short film plan and we will make it doable.",
        "Los Angeles, CA",
        ("Lighting", "Low-budget shoots", "Storyboarding"),
        11,
        9000,
        "",
        "Mexican American",
    ),
    DemoMentor(
        "amara.okeke@ascend.example",
        "Amara",
        "Okeke",
        "Europe/London",
        "Film & Television",
        ("Screenwriting", "Editing"),
        "Screenwriter: structure, rewrites and pitching",
        "BBC-commissioned writer. I help writers find the spine of a script and pitch it in five minutes.",
        "London, UK",
        ("Story structure", "Pitching", "Rewrites"),
        9,
        7000,
        "Black",
        "Nigerian British",
    ),
    DemoMentor(
        "priya.nair@ascend.example",
        "Priya",
        "Nair",
        "Asia/Kolkata",
        "Career",
        ("Negotiation", "Leadership"),
        "Negotiation coach for creatives who undercharge",
        "Former talent agent. I teach walk-away numbers, rate cards and the first management job.",
        "Bengaluru, India",
        ("Salary negotiation", "Rate cards", "First-time managers"),
        14,
        10000,
        "",
        "Indian",
    ),
    DemoMentor(
        "tom.becker@ascend.example",
        "Tom",
        "Becker",
        "Europe/Berlin",
        "Fitness",
        ("Strength", "Mobility"),
        "Strength coach for people who sit all day",
        "Ten minutes a day of the right moves beats an hour you never do. I build tiny routines that stick.",
        "Berlin, Germany",
        ("Desk mobility", "Kettlebells", "Habit design"),
        8,
        0,
        "White",
        "German",
    ),
    DemoMentor(
        "kenji.watanabe@ascend.example",
        "Kenji",
        "Watanabe",
        "Asia/Tokyo",
        "Games",
        ("Game Design", "Game Programming"),
        "Game designer: from jam prototype to Steam page",
        "Shipped four indie games. I help teams cut scope and find the fun in the first week.",
        "Tokyo, Japan",
        ("Game jams", "Unity", "Scope control"),
        10,
        7500,
        "Asian",
        "Japanese",
    ),
    DemoMentor(
        "lucia.moreno@ascend.example",
        "Lucía",
        "Moreno",
        "America/New_York",
        "Visual Arts",
        ("Illustration", "Graphic Design"),
        "Illustrator for books and brands",
        "Picture books, album covers and brand systems. Portfolio reviews that tell you what to cut.",
        "New York, NY",
        ("Portfolio reviews", "Children's books", "Branding"),
        13,
        6500,
        "",
        "Puerto Rican",
    ),
    DemoMentor(
        "grace.kim@ascend.example",
        "Grace",
        "Kim",
        "America/Chicago",
        "Writing & Publishing",
        ("Fiction", "Journalism"),
        "Novelist and editor: finish the draft",
        "Two novels out, ten years editing a magazine. Deadlines, feedback and querying agents.",
        "Chicago, IL",
        ("Querying agents", "Editing", "Short fiction"),
        12,
        0,
        "Asian",
        "Korean American",
    ),
    DemoMentor(
        "noah.williams@ascend.example",
        "Noah",
        "Williams",
        "America/Denver",
        "Music",
        ("Audio Engineer",),
        "Live sound engineer (application pending)",
        "Front-of-house engineer for touring bands; I want to help new engineers read a stage.",
        "Denver, CO",
        ("Live sound", "Mixing"),
        6,
        4500,
        verified=False,
    ),
)

# How each mentor's illustrated photo looks: (skin tone, hair colour, hair style) indexes of
# accounts.demo.images (styles: 0 fringe, 1 long, 2 bun, 3 close-cropped).
PORTRAIT_LOOKS: dict[str, tuple[int, int, int]] = {
    "mentor@ascend.example": (5, 0, 3),
    "sarah.johnson@ascend.example": (4, 0, 2),
    "diego.ramirez@ascend.example": (2, 0, 3),
    "amara.okeke@ascend.example": (5, 0, 1),
    "priya.nair@ascend.example": (3, 0, 1),
    "tom.becker@ascend.example": (0, 3, 3),
    "kenji.watanabe@ascend.example": (1, 0, 0),
    "lucia.moreno@ascend.example": (2, 1, 1),
    "grace.kim@ascend.example": (1, 0, 2),
    "noah.williams@ascend.example": (0, 2, 3),
}

# (name, type, address, city, state, zip, capacity, amenities, tier)
VENUES: tuple[tuple[str, str, str, str, str, str, int, tuple[str, ...], str], ...] = (
    (
        "Harold Washington Library Studio",
        "library",
        "400 S State St",
        "Chicago",
        "IL",
        "60605",
        12,
        ("Wi-Fi", "Recording booth", "Quiet rooms"),
        "gold",
    ),
    (
        "The Loft Co-working",
        "co_working",
        "1 Peachtree Center",
        "Atlanta",
        "GA",
        "30303",
        40,
        ("Wi-Fi", "Meeting rooms", "Coffee"),
        "silver",
    ),
    (
        "Sunset Bean Café",
        "cafe",
        "6200 Sunset Blvd",
        "Los Angeles",
        "CA",
        "90028",
        20,
        ("Wi-Fi", "Outdoor seating"),
        "bronze",
    ),
    (
        "Eastside Community Center",
        "community_center",
        "55 Grand St",
        "New York",
        "NY",
        "10013",
        80,
        ("Hall", "Projector", "Step-free access"),
        "",
    ),
)

# (author, target, rating, comment)
# The languages each demo mentor mentors in (suggested mentors match them); English else.
LANGUAGES: dict[str, tuple[str, ...]] = {
    "diego.ramirez@ascend.example": ("English", "Spanish"),
    "priya.nair@ascend.example": ("English", "Hindi"),
    "tom.becker@ascend.example": ("German", "English"),
    "kenji.watanabe@ascend.example": ("Japanese", "English"),
    "lucia.moreno@ascend.example": ("Spanish", "English"),
    "amara.okeke@ascend.example": ("English", "French"),
}
# What the demo learner tells for suggested mentors (set when they told nothing yet):
# interests shared with Marcus's expertise, the city of a film mentor, two languages.
LEARNER = "learner@ascend.example"
LEARNER_INTERESTS = ("Hip Hop", "Sound Engineering")
LEARNER_LOCATION = "Los Angeles, CA"
LEARNER_LANGUAGES = ("English", "Spanish")
# The demo mentor's advice on the learner's newest pathway (a step added, with notes).
ADVISING_MENTOR = "mentor@ascend.example"
ADVICE_STEP = {
    "title": "Finish one beat a week",
    "description": "Bounce it, even unmixed, and send it to your mentor before the next session.",
    "resources": [],
    "estimated_time": "1 hour a day",
}
ADVICE_NOTES = "Finishing beats teaches more than starting them: one a week, then we pick the best for your EP."
# (author, mentor, rating, comment, topic of the completed session it rests on, about that
# session?) — a review needs a completed session together; the first days after it.
REVIEWS: tuple[tuple[str, str, int, str, str, bool], ...] = (
    (
        "learner@ascend.example",
        "mentor@ascend.example",
        5,
        "Marcus listened to my beat once and knew what was off.",
        "Demo: a first listen",
        True,
    ),
    (
        "client@ascend.example",
        "mentor@ascend.example",
        4,
        "Practical and kind; we ran over time, in a good way.",
        "Demo: where to start with production",
        False,
    ),
    (
        "learner@ascend.example",
        "sarah.johnson@ascend.example",
        5,
        "My hooks are finally hooks.",
        "Demo: writing a hook",
        True,
    ),
    (
        "learner@ascend.example",
        "priya.nair@ascend.example",
        5,
        "I raised my rate by 40 % the next week.",
        "Demo: pricing my freelance work",
        False,
    ),
    (
        "mentor@ascend.example",
        "diego.ramirez@ascend.example",
        4,
        "Great eye for light on no budget.",
        "Demo: lighting a cover shoot",
        True,
    ),
)
# The completed sessions reviews rest on took place this many days ago.
REVIEWED_SESSION_DAYS_AGO = 40


def _user(spec: DemoMentor) -> User:
    user = user_get_by_email(email=spec.email)
    if user is None:
        user = user_create_verified(
            email=spec.email,
            password=DEMO_PASSWORD,
            first_name=spec.first_name,
            last_name=spec.last_name,
            timezone=spec.timezone,
            location=spec.location,
        )
    return user


def _photo(user: User) -> None:
    """An illustrated portrait as the mentor's photo, through the avatar service (checked,
    resized and stored like an upload), unless their photo is stored already."""
    if user.avatar.name and public_storage().exists(user.avatar.name):
        return
    portrait = portrait_png(seed=user.email, look=PORTRAIT_LOOKS.get(user.email))
    avatar_set(user=user, uploaded_file=SimpleUploadedFile("portrait.png", portrait))


def seed_mentors() -> None:
    """Mentors (through the application and verification services) with their photos,
    venues and reviews."""
    staff = user_get_by_email(email=STAFF)
    for spec in MENTORS:
        user = _user(spec)
        _photo(user)
        if MentorProfile.objects.filter(user=user).exists():
            continue
        categories = category_list_by_slugs(slugs=[slugify(spec.category), *map(slugify, spec.extra_categories)])
        subcategories = category_list_by_slugs(slugs=[slugify(f"{spec.category}-{sub}") for sub in spec.subcategories])
        profile = mentor_apply(
            user=user,
            categories=categories,
            subcategories=subcategories,
            headline=spec.headline,
            bio=spec.bio,
            location=spec.location,
            race=spec.race,
            ethnicity=spec.ethnicity,
            expertise=list(spec.expertise),
            languages=list(LANGUAGES.get(spec.email, ("English",))),
            years_experience=spec.years,
            availability_url=f"https://calendly.com/{slugify(spec.first_name + ' ' + spec.last_name)}",
            meeting_link=f"https://meet.jit.si/ascend-{slugify(spec.last_name)}",
            base_price_cents=spec.price_cents,
        )
        if spec.verified and staff is not None:
            mentor_verify(profile=profile, staff=staff)
    for name, type_, address, city, state, zip_code, capacity, amenities, tier in VENUES:
        if not Venue.objects.filter(name=name, city=city).exists():
            venue_save(
                venue=Venue(
                    name=name,
                    type=type_,
                    address=address,
                    city=city,
                    state=state,
                    zip_code=zip_code,
                    capacity=capacity,
                    amenities=list(amenities),
                    partnership_tier=tier,
                )
            )
    for author_email, target_email, rating, comment, topic, about_session in REVIEWS:
        author, target = user_get_by_email(email=author_email), user_get_by_email(email=target_email)
        if author is None or target is None or Review.objects.filter(author=author, target=target).exists():
            continue
        session = _completed_session(mentor=target, mentee=author, topic=topic)
        review_create(
            author=author, target=target, rating=rating, comment=comment, session=session if about_session else None
        )
    _seed_learner_preferences()
    _seed_advice()


def _seed_advice() -> None:
    """Marcus (who had a completed session with the demo learner) advises the learner's
    newest pathway once: its steps kept, one added, with notes — a change the learner sees
    and can restore from."""
    learner, mentor = user_get_by_email(email=LEARNER), user_get_by_email(email=ADVISING_MENTOR)
    if learner is None or mentor is None:
        return
    pathways = pathway_list_for_advisor(advisor=mentor, learner=learner)
    if not pathways or any(pathway.overridden_by_advisor for pathway in pathways):
        return
    pathway = pathway_get_for_advisor(advisor=mentor, pathway_id=pathways[0].pk)
    if pathway is None:
        return
    steps = [
        {
            "title": step.title,
            "description": step.description,
            "resources": step.resources,
            "estimated_time": step.estimated_time,
        }
        for step in pathway.steps.all()
    ]
    steps.insert(1, dict(ADVICE_STEP))
    pathway_steps_rewrite(pathway=pathway, advisor=mentor, steps=steps, notes=ADVICE_NOTES)


def _seed_learner_preferences() -> None:
    learner = user_get_by_email(email=LEARNER)
    if learner is None or learner.interests:
        return
    user_update(
        user=learner,
        data={"interests": list(LEARNER_INTERESTS), "location": learner.location or LEARNER_LOCATION},
    )
    mentee_languages_set(user=learner, languages=LEARNER_LANGUAGES)


def _completed_session(*, mentor: User, mentee: User, topic: str) -> MentorshipSession:
    """A virtual hour of ``mentor`` with ``mentee`` completed weeks ago (found by its
    topic), at the mentor's price and, when priced, paid (its payment with the breakdown,
    as the other demo sessions): what a demo review rests on. Written as it would stand
    today (a past session cannot be booked)."""
    existing = MentorshipSession.objects.filter(mentor=mentor, mentee=mentee, topic=topic).first()
    if existing is not None:
        return existing
    start = (timezone.now() - timedelta(days=REVIEWED_SESSION_DAYS_AGO)).replace(
        hour=16, minute=0, second=0, microsecond=0
    )
    profile = mentor.mentor_profile
    price = session_price(base_price_cents=profile.base_price_cents, type="virtual", duration_minutes=60, venue=None)
    session = MentorshipSession.objects.create(
        mentor=mentor,
        mentee=mentee,
        type=MentorshipSession.Type.VIRTUAL,
        meeting_link=profile.meeting_link or "https://meet.jit.si/ascend-demo",
        start_at=start,
        duration_minutes=60,
        end_at=start + timedelta(minutes=60),
        status=MentorshipSession.Status.COMPLETED,
        price_cents=price.total_cents,
        currency=price.currency,
        topic=topic,
        requested_at=start - timedelta(days=3),
        confirmed_at=start - timedelta(days=2),
        completed_at=start + timedelta(minutes=60),
    )
    if not price.is_free:
        payment_demo_record(
            user=mentee,
            kind=PAYMENT_KIND,
            item_id=session.pk,
            description=f"Mentorship session with {mentor.display_name}",
            lines=price.lines,
            currency=price.currency,
            succeeded_at=start - timedelta(days=3),
        )
    return session
