"""Mentor pages: the public directory and profiles, the review form on a profile, the
"become a mentor" application and the user's mentorship categories."""

import hashlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.api.caching import list_cache_lookup, list_cache_store
from core.errors import ApplicationError
from core.forms import form_errors_from
from core.http import AuthenticatedHttpRequest
from learning.selectors.catalog import category_list
from learning.selectors.like_me import like_me_requested, viewer_ethnicity
from mentorship.forms.profiles import MentorProfileForm, ReviewForm, UserCategoriesForm
from mentorship.models import MentorProfile, Review
from mentorship.selectors.profiles import (
    MentorFilter,
    mentee_languages,
    mentor_filter_subcategories,
    mentor_filterset,
    mentor_get_verified,
    mentor_profile_for_user,
    mentor_queryset_verified,
    user_category_list,
)
from mentorship.selectors.reviews import review_get_by_author, review_list_for_target, review_sessions_completed
from mentorship.selectors.suggestions import mentor_suggestions_for_user
from mentorship.services.profiles import (
    mentee_languages_set,
    mentor_apply,
    mentor_profile_update,
    user_categories_set,
)
from mentorship.services.ratings import MENTORS_LIST_NAMESPACE
from mentorship.services.reviews import review_create, review_delete, review_update

MENTORS_PER_PAGE = 12
REVIEWS_PER_PAGE = 10
FILTER_NAMES = ("category", "subcategory", "location", "expertise", "search", "like_me")
DEFAULT_ORDERING = "-rating"  # what the directory's own order is (best rated first)


def _directory_listing(request: HttpRequest, filterset: MentorFilter) -> str:
    """The directory's listing (mentor cards and pagination) for this query string,
    rendered — or from the shared cache while the directory is unchanged.

    It shows the verified mentors matching the filters (the unfiltered list when they are
    invalid) and depends on nothing about the viewer but ``like_me`` — a list of the viewer's
    own ethnicity, which is therefore never cached — and on the language. Whatever changes
    what it shows (a profile or its categories, a category, a mentor's name, photo or
    active flag, a rating refresh) bumps the directory's version
    (``mentorship.receivers``), so a changed directory is never served from the cache."""
    cacheable = not like_me_requested(request)
    if cacheable:
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"mentor-directory:{get_language()}:{path}"
        version, listing = list_cache_lookup(MENTORS_LIST_NAMESPACE, key)
        if listing is not None:
            return mark_safe(listing)  # our own template's output, kept as rendered
    mentors = filterset.qs if filterset.is_valid() else mentor_queryset_verified()
    page = Paginator(mentors, MENTORS_PER_PAGE).get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)
    rendered = render_to_string(
        "mentorship/mentors/_listing.html",
        {
            "page_obj": page,
            "mentors": page.object_list,
            "filtered": any(request.GET.get(name) for name in FILTER_NAMES),
            "filter_query": kept.urlencode(),
        },
    )
    if cacheable:
        list_cache_store(key, version, str(rendered))
    return rendered


@require_GET
def mentor_list(request: HttpRequest) -> HttpResponse:
    """Verified mentors, filterable by category, subcategory, location, expertise and words,
    and "like me" (the viewer's own ethnicity: a checkbox only for signed-in users who gave
    one; anyone else sending it gets a message and the unfiltered list), ordered by rating,
    sessions, experience or price. Public; a signed-in viewer also sees the mentors suggested
    to them above the unfiltered first page."""
    filterset = mentor_filterset(filters=request.GET or None, request=request)
    categories = list(category_list())
    context = {
        "filterset": filterset,
        "categories": categories,
        "subcategory_groups": mentor_filter_subcategories(
            categories=categories, category=request.GET.get("category", "")
        ),
        "chosen_subcategory": request.GET.get("subcategory", ""),
        "listing": _directory_listing(request, filterset),
        "filtered": any(request.GET.get(name) for name in FILTER_NAMES),
        "orderings": [choice for choice in filterset.form.fields["ordering"].choices if choice[0]],
        "ordering": request.GET.get("ordering") or DEFAULT_ORDERING,
        "can_like_me": bool(viewer_ethnicity(request)),
        "suggestions": (
            mentor_suggestions_for_user(user=request.user)
            if request.user.is_authenticated
            and not request.GET.get("page")
            and not any(request.GET.get(name) for name in FILTER_NAMES)
            else []
        ),
    }
    return render(request, "mentorship/mentors/list.html", context)


@require_GET
def mentor_subcategory_options(request: HttpRequest) -> HttpResponse:
    """The ``<option>`` elements of the directory's subcategory filter for ``?category=``
    (a slug; none or unknown: every category's, grouped), keeping ``?subcategory=`` chosen
    when it is among them: the directory swaps them in (HTMX) when the category changes.
    Public; two queries."""
    context = {
        "subcategory_groups": mentor_filter_subcategories(
            categories=list(category_list()), category=request.GET.get("category", "")
        ),
        "chosen_subcategory": request.GET.get("subcategory", ""),
    }
    return render(request, "mentorship/mentors/_subcategory_options.html", context)


def _detail_context(request: HttpRequest, profile: MentorProfile, review_form: ReviewForm | None = None) -> dict:
    reviews = Paginator(review_list_for_target(target_id=profile.user_id), REVIEWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    own_review = review_get_by_author(author=request.user, target_id=profile.user_id)
    sessions = review_sessions_completed(author=request.user, target_id=profile.user_id)
    may_review = own_review is not None or sessions.exists()
    if review_form is None and may_review and request.user.pk != profile.user_id:
        initial = {"rating": own_review.rating, "comment": own_review.comment} if own_review else None
        review_form = ReviewForm(initial=initial, sessions=None if own_review else sessions)
    return {
        "may_review": may_review,
        "profile": profile,
        "mentor": profile.user,
        "reviews": reviews.object_list,
        "page_obj": reviews,
        "own_review": own_review,
        "review_form": review_form,
    }


@require_GET
def mentor_detail(request: HttpRequest, mentor_id: Any) -> HttpResponse:
    """A verified mentor's profile (by the mentor's user id) with reviews, a review form for
    signed-in users and the booking button. Anyone else is a 404. Public."""
    profile = mentor_get_verified(mentor_id=mentor_id)
    if profile is None:
        raise Http404(_("There is no such mentor."))
    return render(request, "mentorship/mentors/detail.html", _detail_context(request, profile))


@login_required
@require_POST
def mentor_review_view(request: AuthenticatedHttpRequest, mentor_id: Any) -> HttpResponse:
    """Write (after a completed session together: in general or about one session) or edit
    your review of a verified mentor; errors show on the profile (400)."""
    profile = mentor_get_verified(mentor_id=mentor_id)
    if profile is None:
        raise Http404(_("There is no such mentor."))
    own = review_get_by_author(author=request.user, target_id=profile.user_id)
    form = ReviewForm(
        request.POST,
        sessions=None if own else review_sessions_completed(author=request.user, target_id=profile.user_id),
    )
    if form.is_valid():
        try:
            if own is None:
                review_create(author=request.user, target=profile.user, **form.cleaned_data)
                messages.success(request, _("Thank you: your review is published."))
            else:
                review_update(review=own, author=request.user, **form.cleaned_data)
                messages.success(request, _("Your review is updated."))
            return HttpResponseRedirect(reverse("mentorship:mentor-detail", kwargs={"mentor_id": profile.user_id}))
        except ValidationError as error:
            form_errors_from(form, error)
        except ApplicationError as error:
            form.add_error(None, error.message)
    return render(request, "mentorship/mentors/detail.html", _detail_context(request, profile, form), status=400)


@login_required
@require_POST
def mentor_review_delete_view(request: AuthenticatedHttpRequest, mentor_id: Any) -> HttpResponse:
    """Delete your review of this mentor (none: a 404)."""
    review = review_get_by_author(author=request.user, target_id=mentor_id)
    if review is None:
        raise Http404(_("You have no review of this mentor."))
    try:
        review_delete(review=review, user=request.user)
    except Review.DoesNotExist as error:
        raise Http404 from error
    messages.success(request, _("Your review is deleted."))
    return HttpResponseRedirect(reverse("mentorship:mentor-detail", kwargs={"mentor_id": mentor_id}))


@login_required
@require_http_methods(["GET", "POST"])
def mentor_apply_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Apply to become a mentor, or edit your profile or application (one per user)."""
    profile = mentor_profile_for_user(user=request.user)
    initial = (
        {"categories": list(profile.categories.all()), "subcategories": list(profile.subcategories.all())}
        if profile
        else None
    )
    form = MentorProfileForm(request.POST or None, instance=profile, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if profile is None:
                mentor_apply(user=request.user, **data)
                messages.success(request, _("Thank you: your application is sent. Staff will review it soon."))
            else:
                mentor_profile_update(profile=profile, user=request.user, **data)
                messages.success(request, _("Your mentor profile is saved."))
            return HttpResponseRedirect(reverse("mentorship:mentor-apply"))
        except ValidationError as error:
            form_errors_from(form, error)
        except ApplicationError as error:
            form.add_error(None, error.message)
    if profile is not None:
        # The form may have changed the in-memory instance: show the stored status.
        profile.refresh_from_db(fields=["status", "review_note"])
    status = 400 if request.method == "POST" else 200
    return render(request, "mentorship/mentors/apply.html", {"form": form, "profile": profile}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def mentorship_interests_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Choose the categories you want mentoring in and say which languages you speak."""
    form = UserCategoriesForm(
        request.POST or None,
        initial={
            "categories": list(user_category_list(user=request.user)),
            "languages": mentee_languages(user=request.user),
        },
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                with transaction.atomic():
                    user_categories_set(user=request.user, categories=form.cleaned_data["categories"])
                    mentee_languages_set(user=request.user, languages=form.cleaned_data["languages"])
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("Your mentorship interests are saved."))
                return HttpResponseRedirect(reverse("mentorship:interests"))
        return render(request, "mentorship/mentors/interests.html", {"form": form}, status=400)
    return render(request, "mentorship/mentors/interests.html", {"form": form})
