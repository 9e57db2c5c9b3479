"""Learning's part of the benchmark data set (``manage.py seed_scale``): a category tree,
``n(200)`` published courses of 3 modules × 4 lessons, ``n(50,000)`` enrolments (five per
member, some completed) and a review for one enrolment in five."""

from datetime import timedelta

from django.utils import timezone

from accounts.demo.scale import bulk_insert
from core.api.caching import list_cache_bump
from core.registry import ScaleContext
from learning.models import Category, Course, CourseReview, Enrollment, Lesson, Module
from learning.selectors.catalog import CATALOG_CACHE_NAMESPACE

MODULES_PER_COURSE = 3
LESSONS_PER_MODULE = 4
ENROLMENTS_PER_MEMBER = 5


def seed_learning_scale(context: ScaleContext) -> None:
    rng = context.rng
    now = timezone.now()
    tops = [Category(name=f"Field {index}", slug=f"scale-field-{index}", order=index) for index in range(8)]
    subs = [
        Category(name=f"Field {top_index} · Path {index}", slug=f"scale-field-{top_index}-{index}", parent_id=top.pk)
        for top_index, top in enumerate(tops)
        for index in range(4)
    ]
    context.count("categories", bulk_insert(Category, iter([*tops, *subs])))
    instructors = context.user_ids[-200:]
    courses = []
    for index in range(context.n(200)):
        sub = subs[index % len(subs)]
        if sub.parent_id is None:  # never: every path belongs to a field
            raise ValueError(f"{sub.slug} has no field")
        courses.append(
            Course(
                title=f"Course {index}: the craft, step by step",
                slug=f"scale-course-{index}",
                description="A course of the benchmark data set. " * 8,
                category_id=sub.parent_id,
                subcategory_id=sub.pk,
                instructor_id=instructors[index % len(instructors)],
                level=Course.Level.values[index % len(Course.Level.values)],
                published=True,
                published_at=now - timedelta(days=rng.randint(1, 900)),
                estimated_hours=rng.randint(1, 30),
            )
        )
    context.count("courses", bulk_insert(Course, iter(courses)))
    modules = [
        Module(course_id=course.pk, title=f"Module {number + 1}", order=number)
        for course in courses
        for number in range(MODULES_PER_COURSE)
    ]
    context.count("modules", bulk_insert(Module, iter(modules)))
    lessons = (
        Lesson(
            module_id=module.pk,
            course_id=module.course_id,
            title=f"Lesson {number + 1}",
            content="## A lesson\n\nSome words to read. " * 20,
            duration_minutes=10,
            order=number,
        )
        for module in modules
        for number in range(LESSONS_PER_MODULE)
    )
    context.count("lessons", bulk_insert(Lesson, lessons))

    members = context.user_ids
    wanted = context.n(50_000)
    per_member = max(1, min(ENROLMENTS_PER_MEMBER, len(courses), -(-wanted // len(members))))
    enrolments: list[Enrollment] = []
    for member_index, member in enumerate(members):
        for number in range(per_member):
            if len(enrolments) >= wanted:
                break
            course = courses[(member_index * 7 + number * 37) % len(courses)]
            completed = rng.random() < 0.2
            enrolments.append(
                Enrollment(
                    user_id=member,
                    course_id=course.pk,
                    status=Enrollment.Status.COMPLETED if completed else Enrollment.Status.IN_PROGRESS,
                    progress_percent=100 if completed else rng.randint(0, 95),
                    started_at=now - timedelta(days=rng.randint(10, 600)),
                    last_accessed_at=now - timedelta(days=rng.randint(0, 9)),
                    completed_at=now - timedelta(days=rng.randint(0, 9)) if completed else None,
                )
            )
    context.count("enrolments", bulk_insert(Enrollment, iter(enrolments)))
    reviews = (
        CourseReview(
            user_id=enrolment.user_id,
            course_id=enrolment.course_id,
            rating=rng.randint(3, 5),
            comment="Clear and useful.",
        )
        for enrolment in enrolments[::5]
    )
    context.count("course reviews", bulk_insert(CourseReview, reviews))
    # Bulk inserts send no signal: whatever the shared cache holds of another data set (a
    # benchmark's smaller size served by the same Redis) must not be served for this one.
    list_cache_bump(CATALOG_CACHE_NAMESPACE)
