"""Reads of career pathways: the learner's own, the ones an advisor may rewrite, progress
and the "mentors like me" link (a URL into the mentor directory; no import of mentorship)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode
from uuid import UUID

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from learning.models import CareerPathway, CareerProfile, Category, Course, PathwayRevision, PathwayStep
from learning.registry import advisor_allowed

if TYPE_CHECKING:
    from accounts.models import User

MENTOR_DIRECTORY_PATH = "/mentors/"


def pathway_progress_percent(*, done: int, total: int) -> int:
    """Whole percent of ``done`` steps out of ``total`` (0 for an empty pathway)."""
    if total <= 0:
        return 0
    return min(100, (100 * done) // total)


def pathway_queryset_annotated() -> QuerySet[CareerPathway]:
    """Pathways with ``step_count`` and ``done_count`` annotations and their subcategory and
    its parent loaded."""
    # The model declares these annotations for its readers; Django allows it (no field clashes).
    return CareerPathway.objects.select_related("subcategory__parent", "advisor").annotate(  # type: ignore[no-redef]
        step_count=Coalesce(Count("steps"), 0, output_field=IntegerField()),
        done_count=Coalesce(
            Count("steps", filter=Q(steps__completed_at__isnull=False)), 0, output_field=IntegerField()
        ),
    )


def pathway_list_for_user(*, user: User) -> QuerySet[CareerPathway]:
    """The user's own pathways, newest first, annotated (``step_count``, ``done_count``).
    One query; use :func:`pathway_progress_percent` for the bar."""
    return pathway_queryset_annotated().filter(user=user).order_by("-created_at")


def pathway_get_for_user(*, user: User, pathway_id: UUID | str) -> CareerPathway | None:
    """One of the user's own pathways with its steps prefetched (in order); another user's
    is ``None``."""
    return (
        pathway_list_for_user(user=user)
        .prefetch_related(Prefetch("steps", queryset=PathwayStep.objects.order_by("order", "created_at")))
        .filter(pk=pathway_id)
        .first()
    )


def pathway_get_for_advisor(*, advisor: User, pathway_id: UUID | str) -> CareerPathway | None:
    """A pathway ``advisor`` may rewrite (staff, or a registered advisor check passes for
    its learner), with its steps and learner loaded; otherwise ``None``."""
    pathway = (
        pathway_queryset_annotated()
        .select_related("user")
        .prefetch_related(Prefetch("steps", queryset=PathwayStep.objects.order_by("order", "created_at")))
        .filter(pk=pathway_id)
        .first()
    )
    if pathway is None or not advisor_allowed(advisor=advisor, learner=pathway.user):
        return None
    return pathway


def pathway_list_for_advisor(*, advisor: User, learner: User) -> list[CareerPathway] | None:
    """The learner's pathways, newest first, with progress and their steps (in order),
    when ``advisor`` may rewrite them (staff, or a registered advisor check: a mentor with a
    confirmed or completed session with the learner); ``None`` when they may not. Three
    queries."""
    if not advisor_allowed(advisor=advisor, learner=learner):
        return None
    pathways = list(
        pathway_list_for_user(user=learner).prefetch_related(
            Prefetch("steps", queryset=PathwayStep.objects.order_by("order", "created_at"))
        )
    )
    for pathway in pathways:
        pathway.progress_percent = pathway_progress_percent(done=pathway.done_count, total=pathway.step_count)
    return pathways


def pathway_revision_list(*, pathway: CareerPathway) -> QuerySet[PathwayRevision]:
    """The changes of the pathway's steps, newest first, with who made them: what the
    learner sees (who advised what and when) and restores from. One query."""
    return PathwayRevision.objects.filter(pathway=pathway).select_related("author").order_by("-created_at", "pk")


def pathway_revision_get_for_user(
    *, user: User, pathway_id: UUID | str, revision_id: UUID | str
) -> PathwayRevision | None:
    """A change of one of the user's own pathways; another user's is ``None``."""
    return PathwayRevision.objects.filter(pk=revision_id, pathway__pk=pathway_id, pathway__user=user).first()


def pathway_step_get_for_user(*, user: User, pathway_id: UUID | str, step_id: UUID | str) -> PathwayStep | None:
    """A step of one of the user's own pathways; another user's is ``None``."""
    return (
        PathwayStep.objects.select_related("pathway")
        # The stubs refuse a foreign key's id as text; Django converts it like ``pk``'s.
        .filter(pk=step_id, pathway_id=pathway_id, pathway__user=user)  # type: ignore[misc]
        .first()
    )


def pathway_course_for(*, subcategory: Category) -> Course | None:
    """The course a new pathway for ``subcategory`` starts with: a published course of the
    subcategory — else one of its category —, beginner level first, then the one most
    learners enrolled in, then by title. ``None`` when the catalog has none. One query."""
    level_rank = Case(
        When(level=Course.Level.BEGINNER, then=Value(0)),
        When(level=Course.Level.INTERMEDIATE, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    in_subcategory = Case(When(subcategory=subcategory, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (
        Course.objects.filter(published=True)
        .filter(Q(subcategory=subcategory) | Q(category_id=subcategory.parent_id))
        .annotate(in_subcategory=in_subcategory, level_rank=level_rank, learners=Count("enrollments"))
        .order_by("in_subcategory", "level_rank", "-learners", "title", "id")
        .first()
    )


def pathway_courses_by_slug(*, slugs: set[str]) -> dict[str, Course]:
    """The published courses among ``slugs``, by slug. One query (none without slugs)."""
    if not slugs:
        return {}
    return {course.slug: course for course in Course.objects.filter(slug__in=slugs, published=True)}


@dataclass(frozen=True)
class StepResource:
    """A resource of a step as a page shows it: a title and an href (a catalog course's
    page for ``{"course": slug}`` resources)."""

    title: str
    url: str
    is_course: bool = False


def pathway_resources(steps: list[PathwayStep]) -> dict[Any, list[StepResource]]:
    """Resources of ``steps`` by step id, course slugs resolved to published course pages
    (one query for all; an unknown or unpublished course is left out)."""
    from django.urls import reverse

    slugs = {
        resource.get("course")
        for step in steps
        for resource in (step.resources or [])
        if isinstance(resource, dict) and resource.get("course")
    }
    known = (
        set(Course.objects.filter(slug__in=slugs, published=True).values_list("slug", flat=True)) if slugs else set()
    )
    result: dict[Any, list[StepResource]] = {}
    for step in steps:
        shown: list[StepResource] = []
        for resource in step.resources or []:
            if not isinstance(resource, dict):
                continue
            slug = resource.get("course")
            url = str(resource.get("url") or "")
            if slug:
                if slug in known:
                    shown.append(
                        StepResource(
                            title=str(resource.get("title") or slug),
                            url=reverse("learning:course-detail", kwargs={"slug": slug}),
                            is_course=True,
                        )
                    )
            elif url.startswith(("http://", "https://")) or (url.startswith("/") and not url.startswith("//")):
                shown.append(StepResource(title=str(resource.get("title") or url), url=url))
        result[step.pk] = shown
    return result


def _like_me_query(*, user: User, category: Category | None, like_me: bool) -> dict[str, str]:
    query: dict[str, str] = {}
    if category is not None:
        query["category"] = category.slug
    if user.location:
        query["location"] = user.location
    if like_me and user.ethnicity:
        query["like_me"] = "true"
    return query


def mentors_like_me_url(*, user: User, category: Category | None, like_me: bool = False) -> str:
    """The mentor directory filtered by ``category`` (a top-level category's slug) and the
    user's location, plus ``like_me=true`` only when they gave an ethnicity and chose
    ``like_me`` (the directory reads their ethnicity on the server). Never carries a race, an
    ethnicity or any other demographic value."""
    query = _like_me_query(user=user, category=category, like_me=like_me)
    return f"{MENTOR_DIRECTORY_PATH}?{urlencode(query)}" if query else MENTOR_DIRECTORY_PATH


def stories_like_me_query(*, user: User, category: Category | None, like_me: bool = False) -> str:
    """The query string of the success stories page filtered like :func:`mentors_like_me_url`."""
    return urlencode(_like_me_query(user=user, category=category, like_me=like_me))


def career_profile_category(*, user: User) -> Category | None:
    """The top-level category the user chose in their career profile, else the category of
    their newest pathway, else ``None``. One or two queries."""
    category = Category.objects.filter(pk=CareerProfile.objects.filter(user=user).values("category_id")[:1]).first()
    if category is not None:
        return category
    pathway = (
        CareerPathway.objects.filter(user=user).select_related("subcategory__parent").order_by("-created_at").first()
    )
    if pathway is None:
        return None
    return pathway.subcategory.parent or pathway.subcategory


def pathway_list_with_progress(*, user: User, limit: int | None = None) -> list[CareerPathway]:
    """The user's own pathways, newest first (at most ``limit``), each with its
    ``progress_percent`` set for the bar: what My learning, the dashboard and the career page
    show. One query."""
    pathways = pathway_list_for_user(user=user)
    if limit is not None:
        pathways = pathways[:limit]
    result = list(pathways)
    for pathway in result:
        pathway.progress_percent = pathway_progress_percent(done=pathway.done_count, total=pathway.step_count)
    return result


def pathway_count_for_user(*, user: User) -> int:
    """How many pathways the user has. One query."""
    return CareerPathway.objects.filter(user=user).count()


def career_interest_category_ids(*, user: User) -> tuple[set[Any], set[Any]]:
    """The categories and subcategories the learner's career points at: their career
    profile's category and chosen subcategories, and the subcategories of their pathways
    (with those subcategories' categories). ``(category_ids, subcategory_ids)``; at most three
    queries."""
    categories: set[Any] = set()
    subcategories: set[Any] = set()
    profile = CareerProfile.objects.filter(user=user).prefetch_related("subcategories").first()
    if profile is not None:
        categories.add(profile.category_id)
        subcategories.update(sub.pk for sub in profile.subcategories.all())
    for subcategory_id, parent_id in CareerPathway.objects.filter(user=user).values_list(
        "subcategory_id", "subcategory__parent_id"
    ):
        subcategories.add(subcategory_id)
        if parent_id is not None:
            categories.add(parent_id)
    return categories, subcategories
