"""Reads of mentor profiles: the public directory (verified mentors only), one mentor, the
owner's own profile, users' mentorship categories."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.registry import AssistantItem, SupportContact
from core.search import query_words, word_match_score
from learning.selectors.catalog import (
    category_list_by_slugs,
    category_list_in,
    category_list_ordered,
    category_list_top_level,
    search_every_word,
)
from learning.selectors.like_me import LikeMeFilterSet
from mentorship.models import MenteePreference, MentorProfile, MentorshipSession, UserCategory

if TYPE_CHECKING:
    from accounts.models import User
    from learning.models import Category


@dataclass(frozen=True)
class SubcategoryGroup:
    """A category and its subcategories, one ``<optgroup>`` of the directory's filter."""

    category: Category
    subcategories: list[Category]


MENTOR_SEARCH_FIELDS = ("user__first_name", "user__last_name", "headline", "bio", "expertise")


class MentorOrderingFilter(filters.OrderingFilter):
    """An ordering whose choices are exactly the directions labelled in ``field_labels``, by
    parameter (``"price"``, ``"-price"``), each with its own plain label — not
    django-filter's pair per field with a "(descending)" twin. Ties go by name, then id, so
    pages never repeat or skip a mentor."""

    def build_choices(self, fields: Mapping[str, str], labels: Mapping[str, Any]) -> list[tuple[str, Any]]:
        params = set(fields.values())
        return [(param, label) for param, label in labels.items() if param.removeprefix("-") in params]

    def filter(self, qs: QuerySet[MentorProfile], value: Any) -> QuerySet[MentorProfile]:
        if not value:
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        return qs.order_by(*ordering, "user__first_name", "user__last_name", "pk")


class MentorFilterForm(forms.Form):
    """The directory filter's form: a subcategory must belong to the chosen category."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        category, subcategory = cleaned.get("category"), cleaned.get("subcategory")
        if category and subcategory and not subcategory_is_in(category=category, subcategory=subcategory):
            self.add_error(
                "subcategory",
                ValidationError(
                    _("“%(subcategory)s” is not a subcategory of “%(category)s”: choose one of its own or none."),
                    code="subcategory_not_in_category",
                    params={"subcategory": subcategory, "category": category},
                ),
            )
        return cleaned


def subcategory_is_in(*, category: str, subcategory: str) -> bool:
    """Whether the subcategory with slug ``subcategory`` belongs to the category with slug
    ``category``. One query."""
    rows = {row.slug: row for row in category_list_by_slugs(slugs=[category, subcategory])}
    parent, child = rows.get(category), rows.get(subcategory)
    return parent is not None and child is not None and child.parent_id == parent.pk


def mentor_filter_subcategories(*, categories: Sequence[Category], category: str) -> list[SubcategoryGroup]:
    """The subcategory choices of the directory's filter, from ``categories`` (as
    ``learning.selectors.catalog.category_list()`` gives them): those of the category whose
    slug is ``category`` when there is one, else every category's, grouped. No query."""
    chosen = [top for top in categories if category and top.slug == category]
    return [
        SubcategoryGroup(category=top, subcategories=list(top.subcategories.all()))
        for top in (chosen or categories)
        if top.subcategories.all()
    ]


class MentorFilter(LikeMeFilterSet):
    """Filters and ordering of the mentor directory (page and API). No race or ethnicity
    filter: ``like_me`` (see :class:`~learning.selectors.like_me.LikeMeFilterSet`) matches the
    signed-in viewer's own ethnicity, read on the server. With both, ``subcategory`` must be
    one of ``category``'s (:class:`MentorFilterForm`). The learning app's "Mentors like
    me" link uses ``category``, ``location`` and ``like_me``."""

    category = filters.CharFilter(
        field_name="categories__slug", max_length=120, label=_("Category"), help_text="A top-level category's slug."
    )
    subcategory = filters.CharFilter(
        field_name="subcategories__slug",
        max_length=120,
        label=_("Subcategory"),
        help_text="A subcategory's slug; with `category`, one of that category's (else a 400).",
    )
    location = filters.CharFilter(
        field_name="location",
        lookup_expr="icontains",
        max_length=120,
        label=_("Location"),
        help_text="Part of the location, any case.",
    )
    expertise = filters.CharFilter(
        field_name="expertise",
        lookup_expr="icontains",
        max_length=50,
        label=_("Expertise"),
        help_text="Part of one of the mentor's areas of expertise, any case.",
    )
    search = filters.CharFilter(
        method="filter_search",
        max_length=100,
        label=_("Search"),
        help_text="Words to find in the name, headline, bio or expertise (every word must match).",
    )
    ordering = MentorOrderingFilter(
        fields=(
            ("rating", "rating"),
            ("total_sessions", "sessions"),
            ("years_experience", "experience"),
            ("base_price_cents", "price"),
            ("verified_at", "newest"),
        ),
        field_labels={
            "-rating": _("Best rated"),
            "-sessions": _("Most sessions"),
            "-experience": _("Most experience"),
            "price": _("Price: low to high"),
            "-price": _("Price: high to low"),
            "-newest": _("Newest"),
        },
        label=_("Order by"),
        help_text="One of the choices (default: best rated).",
    )

    class Meta:
        model = MentorProfile
        form = MentorFilterForm
        fields = ["category", "subcategory", "location", "expertise", "search", "like_me"]

    def filter_search(self, queryset: QuerySet[MentorProfile], name: str, value: str) -> QuerySet[MentorProfile]:
        return search_every_word(queryset, value, MENTOR_SEARCH_FIELDS)


def mentor_queryset_verified() -> QuerySet[MentorProfile]:
    """Verified mentors, best rated first, with user, categories and subcategories loaded
    (three queries whatever their number)."""
    ordered = category_list_ordered()
    return (
        MentorProfile.objects.filter(status=MentorProfile.Status.VERIFIED, user__is_active=True)
        .select_related("user")
        .prefetch_related(Prefetch("categories", queryset=ordered), Prefetch("subcategories", queryset=ordered))
        .order_by("-rating", "-total_sessions", "user__first_name", "user__last_name", "pk")
    )


def mentor_filterset(*, filters: Mapping[str, Any] | None = None, request: Any = None) -> MentorFilter:
    """The directory's filterset over verified mentors (check ``is_valid()``; ``.qs``);
    ``request`` gives the viewer ``like_me`` matches."""
    return MentorFilter(filters or {}, queryset=mentor_queryset_verified(), request=request)


def mentor_list_verified(*, filters: Mapping[str, Any] | None = None, request: Any = None) -> QuerySet[MentorProfile]:
    """Verified mentors matching ``filters`` (see :class:`MentorFilter`; invalid filters are
    ignored here — the API validates them)."""
    filterset = mentor_filterset(filters=filters, request=request)
    return filterset.qs if filterset.is_valid() else mentor_queryset_verified()


def mentor_get_verified(*, mentor_id: Any) -> MentorProfile | None:
    """The verified mentor whose user id is ``mentor_id``; ``None`` for anyone else."""
    return mentor_queryset_verified().filter(user_id=mentor_id).first()


def mentor_is_bookable(*, mentor_id: Any) -> bool:
    """True when the user ``mentor_id`` is a verified, active mentor (one query)."""
    return MentorProfile.objects.filter(
        user_id=mentor_id, status=MentorProfile.Status.VERIFIED, user__is_active=True
    ).exists()


def mentor_profile_for_user(*, user: User) -> MentorProfile | None:
    """The user's own mentor profile in any status, with categories loaded, or ``None``."""
    if not user.is_authenticated:
        return None
    return MentorProfile.objects.prefetch_related("categories", "subcategories").filter(user=user).first()


def user_category_list(*, user: User) -> QuerySet[Category]:
    """The categories the user chose as mentorship interests, in taxonomy order."""
    return category_list_in(category_ids=UserCategory.objects.filter(user=user).values("category_id"))


def mentee_languages(*, user: User) -> list[str]:
    """The languages the user said they speak (empty when none). One query."""
    return next(iter(MenteePreference.objects.filter(user=user).values_list("languages", flat=True)), [])


def user_category_choices() -> QuerySet[Category]:
    """Top-level categories a user can pick as mentorship interests."""
    return category_list_top_level()


def mentor_advises(*, mentor: User, learner: User) -> bool:
    """Whether ``mentor`` is a verified mentor with a confirmed or completed session with
    ``learner`` — then they may rewrite the learner's career pathway (learning's advisor
    registry). One query."""
    if mentor.pk is None or learner.pk is None or mentor.pk == learner.pk:
        return False
    return MentorshipSession.objects.filter(
        mentor_id=mentor.pk,
        mentee_id=learner.pk,
        status__in=(MentorshipSession.Status.CONFIRMED, MentorshipSession.Status.COMPLETED),
        mentor__mentor_profile__status=MentorProfile.Status.VERIFIED,
    ).exists()


def mentor_support_contacts(user: User) -> list[SupportContact]:
    """The verified, active mentors ``user`` has a confirmed or completed session with (as
    :func:`mentor_advises` counts them), most recent first, as
    :class:`core.registry.SupportContact` — a link to book a session with each — for
    ``core.support`` (registered from ``MentorshipConfig.ready()``). One query."""
    sessions = (
        MentorshipSession.objects.filter(
            mentee_id=user.pk,
            status__in=(MentorshipSession.Status.CONFIRMED, MentorshipSession.Status.COMPLETED),
            mentor__mentor_profile__status=MentorProfile.Status.VERIFIED,
            mentor__is_active=True,
        )
        .exclude(mentor_id=user.pk)
        .select_related("mentor")
        .order_by("-start_at")
    )
    mentors = {session.mentor_id: session.mentor for session in sessions}
    return [
        SupportContact(
            role=_("Your mentor"),
            action=_("Book a session with %(name)s") % {"name": mentor.display_name},
            url=reverse("mentorship:session-book", kwargs={"mentor_id": mentor.pk}),
        )
        for mentor in mentors.values()
    ]


def verified_mentor_user_ids(*, users: Collection[Any] | None = None) -> QuerySet[MentorProfile, Any]:
    """User ids of verified mentors among ``users`` (or all): a lazy query, one query when
    read, or a subquery of the caller's (``pk__in=``)."""
    verified = MentorProfile.objects.filter(status=MentorProfile.Status.VERIFIED)
    if users is not None:
        verified = verified.filter(user_id__in=list(users))
    return verified.order_by().values_list("user_id", flat=True)


def mentor_assistant_items(*, query: str, limit: int) -> list[AssistantItem]:
    """At most ``limit`` listed (verified, active) mentors whose name, headline, bio or
    expertise contain the words of ``query``, the best matching first (one query; none
    without a word worth searching for). Only what the directory shows publicly."""
    words = query_words(query)
    if not words or limit <= 0:
        return []
    mentors = (
        MentorProfile.objects.filter(status=MentorProfile.Status.VERIFIED, user__is_active=True)
        .select_related("user")
        .annotate(
            assistant_score=word_match_score(
                words,
                title_fields=("headline", "expertise"),
                other_fields=("bio", "user__first_name", "user__last_name"),
            )
        )
        .filter(assistant_score__gt=0)
        .order_by("-assistant_score", "-rating", "-total_sessions", "pk")[:limit]
    )
    return [
        AssistantItem(
            kind=str(_("Mentor")),
            title=mentor.user.display_name,
            url=reverse("mentorship:mentor-detail", kwargs={"mentor_id": mentor.user_id}),
            summary=mentor.headline,
        )
        for mentor in mentors
    ]
