"""The lesson player: a lesson's content and video, the course outline with ticks, mark
complete (HTMX in place; a plain POST and redirect without JavaScript), previous / next
across modules, the paused notice and the wellness check offer, and the time reports of
static/js/lesson-time.js (to the API's ``lessons/{id}/time/``); and the course "resume"
link that opens the first incomplete lesson."""

import threading
from collections import OrderedDict
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.errors import ApplicationError
from core.http import AuthenticatedHttpRequest
from learning.forms import WellnessCheckForm
from learning.models import Course, Enrollment, Lesson
from learning.selectors.catalog import course_get_for_learner
from learning.selectors.progress import (
    ACCESS_ENDED_MESSAGE,
    LessonPlayer,
    OutlineLesson,
    OutlineModule,
    course_lessons_ordered,
    enrollment_access_ended,
    enrollment_get_for_course_slug,
    lesson_first_incomplete,
    lesson_get_in_course,
    lesson_player_for_user,
    wellness_check_due,
)
from learning.services.progress import enrollment_touch, lesson_complete
from learning.views.wellness import wellness_check_dismissed

# How often the open player reports the time the lesson was visible (static/js/lesson-time.js).
LESSON_TIME_INTERVAL_SECONDS = 30


def lesson_url(course: Course, lesson: Lesson) -> str:
    return reverse("learning:lesson", kwargs={"slug": course.slug, "pk": lesson.pk})


def _course_and_enrollment(request: AuthenticatedHttpRequest, slug: str) -> tuple[Course, Enrollment | None]:
    """The course the user may see (404 otherwise) and their enrollment in it, if any: one
    query for an enrolled learner, two otherwise."""
    enrollment = enrollment_get_for_course_slug(user=request.user, slug=slug)
    if enrollment is not None:
        return enrollment.course, enrollment
    course = course_get_for_learner(user=request.user, slug=slug)
    if course is None:
        raise Http404(_("There is no such course."))
    return course, None


def _closed(request: HttpRequest, course: Course, enrollment: Enrollment | None) -> HttpResponse:
    """Back to the course page with the reason the lessons are closed to the user: not
    enrolled, or access ended with a refund."""
    if enrollment is None:
        messages.info(request, _("Enrol in “%(course)s” to open its lessons.") % {"course": course.title})
    else:
        messages.error(request, str(ACCESS_ENDED_MESSAGE))
    return redirect("learning:course-detail", slug=course.slug)


def _player(request: AuthenticatedHttpRequest, enrollment: Enrollment, lesson_id: str) -> LessonPlayer:
    player = lesson_player_for_user(user=request.user, enrollment=enrollment, lesson_id=lesson_id)
    if player is None:
        raise Http404(_("There is no such lesson in this course."))
    return player


@lru_cache(maxsize=16)
def _blank_wellness_fields_memo(language: str | None) -> str:
    return _blank_wellness_fields_render()


def _blank_wellness_fields_render() -> str:
    return render_to_string("learning/player/_wellness_fields.html", {"wellness_form": WellnessCheckForm()})


def _blank_wellness_fields() -> str:
    """The wellness check's fields, not yet answered: the same for every learner in one
    language, so rendered once per process (again on every request while developing, where
    templates change under a running server)."""
    return _blank_wellness_fields_render() if settings.DEBUG else _blank_wellness_fields_memo(get_language())


# Rendered outlines kept in this process (:class:`_OutlineMarkup`), per course outline (its
# version) and language: at most this many, least recently used first out.
OUTLINE_MARKUP_MEMO_SIZE = 256


class _OutlineMarkup:
    """A course outline's modules and lessons as markup in one language, each piece rendered
    when first needed and then kept: a module (``_outline_module.html``) once per number of
    its lessons done, a lesson (``_outline_lesson.html``) once per state — done or not,
    current or not. A learner's outline is put together from the pieces of their state, with
    no template rendered. The pieces hold the course's content only (titles, descriptions,
    links, the state's words and icons): nothing of a person, whose ticks only pick them."""

    # Where a module's lessons go: rendered once around it, then split (no data holds a NUL).
    _LESSONS = mark_safe("\x00lessons\x00")  # a constant of ours

    def __init__(self) -> None:
        self._modules: dict[tuple[Any, int, int], tuple[str, str]] = {}
        self._lessons: dict[tuple[Any, bool, bool], str] = {}
        self._module_template = get_template("learning/player/_outline_module.html")
        self._lesson_template = get_template("learning/player/_outline_lesson.html")

    def _module(self, item: OutlineModule) -> tuple[str, str]:
        done, total = item.completed_count, len(item.lessons)
        key = (item.module.pk, done, total)
        pieces = self._modules.get(key)
        if pieces is None:
            context = {"module": item.module, "done": done, "total": total, "lessons": self._LESSONS}
            head, tail = self._module_template.render(context).split(self._LESSONS)
            pieces = self._modules[key] = (head.strip(), tail.strip())
        return pieces

    def _lesson(self, item: OutlineLesson) -> str:
        key = (item.lesson.pk, item.completed, item.current)
        markup = self._lessons.get(key)
        if markup is None:
            context = {"lesson": item.lesson, "url": item.url, "completed": item.completed, "current": item.current}
            markup = self._lessons[key] = self._lesson_template.render(context).strip()
        return markup

    def render(self, outline: list[OutlineModule]) -> SafeString:
        parts: list[str] = []
        for item in outline:
            head, tail = self._module(item)
            parts.append(head)
            parts.extend(self._lesson(entry) for entry in item.lessons)
            parts.append(tail)
        # Safe: pieces of our templates, rendered with autoescaping.
        return mark_safe("\n".join(parts))


_outline_markups: OrderedDict[tuple[Any, ...], _OutlineMarkup] = OrderedDict()
_outline_markups_lock = threading.Lock()


@receiver(setting_changed)
def _forget_outline_markups(**kwargs: Any) -> None:
    with _outline_markups_lock:
        _outline_markups.clear()


def _outline_markup(player: LessonPlayer) -> SafeString:
    """The player's outline with the learner's ticks and current lesson, from the pieces kept
    for the course's outline (:attr:`LessonPlayer.outline_key`, which changes with every
    change of the course, a module or a lesson) and the language. Kept nowhere while
    developing (``DEBUG``: templates change under a running server)."""
    if settings.DEBUG:
        return _OutlineMarkup().render(player.outline)
    key = (*player.outline_key, get_language())
    with _outline_markups_lock:
        markup = _outline_markups.get(key)
        if markup is None:
            markup = _outline_markups[key] = _OutlineMarkup()
            while len(_outline_markups) > OUTLINE_MARKUP_MEMO_SIZE:
                _outline_markups.popitem(last=False)
        else:
            _outline_markups.move_to_end(key)
    return markup.render(player.outline)


def _player_context(request: HttpRequest, player: LessonPlayer, **extra: Any) -> dict[str, Any]:
    enrollment = player.enrollment
    show_wellness_check = player.wellness_check_due and not wellness_check_dismissed(request, enrollment)
    return {
        "player": player,
        "course": player.course,
        "lesson": player.lesson,
        "enrollment": enrollment,
        "outline_markup": _outline_markup(player),
        "show_wellness_check": show_wellness_check,
        "wellness_fields": _blank_wellness_fields() if show_wellness_check else "",
        "next_url": player.url,
        "lesson_time_interval": LESSON_TIME_INTERVAL_SECONDS,
        **extra,
    }


@login_required
@require_GET
def lesson_detail(request: AuthenticatedHttpRequest, slug: str, pk: str) -> HttpResponse:
    """One lesson of a course the user is enrolled in. Opening it records the visit
    (``last_accessed_at``). Not enrolled: back to the course page with a message."""
    course, enrollment = _course_and_enrollment(request, slug)
    if enrollment is None or enrollment_access_ended(enrollment):
        return _closed(request, course, enrollment)
    enrollment.course = course
    player = _player(request, enrollment, pk)
    enrollment_touch(enrollment=enrollment)
    return render(request, "learning/player/lesson.html", _player_context(request, player))


@login_required
@require_POST
def lesson_complete_view(request: AuthenticatedHttpRequest, slug: str, pk: str) -> HttpResponse:
    """Mark the lesson complete (again is harmless). HTMX gets the completion section swapped
    and the outline, progress and wellness offer refreshed out of band; a plain form post
    goes back to the lesson. A paused course refuses with its message."""
    course, enrollment = _course_and_enrollment(request, slug)
    if enrollment is None:
        raise Http404(_("You are not enrolled in this course."))
    lesson = lesson_get_in_course(course_id=course.pk, lesson_id=pk)
    if lesson is None:
        raise Http404(_("There is no such lesson in this course."))
    was_completed = enrollment.status == Enrollment.Status.COMPLETED
    was_due = wellness_check_due(enrollment)
    error = ""
    try:
        enrollment = lesson_complete(user=request.user, lesson=lesson)
    except ApplicationError as exc:
        error = exc.message
    if not request.htmx:
        if error:
            messages.error(request, error)
        elif not was_completed and enrollment.status == Enrollment.Status.COMPLETED:
            messages.success(
                request, _("Lesson completed — and with it the whole course. Well done!"), extra_tags="celebration"
            )
        else:
            messages.success(request, _("Lesson completed."), extra_tags="celebration")
        return redirect(lesson_url(course, lesson))
    enrollment.course = course
    player = _player(request, enrollment, pk)
    return render(
        request,
        "learning/player/_complete_response.html",
        _player_context(
            request,
            player,
            error=error,
            course_completed_now=not was_completed and enrollment.status == Enrollment.Status.COMPLETED,
            wellness_became_due=player.wellness_check_due and not was_due,
        ),
    )


@login_required
@require_GET
def course_resume(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Open the course where the learner left off: the first incomplete lesson, or the first
    lesson when every lesson is complete. Not enrolled: the course page."""
    course, enrollment = _course_and_enrollment(request, slug)
    if enrollment is None or enrollment_access_ended(enrollment):
        return _closed(request, course, enrollment)
    lesson = lesson_first_incomplete(user_id=request.user.pk, course_id=course.pk)
    if lesson is None:
        lesson = course_lessons_ordered(course_id=course.pk).first()
    if lesson is None:
        messages.info(request, _("This course has no lessons yet."))
        return redirect("learning:course-detail", slug=course.slug)
    return redirect(lesson_url(course, lesson))
