"""Career pathways: created when a learner chooses a subcategory (from its staff-authored
template, its steps naming real courses of the catalog with their duration), ticked off step
by step by the learner, rewritten by an advisor (staff or a registered advisor check,
``learning.registry.advisor_checks``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.services.notifications import notification_send
from learning.models import CareerPathway, Category, Course, PathwayRevision, PathwayStep, PathwayTemplate
from learning.notifications import LearningNotification
from learning.registry import advisor_allowed
from learning.selectors.pathways import pathway_course_for, pathway_courses_by_slug

if TYPE_CHECKING:
    from accounts.models import User


def course_duration(course: Course) -> str:
    """The course's duration as the catalog states it ("6 hours"), for a step's estimated
    time; the page reads it "About 6 hours"."""
    hours = course.estimated_hours
    return ngettext("%(hours)d hour", "%(hours)d hours", hours) % {"hours": hours} if hours else ""


def _course_step(course: Course, *, description: str = "") -> dict[str, Any]:
    return {
        "title": _("Take %(course)s") % {"course": course.title},
        "description": description or Truncator(course.description).words(40),
        "resources": [{"title": course.title, "course": course.slug}],
        "estimated_time": course_duration(course),
    }


def _explore_step(subcategory: Category, *, more: bool) -> dict[str, Any]:
    url = f"{reverse('learning:course-list')}?{urlencode({'subcategory': subcategory.slug})}"
    title = _("Explore more courses in %(subcategory)s") if more else _("Explore courses in %(subcategory)s")
    return {
        "title": title % {"subcategory": subcategory.name},
        "description": _("Browse the catalog for %(subcategory)s and enrol in a course that fits you.")
        % {"subcategory": subcategory.name},
        "resources": [{"title": _("Courses in %(subcategory)s") % {"subcategory": subcategory.name}, "url": url}],
        "estimated_time": "",
    }


def _named_course(step: Mapping[str, Any], courses: Mapping[str, Course]) -> Course | None:
    """The one published course a template step names, if it names exactly one."""
    named = [
        courses[str(resource.get("course"))]
        for resource in step.get("resources") or []
        if isinstance(resource, Mapping) and str(resource.get("course") or "") in courses
    ]
    return named[0] if len(named) == 1 else None


def _pathway_steps(subcategory: Category, template: PathwayTemplate | None) -> list[dict[str, Any]]:
    """A new pathway's steps: the template's, where a step naming one published course reads
    "Take <course title>" with the course's duration; when no step names a course, a first
    step takes the catalog's course for the subcategory (or its category, see
    :func:`pathway_course_for`). Without a template: that course, then the catalog link."""
    template_steps: list[dict[str, Any]] = [
        {
            "title": step.title,
            "description": step.description,
            "resources": list(step.resources or []),
            "estimated_time": step.estimated_time,
        }
        for step in (template.steps.all() if template is not None else [])
    ]
    courses = pathway_courses_by_slug(
        slugs={
            str(resource["course"])
            for step in template_steps
            for resource in step["resources"]
            if isinstance(resource, Mapping) and resource.get("course")
        }
    )
    steps: list[dict[str, Any]] = []
    names_a_course = False
    for step in template_steps:
        course = _named_course(step, courses)
        if course is None:
            steps.append(step)
            continue
        names_a_course = True
        steps.append(
            {
                **_course_step(course, description=str(step["description"])),
                "resources": [  # the course under its real title, the step's other links kept
                    {**resource, "title": course.title}
                    if isinstance(resource, Mapping) and resource.get("course") == course.slug
                    else resource
                    for resource in step["resources"]
                ],
            }
        )
    if not names_a_course:
        course = pathway_course_for(subcategory=subcategory)
        if course is not None:
            steps.insert(0, _course_step(course))
        if template is None or not template_steps:
            steps.append(_explore_step(subcategory, more=course is not None))
    return [{**step, "order": index} for index, step in enumerate(steps, start=1)]


def pathway_create(*, user: User, subcategory: Category) -> CareerPathway:
    """Return ``user``'s pathway for ``subcategory``, creating it on first call (idempotent,
    also when two requests race: one pathway per user and subcategory).

    Precondition: ``subcategory`` is a subcategory (it has a parent), else ``ValidationError``.
    A new pathway copies the steps of the subcategory's ``PathwayTemplate`` in order. Steps
    name real courses with their real duration: a template step naming one published course
    becomes "Take <course title>" (the course's estimated hours as its time); when no step
    names a course, the catalog's best course for the subcategory — else its category —
    comes first (:func:`learning.selectors.pathways.pathway_course_for`). Without a template
    the pathway gets that course and a step "Explore courses in <subcategory>" linking to the
    catalog filtered by the subcategory. No notification is sent.
    """
    if subcategory.parent_id is None:
        raise ValidationError(_("Choose a subcategory, not a whole category."))
    existing = CareerPathway.objects.filter(user=user, subcategory=subcategory).first()
    if existing is not None:
        return existing
    template = PathwayTemplate.objects.filter(subcategory=subcategory).prefetch_related("steps").first()
    title = template.title if template is not None else subcategory.name
    steps = _pathway_steps(subcategory, template)
    try:
        with transaction.atomic():
            pathway = CareerPathway.objects.create(user=user, subcategory=subcategory, template=template, title=title)
            for step in steps:
                PathwayStep.objects.create(pathway=pathway, **step)
    except IntegrityError:
        existing = CareerPathway.objects.filter(user=user, subcategory=subcategory).first()
        if existing is None:
            raise
        return existing
    return pathway


def _step_for_owner(*, user: User, step: PathwayStep) -> PathwayStep:
    if step.pathway.user_id != user.pk:
        raise Http404(_("There is no such step among your pathways."))
    return step


def pathway_step_complete(*, user: User, step: PathwayStep) -> PathwayStep:
    """Tick ``step`` off (idempotent: an already completed step keeps its time).

    Only the pathway's owner may: anyone else gets ``Http404``. No notification.
    """
    _step_for_owner(user=user, step=step)
    if step.completed_at is None:
        step.completed_at = timezone.now()
        step.save(update_fields=["completed_at", "updated_at"])
    return step


def pathway_step_uncomplete(*, user: User, step: PathwayStep) -> PathwayStep:
    """Untick ``step`` (idempotent). Only the pathway's owner may: anyone else gets ``Http404``."""
    _step_for_owner(user=user, step=step)
    if step.completed_at is not None:
        step.completed_at = None
        step.save(update_fields=["completed_at", "updated_at"])
    return step


MAX_STEPS = 30
MAX_RESOURCES = 10


def _clean_resources(raw: Any, *, label: str) -> list[dict[str, str]]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list) or len(raw) > MAX_RESOURCES:
        raise ValidationError(
            _("%(step)s: resources must be a list of at most %(max)d links.") % {"step": label, "max": MAX_RESOURCES}
        )
    cleaned: list[dict[str, str]] = []
    for resource in raw:
        if not isinstance(resource, Mapping):
            raise ValidationError(_("%(step)s: each resource needs a title and a URL or a course.") % {"step": label})
        title = str(resource.get("title") or "").strip()[:200]
        url = str(resource.get("url") or "").strip()
        course = str(resource.get("course") or "").strip()
        if url:
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                if not url.startswith("/") or url.startswith("//"):
                    raise ValidationError(
                        _("%(step)s: “%(url)s” is not a web address.") % {"step": label, "url": url}
                    ) from None
            cleaned.append({"title": title or url, "url": url})
        elif course:
            if not Course.objects.filter(slug=course).exists():
                raise ValidationError(_("%(step)s: there is no course “%(slug)s”.") % {"step": label, "slug": course})
            cleaned.append({"title": title or course, "course": course})
        else:
            raise ValidationError(_("%(step)s: each resource needs a URL or a course.") % {"step": label})
    return cleaned


def _clean_steps(steps: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    if not steps:
        raise ValidationError(_("A pathway needs at least one step."))
    if len(steps) > MAX_STEPS:
        raise ValidationError(_("A pathway has at most %(max)d steps.") % {"max": MAX_STEPS})
    cleaned: list[dict[str, Any]] = []
    for index, step in enumerate(steps, start=1):
        label = _("Step %(number)d") % {"number": index}
        title = str(step.get("title") or "").strip()
        if not title:
            raise ValidationError(_("%(step)s needs a title.") % {"step": label})
        if len(title) > 255:
            raise ValidationError(_("%(step)s: the title is too long (255 characters at most).") % {"step": label})
        estimated_time = str(step.get("estimated_time") or "").strip()
        if len(estimated_time) > 60:
            raise ValidationError(
                _("%(step)s: the estimated time is too long (60 characters at most).") % {"step": label}
            )
        cleaned.append(
            {
                "order": index,
                "title": title,
                "description": str(step.get("description") or "").strip()[:5000],
                "resources": _clean_resources(step.get("resources"), label=label),
                "estimated_time": estimated_time,
            }
        )
    return cleaned


def _notify_rewritten(pathway: CareerPathway) -> None:
    notification_send(
        user=pathway.user,
        type=LearningNotification.PATHWAY_UPDATED,
        title=_("Your advisor updated your pathway “%(title)s”") % {"title": pathway.title},
        message=pathway.advisor_notes[:500] or _("Have a look at the new steps."),
        related=pathway,
        action_url=reverse("learning:pathway-detail", kwargs={"pk": pathway.pk}),
    )


@transaction.atomic
def pathway_steps_rewrite(
    *, pathway: CareerPathway, advisor: User, steps: Sequence[Mapping[str, Any]], notes: str = ""
) -> CareerPathway:
    """Replace ``pathway``'s steps with ``steps`` (each ``{title, description, resources,
    estimated_time}``, in order) and keep ``notes`` as the advisor's notes.

    Allowed to staff and to users a registered advisor check lets advise the learner
    (``learning.registry.advisor_checks``); anyone else — the learner included — gets
    ``Http404``. Bad steps (no title, unknown course, bad URL …) raise ``ValidationError``
    and change nothing. A step whose title is unchanged keeps its completion. Sets
    ``overridden_by_advisor`` and ``advisor`` and keeps a :class:`PathwayRevision` (who,
    when, notes, the steps before and after) the learner can restore from. Side effect
    after commit: a ``pathway_updated`` notification to the learner.
    """
    if not advisor_allowed(advisor=advisor, learner=pathway.user):
        raise Http404(_("There is no such pathway among the learners you advise."))
    cleaned = _clean_steps(steps)
    notes = (notes or "").strip()
    if len(notes) > 5000:
        raise ValidationError(_("The notes are too long (5000 characters at most)."))
    pathway = CareerPathway.objects.select_for_update().get(pk=pathway.pk)
    before = _steps_replace(pathway, cleaned)
    PathwayRevision.objects.create(
        pathway=pathway,
        author=advisor,
        kind=PathwayRevision.Kind.ADVICE,
        notes=notes,
        steps_before=before,
        steps_after=cleaned,
    )
    pathway.overridden_by_advisor = True
    pathway.advisor_notes = notes
    pathway.advisor = advisor
    pathway.save(update_fields=["overridden_by_advisor", "advisor_notes", "advisor", "updated_at"])
    transaction.on_commit(lambda: _notify_rewritten(pathway))
    return pathway


STEP_FIELDS = ("title", "description", "resources", "estimated_time")


def _steps_replace(pathway: CareerPathway, steps: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Replace the (locked) pathway's steps with ``steps``, in order; a step whose title
    stays keeps its completion, a restored step gets back the completion it had
    (``completed_at`` of a snapshot). Returns the steps as they were, with their completion."""
    current = list(pathway.steps.all())
    before = [
        {
            **{name: getattr(step, name) for name in STEP_FIELDS},
            "completed_at": step.completed_at.isoformat() if step.completed_at else None,
        }
        for step in current
    ]
    done = {step.title: step.completed_at for step in current if step.completed_at is not None}
    for step in current:
        step.delete()
    for order, fields in enumerate(steps, start=1):
        values = {name: fields.get(name) or ([] if name == "resources" else "") for name in STEP_FIELDS}
        completed_at = done.get(str(values["title"])) or parse_datetime(fields.get("completed_at") or "")
        PathwayStep.objects.create(pathway=pathway, order=order, completed_at=completed_at, **values)
    return before


@transaction.atomic
def pathway_revision_restore(*, user: User, revision: PathwayRevision) -> CareerPathway:
    """The learner puts back the steps their pathway had before ``revision`` (an advisor's
    rewrite or an earlier restore), keeping the completion of steps whose title stays.
    Only the pathway's owner may: anyone else gets ``Http404``. Recorded as a revision of
    its own (kind ``restore``), so it can be undone in turn. When no advice is left in
    force (the restored steps are those from before the first advice), the pathway is no
    longer marked as changed by an advisor. No notification."""
    pathway = CareerPathway.objects.select_for_update().filter(pk=revision.pathway_id, user=user).first()
    if pathway is None:
        raise Http404(_("There is no such change among your pathways."))
    if not revision.steps_before:
        raise ValidationError(_("There is no earlier version to restore."))
    before = _steps_replace(pathway, revision.steps_before)
    PathwayRevision.objects.create(
        pathway=pathway,
        author=user,
        kind=PathwayRevision.Kind.RESTORE,
        steps_before=before,
        steps_after=revision.steps_before,
        restored=revision,
    )
    earlier_advice = (
        PathwayRevision.objects.filter(
            pathway=pathway, kind=PathwayRevision.Kind.ADVICE, created_at__lt=revision.created_at
        )
        .select_related("author")
        .order_by("-created_at")
        .first()
    )
    if earlier_advice is None:
        pathway.overridden_by_advisor, pathway.advisor_notes, pathway.advisor = False, "", None
    else:
        pathway.overridden_by_advisor = True
        pathway.advisor_notes, pathway.advisor = earlier_advice.notes, earlier_advice.author
    pathway.save(update_fields=["overridden_by_advisor", "advisor_notes", "advisor", "updated_at"])
    return pathway


def pathways_erase_for_user(*, user: User) -> None:
    """Delete all of ``user``'s pathways and their steps (account erasure)."""
    for pathway in CareerPathway.objects.filter(user=user):
        pathway.delete()
