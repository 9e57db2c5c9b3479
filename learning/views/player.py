"""The lesson player: a lesson's content and video, the course outline with ticks, mark
complete (HTMX in place; a plain POST and redirect without JavaScript), previous / next
across modules, the paused notice and the wellness check offer, and the time reports of
static/js/lesson-time.js (to the API's ``lessons/{id}/time/``); and the course "resume"
link that opens the first incomplete lesson."""

import re
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
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.errors import ApplicationError
from core.http import AuthenticatedHttpRequest
from core.memo import ProcessMemo
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


def _course_and_enrollment(
    request: AuthenticatedHttpRequest, slug: str, *, with_person_facts: bool = False
) -> tuple[Course, Enrollment | None]:
    """The course the user may see (404 otherwise) and their enrollment in it, if any: one
    query for an enrolled learner, two otherwise (on PostgreSQL; one more on SQLite).
    ``with_person_facts``: the navigation's facts come with the enrollment, in the same query
    on PostgreSQL (a page that shows the navigation and changes nothing they answer; read even
    when the page then redirects or is not found)."""
    enrollment = enrollment_get_for_course_slug(user=request.user, slug=slug, with_person_facts=with_person_facts)
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


# Stands for the learner's enrollment in the wellness offer rendered once (its links), then
# replaced by theirs: a UUID no enrollment has (the links' converter wants one).
_ENROLLMENT_STAND_IN = "00000000-0000-4000-8000-00000000abcd"


@lru_cache(maxsize=16)
def _wellness_offer_memo(language: str | None, urlconf: Any, prefix: str) -> tuple[str, str]:
    """The wellness offer (``_wellness_slot.html``, not yet answered) rendered with stand-ins
    for the learner's enrollment and next page, and the CSRF token's placeholder, split at the
    next page's place."""
    context = {
        "show_wellness_check": True,
        "enrollment": {"pk": _ENROLLMENT_STAND_IN},
        "next_url": _slot("next"),
        "wellness_fields": _blank_wellness_fields(),
        "csrf_token": _CSRF_TOKEN,
    }
    head, tail = render_to_string("learning/player/_wellness_slot.html", context).split(_slot("next"))
    return head, tail


def _wellness_offer(player: LessonPlayer) -> str:
    """The wellness offer for the learner of ``player``: rendered once per language, their
    enrollment's links and the lesson's address put in; the CSRF token's placeholder kept."""
    head, tail = _wellness_offer_memo(*_url_state())
    enrollment = str(player.enrollment.pk)
    return "".join(
        (
            head.replace(_ENROLLMENT_STAND_IN, enrollment),
            conditional_escape(player.url),
            tail.replace(_ENROLLMENT_STAND_IN, enrollment),
        )
    )


@receiver(setting_changed)
def _forget_wellness_offer(**kwargs: Any) -> None:
    _wellness_offer_memo.cache_clear()


# Markup kept in this process (:class:`_CourseMarkup` per course outline — its version — and
# language, :class:`_LessonMarkup` per lesson of one too): at most this many of each, least
# recently used first out.
OUTLINE_MARKUP_MEMO_SIZE = 256
LESSON_MARKUP_MEMO_SIZE = 512

# Where a learner's own part goes in markup rendered once for everyone, then split (no data
# holds a NUL): ``\x00name\x00``. The CSRF token's place is filled last, on the whole content.
_SLOT = re.compile("\x00(\\w+)\x00")
_CSRF_TOKEN = mark_safe("\x00csrf-token\x00")  # not a slot (the hyphen): kept in the texts


def _slot(name: str) -> SafeString:
    return mark_safe(f"\x00{name}\x00")  # a constant of ours: a name of the code's


def _split(markup: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Markup rendered with slots (:func:`_slot`): its texts and, between them, the slots' names."""
    parts = _SLOT.split(markup)
    return tuple(parts[0::2]), tuple(parts[1::2])


def _fill(texts: tuple[str, ...], names: tuple[str, ...], parts: dict[str, str]) -> str:
    out = [texts[0]]
    for name, text in zip(names, texts[1:], strict=True):
        out.append(parts[name])
        out.append(text)
    return "".join(out)


class _CourseMarkup:
    """A course outline's markup in one language, each piece rendered when first needed and
    then kept: the outline's modules and lessons (:meth:`outline`), its frame
    (``_outline.html``), the progress bar once per count done (``_progress.html``) and the
    wellness offer's empty slot (``_wellness_slot.html``). A learner's outline is put together
    from the pieces of their state, with no template rendered. The pieces hold the course's
    content only (titles, descriptions, links, counts, the state's words and icons): nothing of
    a person, whose ticks and counts only pick them."""

    # Where a module's lessons go: rendered once around it, then split.
    _LESSONS = _slot("lessons")

    def __init__(self) -> None:
        self._modules: dict[tuple[Any, int, int], tuple[str, str]] = {}
        self._lessons: dict[tuple[Any, bool, bool], str] = {}
        self._progress: dict[tuple[int, int, int], str] = {}
        self._module_template = get_template("learning/player/_outline_module.html")
        self._lesson_template = get_template("learning/player/_outline_lesson.html")
        self._frame = _split(get_template("learning/player/_outline.html").render({"outline_markup": _slot("outline")}))
        self.no_wellness_slot = get_template("learning/player/_wellness_slot.html").render({})

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

    def outline(self, outline: list[OutlineModule]) -> SafeString:
        """The modules and lessons of ``_outline.html`` (its ``outline_markup``)."""
        parts: list[str] = []
        for item in outline:
            head, tail = self._module(item)
            parts.append(head)
            parts.extend(self._lesson(entry) for entry in item.lessons)
            parts.append(tail)
        # Safe: pieces of our templates, rendered with autoescaping.
        return mark_safe("\n".join(parts))

    def outline_frame(self, outline: list[OutlineModule]) -> str:
        """``_outline.html`` around the learner's outline, as on the page (not out of band)."""
        return _fill(*self._frame, {"outline": self.outline(outline)})

    def progress(self, player: LessonPlayer) -> str:
        """``_progress.html`` of the player's counts, as on the page (not out of band)."""
        key = (player.completed_count, player.lesson_count, player.enrollment.progress_percent)
        markup = self._progress.get(key)
        if markup is None:
            done, total, percent = key
            context = {
                "player": {"completed_count": done, "lesson_count": total},
                "enrollment": {"progress_percent": percent},
            }
            markup = self._progress[key] = get_template("learning/player/_progress.html").render(context)
        return markup


_course_markups: ProcessMemo[_CourseMarkup] = ProcessMemo(OUTLINE_MARKUP_MEMO_SIZE)


def _course_markup(player: LessonPlayer) -> _CourseMarkup:
    """The markup kept for the player's course outline (:attr:`LessonPlayer.outline_key`,
    which changes with every change of the course, a module or a lesson), the language and
    the URL configuration and prefix its links are reversed under."""
    return _course_markups.get((*player.outline_key, *_url_state()), _CourseMarkup)


def _url_state() -> tuple[str | None, Any, str]:
    """What a kept markup's text depends on besides its own key: the language, and the URL
    configuration and script prefix its links were reversed under."""
    return get_language(), get_urlconf(), get_script_prefix()


def _outline_markup(player: LessonPlayer) -> SafeString:
    """The player's outline with the learner's ticks and current lesson, from the pieces kept
    for the course's outline. Kept nowhere while developing (``DEBUG``: templates change under
    a running server)."""
    markup = _CourseMarkup() if settings.DEBUG else _course_markup(player)
    return markup.outline(player.outline)


def _shared_player(player: LessonPlayer) -> dict[str, Any]:
    """What the pieces kept for every learner of a lesson may read of the player: the lesson's
    links and neighbours, and (for the completion section) whether it is done."""
    return {
        "course_url": player.course_url,
        "time_url": player.time_url,
        "complete_url": player.complete_url,
        "previous": player.previous,
        "previous_url": player.previous_url,
        "next": player.next,
        "next_url": player.next_url,
    }


class _LessonMarkup:
    """One lesson's player in one language, for every learner: ``_lesson.html`` — the
    breadcrumb, the lesson's header, video and content, the previous and next links — rendered
    once with a slot for each of the learner's parts, and the completion section
    (``_completion.html``) once per state: the lesson done or not, the enrollment's status.
    Rendered from the course, the lesson and the player's shared facts (:func:`_shared_player`)
    alone, with a placeholder for the CSRF token: nothing of a person."""

    _PARTS = ("progress", "paused", "wellness_slot", "completion", "outline")

    def __init__(self, player: LessonPlayer) -> None:
        context = {
            "course": player.course,
            "lesson": player.lesson,
            "player": _shared_player(player),
            "lesson_time_interval": LESSON_TIME_INTERVAL_SECONDS,
            "csrf_token": _CSRF_TOKEN,
            **{name: _slot(name) for name in self._PARTS},
        }
        self._texts, self._names = _split(get_template("learning/player/_lesson.html").render(context))
        self._player = _shared_player(player)
        self._completions: dict[tuple[bool, str], str] = {}

    def _completion(self, player: LessonPlayer) -> str:
        key = (player.completed, str(player.enrollment.status))
        markup = self._completions.get(key)
        if markup is None:
            context = {
                "player": {**self._player, "completed": player.completed},
                "enrollment": {"status": key[1]},
                "csrf_token": _CSRF_TOKEN,
            }
            markup = self._completions[key] = get_template("learning/player/_completion.html").render(context)
        return markup

    def render(self, player: LessonPlayer, course: _CourseMarkup, learner: dict[str, str]) -> str:
        """The content with the learner's parts (``learner``: paused, wellness_slot) and those
        picked by their state; the CSRF token still to fill."""
        parts = {
            "progress": course.progress(player),
            "completion": self._completion(player),
            "outline": course.outline_frame(player.outline),
            **learner,
        }
        return _fill(self._texts, self._names, parts)


_lesson_markups: ProcessMemo[_LessonMarkup] = ProcessMemo(LESSON_MARKUP_MEMO_SIZE)


class PlayerMarkup:
    """The lesson page's content (``{% player_content %}`` in lesson.html, which gives the
    page's CSRF token): the lesson's markup kept for every learner (:class:`_LessonMarkup`,
    under the course outline's key, the lesson, the course's title, the language and the URL
    configuration and prefix), with the learner's own parts — the progress bar, the paused
    notice, the wellness offer, the completion section, the outline's ticks. While developing (``DEBUG``) every part is
    rendered from its template with the page's context, nothing kept: the page as the
    templates alone make it (tests compare the two)."""

    def __init__(self, player: LessonPlayer, *, show_wellness_check: bool) -> None:
        self._player = player
        self._show_wellness_check = show_wellness_check

    def _learner_context(self, csrf_token: Any) -> dict[str, Any]:
        player = self._player
        return {
            "player": player,
            "course": player.course,
            "lesson": player.lesson,
            "enrollment": player.enrollment,
            "next_url": player.url,
            "show_wellness_check": self._show_wellness_check,
            "wellness_fields": _blank_wellness_fields() if self._show_wellness_check else "",
            "lesson_time_interval": LESSON_TIME_INTERVAL_SECONDS,
            "csrf_token": csrf_token,
        }

    def _render_fresh(self, csrf_token: Any) -> SafeString:
        context = self._learner_context(csrf_token)
        context["outline_markup"] = _CourseMarkup().outline(self._player.outline)
        context["progress"] = render_to_string("learning/player/_progress.html", context)
        context["paused"] = (
            render_to_string("learning/player/_paused.html", context)
            if self._player.enrollment.status == Enrollment.Status.PAUSED
            else ""
        )
        context["wellness_slot"] = render_to_string("learning/player/_wellness_slot.html", context)
        context["completion"] = render_to_string("learning/player/_completion.html", context)
        context["outline"] = render_to_string("learning/player/_outline.html", context)
        # Safe: our templates, rendered with autoescaping.
        return mark_safe(render_to_string("learning/player/_lesson.html", context))

    def render(self, csrf_token: Any) -> SafeString:
        """The content with ``csrf_token`` — the page's (a page rendered without its request
        has none, and gets the templates' answer to that)."""
        if settings.DEBUG or not csrf_token or csrf_token == "NOTPROVIDED":  # noqa: S105 (Django: no token)
            return self._render_fresh(csrf_token)
        player = self._player
        course = _course_markup(player)
        key = (*player.outline_key, player.lesson.pk, player.course.title, *_url_state())
        lesson = _lesson_markups.get(key, lambda: _LessonMarkup(player))
        learner = {"paused": "", "wellness_slot": course.no_wellness_slot}
        if player.enrollment.status == Enrollment.Status.PAUSED or self._show_wellness_check:
            context = self._learner_context(_CSRF_TOKEN)
            if player.enrollment.status == Enrollment.Status.PAUSED:
                learner["paused"] = render_to_string("learning/player/_paused.html", context)
            if self._show_wellness_check:
                learner["wellness_slot"] = _wellness_offer(player)
        content = lesson.render(player, course, learner)
        # Safe: our templates, rendered with autoescaping; the token escaped as {{ }} would.
        return mark_safe(content.replace(_CSRF_TOKEN, conditional_escape(csrf_token)))


def _show_wellness_check(request: HttpRequest, player: LessonPlayer) -> bool:
    return player.wellness_check_due and not wellness_check_dismissed(request, player.enrollment)


def _player_context(request: HttpRequest, player: LessonPlayer, **extra: Any) -> dict[str, Any]:
    """The context of the completion's HTMX response (``_complete_response.html``)."""
    show_wellness_check = _show_wellness_check(request, player)
    return {
        "player": player,
        "course": player.course,
        "lesson": player.lesson,
        "enrollment": player.enrollment,
        "outline_markup": _outline_markup(player),
        "show_wellness_check": show_wellness_check,
        "wellness_fields": _blank_wellness_fields() if show_wellness_check else "",
        "next_url": player.url,
        **extra,
    }


@login_required
@require_GET
def lesson_detail(request: AuthenticatedHttpRequest, slug: str, pk: str) -> HttpResponse:
    """One lesson of a course the user is enrolled in. Opening it records the visit
    (``last_accessed_at``). Not enrolled: back to the course page with a message. The
    navigation's facts come with the enrollment: on PostgreSQL the page's queries beyond the
    session and the person are the enrollment's and, when it changes an order, the visit's."""
    course, enrollment = _course_and_enrollment(request, slug, with_person_facts=True)
    if enrollment is None or enrollment_access_ended(enrollment):
        return _closed(request, course, enrollment)
    enrollment.course = course
    player = _player(request, enrollment, pk)
    enrollment_touch(enrollment=enrollment)
    context = {
        "course": player.course,
        "lesson": player.lesson,
        "player_markup": PlayerMarkup(player, show_wellness_check=_show_wellness_check(request, player)),
    }
    return render(request, "learning/player/lesson.html", context)


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
