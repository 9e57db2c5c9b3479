"""Demo data of learning for ``manage.py seed_demo``: a small catalog with real content,
cover pictures and a video lesson, and enrolments at every stage, made through the services
(so the demo learner's completed course has its certificate). Idempotent: courses are matched
by slug, enrolments by user and course; a cover is drawn only for a course without one.
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.text import slugify

from learning.assessment_bank import ASSESSMENT_QUESTIONS, CAREER_KEYWORDS, CATEGORIES

if TYPE_CHECKING:
    from learning.models import Course

__all__ = [
    "ASSESSMENT_QUESTIONS",
    "CAREER_KEYWORDS",
    "CATEGORIES",
]  # re-exported for the demo's other seeders and tests


@dataclass(frozen=True)
class DemoLesson:
    title: str
    content: str
    minutes: int = 10
    video_url: str = ""


@dataclass(frozen=True)
class DemoCourse:
    title: str
    category: str
    subcategory: str
    level: str
    description: str
    modules: list[tuple[str, list[DemoLesson]]]
    price_cents: int = 0
    estimated_hours: int = 2
    published: bool = True
    reviews: list[tuple[str, int, str]] = field(default_factory=list)


# What each lesson covers, in a sentence (seeds 000/004 lesson description), by title.
LESSON_DESCRIPTIONS: dict[str, str] = {
    "Getting around your DAW": "Find the arrangement view, the mixer and the browser, and save your first project.",
    "Monitoring and gain staging": "Leave headroom on every channel so the mix never clips.",
    "Programming a drum groove": "Kick, snare and hi-hats that swing a little.",
    "Basslines that lock with the kick": "A bass that leaves room for the kick instead of fighting it.",
    "From loop to song": "Turn eight bars into an intro, verses, a chorus and an outro.",
    "Exporting your first track": "The files to send for mastering and to share with friends.",
    "The static mix": "A balanced mix with faders and panning only.",
    "Subtractive EQ": "Remove mud and harshness before adding anything.",
    "Loudness targets": "How loud to master for the streaming services.",
    "Keeping a song journal": "A line a day, so ideas are there when you need them.",
    "Hooks that stick": "Short phrases repeated with intent.",
    "From script to shot list": "Break every line of the script into the shots that tell it.",
    "The one-sentence bio": "Say who you help, with what, and how — in one line.",
    "Hips and lower back": "Slow circles and a deep squat hold to loosen up after sitting.",
    "Know your floor": "Decide the lowest rate you accept before the call.",
}


def _lesson(title: str, *paragraphs: str, minutes: int = 10, video_url: str = "") -> DemoLesson:
    return DemoLesson(title=title, content="\n\n".join(paragraphs), minutes=minutes, video_url=video_url)


COURSES: list[DemoCourse] = [
    DemoCourse(
        title="Music Production Fundamentals",
        category="Music",
        subcategory="Producer",
        level="beginner",
        estimated_hours=6,
        description=(
            "Go from an empty project to a finished beat. You will learn how a digital audio workstation "
            "is organised, program drums that groove, write a bassline that sits with the kick, and "
            "arrange eight bars into a full track."
        ),
        modules=[
            (
                "Your studio",
                [
                    _lesson(
                        "Getting around your DAW",
                        "## The three windows that matter\n\nEvery DAW has an **arrangement** view, a **mixer** "
                        "and a **browser**. Learn where they are before you learn anything else.",
                        "- Create a new project at 120 BPM\n- Add one audio and one MIDI track\n- Save it with a "
                        "name you will recognise next week",
                        minutes=12,
                    ),
                    _lesson(
                        "Monitoring and gain staging",
                        "Set your master fader to 0 dB and keep every channel peaking around **-12 dBFS**. "
                        "Headroom now saves hours later.",
                        minutes=8,
                    ),
                ],
            ),
            (
                "Rhythm",
                [
                    _lesson(
                        "Programming a drum groove",
                        "Start with the kick on 1 and 3, the snare on 2 and 4, then move two hi-hats "
                        "slightly late. *Groove lives in the small timing differences.*",
                        minutes=15,
                    ),
                    _lesson(
                        "Basslines that lock with the kick",
                        "Write the bass **around** the kick: where the kick hits, the bass rests.",
                        minutes=14,
                    ),
                ],
            ),
            (
                "Arrangement",
                [
                    _lesson(
                        "From loop to song",
                        "Copy your eight bars across three minutes, then **remove** parts to create intro, "
                        "verse, build and drop. Arrangement is mostly subtraction.",
                        minutes=18,
                    ),
                    _lesson(
                        "Exporting your first track",
                        "Export a 24-bit WAV for mastering and a 320 kbps MP3 to share.",
                        minutes=6,
                    ),
                ],
            ),
        ],
        reviews=[("learner@ascend.example", 5, "Finally understood gain staging. My mixes are cleaner already.")],
    ),
    DemoCourse(
        title="Mixing and Mastering Essentials",
        category="Music",
        subcategory="Audio Engineer",
        level="intermediate",
        estimated_hours=8,
        description=(
            "Balance, EQ, compression and space, then a loud and clean master. Built around one real "
            "multitrack session you mix along with."
        ),
        modules=[
            (
                "Balance first",
                [
                    _lesson("The static mix", "Faders and panning only, for twenty minutes. No plug-ins yet."),
                    _lesson("Listening on three systems", "Check on headphones, monitors and a phone speaker."),
                ],
            ),
            (
                "Tone and dynamics",
                [
                    _lesson("Subtractive EQ", "Cut narrow, boost wide. Remove mud around **200–400 Hz**."),
                    _lesson("Compression without squashing", "Start with a 4:1 ratio and 3–6 dB of gain reduction."),
                ],
            ),
            (
                "Mastering",
                [
                    _lesson("Loudness targets", "Streaming services normalise to about **-14 LUFS**."),
                    _lesson("A simple mastering chain", "EQ, gentle compression, limiter. Nothing else."),
                ],
            ),
        ],
    ),
    DemoCourse(
        title="Songwriting: From Idea to Demo",
        category="Music",
        subcategory="Songwriter",
        level="beginner",
        estimated_hours=4,
        description="Capture ideas, shape them into verses and choruses, and record a simple demo on your phone.",
        modules=[
            (
                "Ideas",
                [
                    _lesson("Keeping a song journal", "Write one line a day. Most will be bad. Keep them all."),
                    _lesson("Hooks that stick", "A hook is a short phrase repeated with intent."),
                ],
            ),
            (
                "Structure",
                [
                    _lesson("Verse, chorus, bridge", "The chorus answers the question the verse asks."),
                    _lesson("Recording a phone demo", "Quiet room, phone 30 cm away, one take with mistakes."),
                ],
            ),
        ],
    ),
    DemoCourse(
        title="Directing Your First Short Film",
        category="Film & Television",
        subcategory="Directing",
        level="intermediate",
        price_cents=4900,
        estimated_hours=10,
        description="Shot lists, working with actors and a one-day shoot plan for a five-minute film.",
        modules=[
            (
                "Pre-production",
                [
                    _lesson("From script to shot list", "Every line of the script becomes at least one shot."),
                    _lesson("Casting on a budget", "Ask local theatre groups; rehearse before the shoot day."),
                ],
            ),
            (
                "The shoot",
                [
                    _lesson(
                        "Blocking a scene",
                        "Walk the actors through the space before the camera rolls.",
                        "Watch how *Big Buck Bunny*, the Blender Foundation's open short film, stages each "
                        "scene: where the characters stand tells you where the camera can go.",
                        minutes=12,
                        video_url="https://www.youtube.com/watch?v=aqz-KE-bpKQ",
                    ),
                ],
            ),
        ],
    ),
    DemoCourse(
        title="Personal Branding for Creatives",
        category="Career",
        subcategory="Personal Branding",
        level="beginner",
        estimated_hours=3,
        description="Say clearly who you are and what you make, online and in the room.",
        modules=[
            (
                "Your story",
                [
                    _lesson("The one-sentence bio", "I help [who] do [what] through [how]. Write five versions."),
                    _lesson("Portfolio basics", "Show three finished pieces, not thirty sketches."),
                ],
            ),
            (
                "Showing up",
                [
                    _lesson("Posting without burning out", "One useful post a week beats a daily scramble."),
                ],
            ),
        ],
    ),
    DemoCourse(
        title="Mobility in Ten Minutes a Day",
        category="Fitness",
        subcategory="Mobility",
        level="beginner",
        estimated_hours=2,
        description="A short daily routine for people who sit at desks, mixing boards and drawing tables.",
        modules=[
            (
                "Daily routine",
                [
                    _lesson("Hips and lower back", "Three slow hip circles each way, then a deep squat hold."),
                    _lesson("Shoulders and neck", "Wall angels: ten slow repetitions."),
                    _lesson("Wrists and hands", "Essential for musicians and illustrators: gentle flexor stretches."),
                ],
            ),
        ],
    ),
    DemoCourse(
        title="Negotiating Your Rate",
        category="Career",
        subcategory="Negotiation",
        level="advanced",
        estimated_hours=3,
        published=False,
        description="A draft course, not yet published: only staff see it.",
        modules=[("Basics", [_lesson("Know your floor", "Decide the lowest rate you accept before the call.")])],
    ),
]

# (learner e-mail, course title, lessons to complete: "all", a number, or 0; paused?)
ENROLMENTS: list[tuple[str, str, str | int, bool]] = [
    ("learner@ascend.example", "Music Production Fundamentals", "all", False),
    ("learner@ascend.example", "Mixing and Mastering Essentials", 3, False),
    ("learner@ascend.example", "Songwriting: From Idea to Demo", 1, False),
    ("learner@ascend.example", "Personal Branding for Creatives", 1, True),
    ("client@ascend.example", "Mobility in Ten Minutes a Day", 2, False),
    ("mentor@ascend.example", "Music Production Fundamentals", 0, False),
]

# Wellness check-ins at the halfway point (email, course, mood 1–5, note): the demo client's
# low mood shows the support lines of Australia (their zone) and their therapist.
WELLNESS_ANSWERS: list[tuple[str, str, int, str]] = [
    ("learner@ascend.example", "Music Production Fundamentals", 4, "Loving the mixing module."),
    ("client@ascend.example", "Mobility in Ten Minutes a Day", 2, "Tired and low after a rough week."),
]


def seed_categories() -> dict[str, Any]:
    """The shipped two-level taxonomy with icons and colours (idempotent); returns the
    top-level categories by name."""
    from learning.assessment_bank import taxonomy_install
    from learning.models import Category

    return taxonomy_install(category_model=Category)


def seed_catalog() -> dict[str, "Course"]:
    """Categories and courses with their modules and lessons; returns courses by title."""
    from accounts.selectors.users import user_get_by_email

    from ..models import Category, Course, Lesson, Module

    parents = seed_categories()
    instructor = user_get_by_email(email="instructor@ascend.example")
    courses = {}
    for spec in COURSES:
        course = Course.objects.filter(slug=slugify(spec.title)).first()
        if course is None:
            course = Course.objects.create(
                title=spec.title,
                slug=slugify(spec.title),
                description=spec.description,
                category=parents[spec.category],
                subcategory=Category.objects.get(slug=slugify(f"{spec.category}-{spec.subcategory}")),
                instructor=instructor,
                level=spec.level,
                price_cents=spec.price_cents,
                estimated_hours=spec.estimated_hours,
                published=spec.published,
                published_at=timezone.now() if spec.published else None,
            )
            for module_order, (module_title, lessons) in enumerate(spec.modules, start=1):
                module = Module.objects.create(course=course, title=module_title, order=module_order)
                for lesson_order, lesson in enumerate(lessons, start=1):
                    Lesson.objects.create(
                        module=module,
                        title=lesson.title,
                        description=LESSON_DESCRIPTIONS.get(lesson.title, ""),
                        content=lesson.content,
                        video_url=lesson.video_url,
                        duration_minutes=lesson.minutes,
                        order=lesson_order,
                    )
        else:
            _lesson_videos_fill(course, spec)
        courses[spec.title] = course
    return courses


def _lesson_videos_fill(course: "Course", spec: DemoCourse) -> None:
    """Give a demo course seeded before its lessons had videos or descriptions those of its
    spec (lessons matched by title; a video or description someone set is kept)."""
    from ..models import Lesson
    from ..services.catalog import course_outline_changed

    for _module_title, lessons in spec.modules:
        for lesson in lessons:
            if lesson.title in LESSON_DESCRIPTIONS:
                Lesson.objects.filter(course=course, title=lesson.title, description="").update(
                    description=LESSON_DESCRIPTIONS[lesson.title]
                )
            if lesson.video_url:
                Lesson.objects.filter(course=course, title=lesson.title, video_url="").update(
                    video_url=lesson.video_url
                )
    course_outline_changed(course_id=course.pk)  # the updates above send no signal


# Cover colours per category: (top left, bottom right).
COVER_COLOURS: dict[str, tuple[tuple[int, int, int], tuple[int, int, int]]] = {
    "Music": ((67, 56, 202), (219, 39, 119)),
    "Film & Television": ((15, 23, 42), (14, 116, 144)),
    "Career": ((4, 120, 87), (30, 64, 175)),
    "Fitness": ((234, 88, 12), (190, 18, 60)),
    "Visual Arts": ((124, 58, 237), (245, 158, 11)),
    "Games": ((22, 101, 52), (37, 99, 235)),
    "Writing & Publishing": ((120, 53, 15), (157, 23, 77)),
}


def seed_course_covers(courses: dict[str, "Course"]) -> None:
    """A cover picture for every demo course without one: drawn with Pillow (title and
    category on the category's colours) and saved on ``Course.thumbnail``, so it goes
    through the field's storage like an upload from admin (local files or S3). Idempotent:
    a course whose cover is stored keeps it; a cover lost from storage is drawn again
    under the same name."""
    from django.core.files.base import ContentFile

    from accounts.demo.images import cover_jpeg

    specs = {spec.title: spec for spec in COURSES}
    for title, course in courses.items():
        if course.thumbnail.name and course.thumbnail.storage.exists(course.thumbnail.name):
            continue
        spec = specs[title]
        name = f"demo-{course.slug}.jpg"
        storage = course.thumbnail.storage
        stale = course.thumbnail.field.generate_filename(course, name)
        if storage.exists(stale):
            storage.delete(stale)
        picture = cover_jpeg(title=spec.title, label=spec.category, colours=COVER_COLOURS[spec.category])
        course.thumbnail.save(name, ContentFile(picture), save=False)
        course.save(update_fields=["thumbnail", "updated_at"])


def seed_learning() -> None:
    """The catalog and its covers, then enrolments at every stage through the real services
    (a completed course issues its certificate through the same path as in production), the
    wellness check-ins of :data:`WELLNESS_ANSWERS`, then reviews."""
    from accounts.selectors.users import user_get_by_email

    from ..models import Enrollment, Lesson
    from ..services.enrollments import enrollment_create
    from ..services.progress import enrollment_pause, lesson_complete
    from ..services.reviews import review_save
    from ..services.wellness import wellness_check_answer

    courses = seed_catalog()
    seed_course_covers(courses)
    for email, title, complete, paused in ENROLMENTS:
        user = user_get_by_email(email=email)
        course = courses[title]
        if user is None or Enrollment.objects.filter(user=user, course=course).exists():
            continue
        enrollment = enrollment_create(user=user, course=course)
        lessons = list(Lesson.objects.filter(course=course).order_by("module__order", "order"))
        for lesson in lessons if complete == "all" else lessons[: int(complete)]:
            lesson_complete(user=user, lesson=lesson)
        if paused:
            enrollment_pause(enrollment=enrollment)
    for email, title, mood, note in WELLNESS_ANSWERS:
        answered = Enrollment.objects.filter(
            user__email=email, course=courses[title], wellness_check_completed=False, progress_percent__gte=50
        ).first()
        if answered is not None:
            wellness_check_answer(enrollment=answered, mood=mood, note=note)
    seed_lesson_time()
    for spec in COURSES:
        for email, rating, comment in spec.reviews:
            user = user_get_by_email(email=email)
            if user is not None:
                review_save(user=user, course=courses[spec.title], rating=rating, comment=comment)


def seed_lesson_time() -> None:
    """Time spent in the demo learners' completed lessons, so My learning and the Teaching
    pages show some: about each lesson's length, a little more or less. Written directly
    (demo data only: the player's reports are bounded by the real clock); a lesson with
    time already is left alone."""
    from ..models import LessonProgress

    emails = {email for email, *_rest in ENROLMENTS}
    rows = list(
        LessonProgress.objects.filter(
            user__email__in=emails, completed_at__isnull=False, time_spent_seconds=0
        ).select_related("lesson")
    )
    for row in rows:
        minutes = row.lesson.duration_minutes or 10
        row.time_spent_seconds = minutes * 60 * (80 + len(row.lesson.title) % 50) // 100
    LessonProgress.objects.bulk_update(rows, ["time_spent_seconds"])


# (course title, assignment title, description, due in days (negative: past), max score)
ASSIGNMENTS: list[tuple[str, str, str, int, int]] = [
    (
        "Music Production Fundamentals",
        "Your first eight-bar loop",
        "Build an eight-bar loop with drums, bass and one melodic part. Describe your choices and attach the "
        "project notes as a text file.",
        7,
        100,
    ),
    (
        "Music Production Fundamentals",
        "Arrange a full track",
        "Turn your loop into a two-minute arrangement: intro, build, drop, outro. Explain each section.",
        14,
        100,
    ),
    (
        "Mixing and Mastering Essentials",
        "Balance a rough mix",
        "Balance the provided stems with faders and panning only, then describe what you changed and why.",
        -2,
        50,
    ),
]

# (learner e-mail, assignment title, answer, grade: (score, feedback) or None)
SUBMISSIONS: list[tuple[str, str, str, tuple[int, str] | None]] = [
    (
        "learner@ascend.example",
        "Your first eight-bar loop",
        "Kick on every beat, an off-beat hi-hat and a two-note bass line; the lead is a filtered pluck.",
        (88, "A solid groove. Try a little swing on the hats and leave more room for the bass."),
    ),
    (
        "learner@ascend.example",
        "Arrange a full track",
        "Intro with the pad only, an eight-bar build with a riser, the drop with everything, an outro fade.",
        None,
    ),
    (
        "learner@ascend.example",
        "Balance a rough mix",
        "Vocals up 2 dB, the guitars panned 30 % left and right, the bass slightly under the kick.",
        None,
    ),
]


def seed_teaching() -> None:
    """The instructor role for instructor@ascend.example, assignments on two music courses
    and the demo learner's submissions through the real services: one graded with feedback,
    one waiting for a grade and one handed in late. Safe to run again."""
    from datetime import timedelta

    from accounts.selectors.users import user_get_by_email

    from ..models import Assignment, Course, Submission
    from ..services.assignments import submission_grade, submission_save
    from ..services.instructors import instructor_grant

    instructor = user_get_by_email(email="instructor@ascend.example")
    if instructor is None:
        return
    instructor_grant(user=instructor, granted_by=None)
    assignments: dict[str, Assignment] = {}
    for course_title, title, description, due_in_days, max_score in ASSIGNMENTS:
        course = Course.objects.filter(slug=slugify(course_title)).first()
        if course is None:
            continue
        assignment = Assignment.objects.filter(course=course, title=title).first()
        if assignment is None:
            # Written directly: the due date of a demo assignment may lie in the past.
            assignment = Assignment.objects.create(
                course=course,
                title=title,
                description=description,
                due_at=timezone.now() + timedelta(days=due_in_days),
                max_score=max_score,
            )
        assignments[title] = assignment
    for email, title, text, grade in SUBMISSIONS:
        learner = user_get_by_email(email=email)
        assignment = assignments.get(title)
        if (
            learner is None
            or assignment is None
            or Submission.objects.filter(user=learner, assignment=assignment).exists()
        ):
            continue
        submission = submission_save(user=learner, assignment=assignment, text=text)
        if grade is not None:
            score, feedback = grade
            submission_grade(submission=submission, grader=instructor, score=score, feedback=feedback)


def seed_payments() -> None:
    """The demo learner bought the paid course: a succeeded payment and the enrolment it
    gave. Written directly (the demo has no Stripe account); in production only Stripe's
    verified webhook creates both, through ``learning.services.payments``."""
    from accounts.selectors.users import user_get_by_email

    from ..models import Course, Enrollment, Payment
    from ..services.enrollments import enrollment_create

    learner = user_get_by_email(email="learner@ascend.example")
    course = Course.objects.filter(slug="directing-your-first-short-film").first()
    if learner is None or course is None or Payment.objects.filter(user=learner, course=course).exists():
        return
    Payment.objects.create(
        user=learner,
        kind=Payment.KIND_COURSE,
        item_id=course.pk,
        course=course,
        description=course.title,
        lines=[{"label": course.title, "amount_cents": course.price_cents}],
        amount_cents=course.price_cents,
        currency=course.currency,
        status=Payment.Status.SUCCEEDED,
        stripe_checkout_session_id="cs_demo_directing",
        stripe_payment_intent_id="pi_demo_directing",
        succeeded_at=timezone.now(),
    )
    enrollment_create(user=learner, course=course, source=Enrollment.Source.PAYMENT)


def seed_career_assessment() -> None:
    """The assessment's shipped question bank and the keywords of every subcategory — what
    ``migrate`` installs into an empty bank, completed on a database that had a bank before
    (idempotent: staff edits to existing questions and keywords are kept)."""
    from learning.assessment_bank import keywords_install, questions_install, taxonomy_install
    from learning.models import AssessmentQuestion, CareerKeyword, Category

    taxonomy_install(category_model=Category)
    questions_install(question_model=AssessmentQuestion)
    keywords_install(category_model=Category, keyword_model=CareerKeyword)
