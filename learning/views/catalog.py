"""Pages of the catalog: the course list with filters, the course page (outline, reviews,
enrol / continue), enrolling, and saving or deleting one's review. Thin: the rules live in
``learning.selectors.catalog`` and ``learning.services``."""

import hashlib
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.api.caching import LIST_CACHE_TIMEOUT, list_cache_lookup, list_cache_store
from core.errors import ApplicationError
from core.forms import form_errors_from
from core.http import AuthenticatedHttpRequest
from learning.forms import CourseReviewForm
from learning.models import Category, Course, Enrollment
from learning.rules import sees_unpublished_courses
from learning.selectors.catalog import (
    CATALOG_CACHE_NAMESPACE,
    CourseFilter,
    category_list,
    course_first_lesson,
    course_get_for_learner,
    course_list_visible,
    course_outline_totals,
    course_page_get,
    review_get_for_user,
    review_list_for_course,
)
from learning.selectors.progress import enrollment_get_for_user
from learning.services.enrollments import enrollment_create
from learning.services.reviews import review_delete, review_save

COURSES_PER_PAGE = 12
REVIEWS_ON_COURSE_PAGE = 5
REVIEWS_PER_PAGE = 20
# The version kept with the listing keeps it current; the timeout (the catalog API's)
# only bounds what a bulk ``QuerySet.update()`` (which sends no signal) could leave behind.
CATALOG_PAGE_CACHE_TIMEOUT = LIST_CACHE_TIMEOUT
# Query strings of only these, once each, are kept: the catalog's own choices, a bounded set.
# A free-text search (a person's own, seldom asked twice) or anything else is rendered each time.
CACHED_PARAMETERS = frozenset({"category", "subcategory", "level", "is_free", "ordering", "page"})


def _catalog_form(filterset: CourseFilter, categories: list[Category]) -> forms.Form:
    """The filter form of the catalog page: the filterset's own form (same validation as
    the API) with select boxes listing the categories by slug."""
    form = filterset.form
    for field in form.fields.values():
        field.help_text = ""  # the filters' help texts document the API; the page's labels say enough
    form.fields["search"].widget = forms.TextInput(
        attrs={"type": "search", "placeholder": _("Title, topic or instructor")}
    )
    form.fields["category"].widget = forms.Select(
        choices=[("", _("All categories")), *((category.slug, category.name) for category in categories)]
    )
    form.fields["subcategory"].widget = forms.Select(
        choices=[
            ("", _("All subcategories")),
            *(
                (category.name, [(sub.slug, sub.name) for sub in category.subcategories.all()])
                for category in categories
                if category.subcategories.all()
            ),
        ]
    )
    form.fields["level"].widget.choices = [("", _("All levels")), *Course.Level.choices]
    form.fields["is_free"].widget = forms.Select(
        choices=[("", _("Any price")), ("true", _("Free")), ("false", _("Paid"))]
    )
    return form


def _catalog_listing(request: HttpRequest) -> str:
    """The catalog page's own content (filters, count, course cards, pagination) for this
    query string, rendered — or from the shared cache while the catalog is unchanged.

    The listing depends on the courses and what is shown of them (category, instructor's
    name, price, cover, rating and lesson counts; enrollment counts for the popularity
    order), on whether the reader sees drafts (staff) and on the language; nothing else about
    the reader. Whatever changes those rows bumps the catalog's version (``learning.receivers``),
    which the listing is kept with, so a changed catalog is never served from the cache. The
    version and the listing are read in one round trip to the cache (``list_cache_lookup``).
    """
    cached = all(name in CACHED_PARAMETERS and len(request.GET.getlist(name)) == 1 for name in request.GET)
    audience = "staff" if sees_unpublished_courses(request.user) else "all"
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    key = f"catalog-page:{audience}:{get_language()}:{path}"
    version = None
    if cached:
        version, kept = list_cache_lookup(CATALOG_CACHE_NAMESPACE, key)
        if kept is not None:
            return mark_safe(kept)  # our own template's output, kept as rendered
    categories = list(category_list())
    filterset = CourseFilter(request.GET or None, queryset=course_list_visible(user=request.user))
    courses = filterset.qs
    page = Paginator(courses, COURSES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    filtered = any(request.GET.get(name) for name in ("category", "subcategory", "level", "is_free", "search"))
    listing = render_to_string(
        "learning/catalog/_listing.html",
        {
            "filter_form": _catalog_form(filterset, categories),
            "page_obj": page,
            "courses": page.object_list,
            "query": query.urlencode(),
            "filtered": filtered,
        },
    )
    if version is not None and not filterset.errors and _canonical(request, categories, page.number):
        list_cache_store(key, version, str(listing), timeout=CATALOG_PAGE_CACHE_TIMEOUT)
    return listing


def _canonical(request: HttpRequest, categories: list[Category], page_number: int) -> bool:
    """Whether the query names only what the catalog has — a category and subcategory by
    their slugs, the page shown by its number — so the listings kept are bounded by the
    catalog (a page with errors shows what was typed, and ``?page=<anything>`` or an unknown
    slug would each fill the cache with a copy)."""
    category, subcategory = request.GET.get("category"), request.GET.get("subcategory")
    if category and category not in {item.slug for item in categories}:
        return False
    if subcategory and subcategory not in {sub.slug for item in categories for sub in item.subcategories.all()}:
        return False
    return request.GET.get("page", "1") == str(page_number)


@require_GET
def course_list(request: HttpRequest) -> HttpResponse:
    """The catalog: published courses (drafts too for staff, marked), filtered, sorted and
    paginated. Invalid filters are shown as errors and left out."""
    return render(request, "learning/catalog/list.html", {"listing": _catalog_listing(request)})


def _visible_course_or_404(request: HttpRequest, slug: str) -> Course:
    course = course_get_for_learner(user=request.user, slug=slug)
    if course is None:
        raise Http404(_("There is no such course."))
    return course


def _continue_url(course: Course, enrollment: Enrollment | None) -> str | None:
    """Where "Continue" goes: the enrollment's current lesson, else the first lesson (a
    completed course starts over for review); ``None`` while the course has no lesson."""
    if enrollment is None:
        return None
    lesson_id = enrollment.current_lesson_id
    if lesson_id is None:
        first = course_first_lesson(course=course)
        lesson_id = first.pk if first is not None else None
    if lesson_id is None:
        return None
    return reverse("learning:lesson", kwargs={"slug": course.slug, "pk": lesson_id})


def _course_page(
    request: HttpRequest, slug: str, *, review_form: CourseReviewForm | None = None, status: int = 200
) -> HttpResponse:
    course = course_page_get(user=request.user, slug=slug)
    if course is None:
        raise Http404(_("There is no such course."))
    enrollment = enrollment_get_for_user(user=request.user, course_id=course.pk)
    my_review = review_get_for_user(user=request.user, course=course) if enrollment is not None else None
    if enrollment is not None and review_form is None:
        initial = {"rating": my_review.rating, "comment": my_review.comment} if my_review is not None else None
        review_form = CourseReviewForm(initial=initial)
    login_url = f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}"
    context: dict[str, Any] = {
        "course": course,
        "totals": course_outline_totals(course=course),
        "enrollment": enrollment,
        "continue_url": _continue_url(course, enrollment),
        "login_url": login_url,
        "reviews": list(review_list_for_course(course=course)[:REVIEWS_ON_COURSE_PAGE]),
        "my_review": my_review,
        "review_form": review_form if enrollment is not None else None,
    }
    return render(request, "learning/catalog/detail.html", context, status=status)


@require_GET
def course_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The course page: description, facts, outline, rating and latest reviews, and the
    enrol / continue button (a review form for enrolled learners). Unpublished: 404 unless staff."""
    return _course_page(request, slug)


@require_GET
def course_reviews(request: HttpRequest, slug: str) -> HttpResponse:
    """Every review of a course, newest first, paginated."""
    course = _visible_course_or_404(request, slug)
    page = Paginator(review_list_for_course(course=course), REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "learning/catalog/reviews.html", {"course": course, "page_obj": page})


@login_required
@require_POST
def course_enroll(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Enrol in a free course and open its first lesson (already enrolled: the current one);
    a refusal (paid course, draft) goes back to the course page with the reason."""
    course = _visible_course_or_404(request, slug)
    already = enrollment_get_for_user(user=request.user, course_id=course.pk) is not None
    try:
        enrollment = enrollment_create(user=request.user, course=course)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("learning:course-detail", slug=course.slug)
    url = _continue_url(course, enrollment)
    if url is None:
        messages.success(request, _("You are enrolled. The lessons of this course are on their way."))
        return redirect("learning:course-detail", slug=course.slug)
    if not already:
        welcome = _("You are enrolled in “%(course)s”. Enjoy the first lesson!")
        messages.success(request, welcome % {"course": course.title})
    return redirect(url)


@login_required
@require_POST
def course_review_save(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Save the signed-in learner's review (new or edited). Invalid input shows the course
    page again with the errors (400); a learner who is not enrolled gets the reason."""
    course = _visible_course_or_404(request, slug)
    form = CourseReviewForm(request.POST)
    if form.is_valid():
        try:
            review_save(
                user=request.user,
                course=course,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("learning:course-detail", slug=course.slug)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Your review is saved. Thank you!"))
            return redirect(f"{reverse('learning:course-detail', kwargs={'slug': course.slug})}#reviews")
    return _course_page(request, slug, review_form=form, status=400)


@login_required
@require_POST
def course_review_delete(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Delete the signed-in learner's own review of the course (404 when there is none)."""
    course = _visible_course_or_404(request, slug)
    review = review_get_for_user(user=request.user, course=course)
    if review is None:
        raise Http404(_("You have not reviewed this course."))
    review_delete(user=request.user, review=review)
    messages.success(request, _("Your review is deleted."))
    return redirect(f"{reverse('learning:course-detail', kwargs={'slug': course.slug})}#reviews")
