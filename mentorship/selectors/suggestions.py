"""Suggested mentors (seed 002's skills and interests): the verified mentors who share the
most with a mentee — interests (the mentee's interests and skills against the mentor's
expertise and subcategories), categories (the mentee's mentorship interests and career,
learning's selector), city and languages — each with the reasons, in words. One rule for
the directory and the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext as _

from learning.selectors.pathways import career_interest_category_ids
from mentorship.models import MentorProfile, UserCategory
from mentorship.selectors.profiles import mentee_languages, mentor_queryset_verified

if TYPE_CHECKING:
    from accounts.models import User

SUGGESTIONS_MAX = 6
# What each kind of overlap weighs in the ranking.
WEIGHT_INTEREST = 3
WEIGHT_SUBCATEGORY = 3
WEIGHT_CATEGORY = 2
WEIGHT_CITY = 2
WEIGHT_LANGUAGE = 1


@dataclass
class MentorSuggestion:
    """A mentor suggested to a mentee: ``score`` ranks, ``reasons`` say why, in words."""

    profile: MentorProfile
    score: int = 0
    reasons: list[str] = field(default_factory=list)

    @property
    def why(self) -> str:
        return " · ".join(self.reasons)


def _city(location: str) -> str:
    """The city of "City, Region": what two locations must share to be "near"."""
    return location.split(",", maxsplit=1)[0].strip().casefold()


def _folded(values: list[str]) -> dict[str, str]:
    return {value.strip().casefold(): value.strip() for value in values if value.strip()}


def mentor_suggestions_for_user(*, user: User, limit: int = SUGGESTIONS_MAX) -> list[MentorSuggestion]:
    """The verified mentors (not the user themself) ranked by what they share with
    ``user``, best first, then by rating; at most ``limit``. A mentor is a candidate when
    they share a category, a subcategory or the city; interests and languages add to the
    score and to the reasons ("Also into music production · Berlin · speaks German").
    Empty when the user has told nothing to match on. At most nine queries, whatever the
    number of mentors."""
    categories, subcategories = career_interest_category_ids(user=user)
    categories.update(UserCategory.objects.filter(user=user).values_list("category_id", flat=True))
    interests = _folded([*user.interests, *user.skills])
    languages = _folded(mentee_languages(user=user))
    city = _city(user.location or "")
    candidates = Q(categories__in=categories) | Q(subcategories__in=subcategories)
    if city:
        candidates |= Q(location__istartswith=city)
    if not categories and not subcategories and not city:
        return []
    mentors = (
        mentor_queryset_verified()
        .filter(pk__in=MentorProfile.objects.filter(candidates).values("pk"))
        .exclude(user=user)
    )
    suggestions = [
        _suggestion(
            profile,
            categories=categories,
            subcategories=subcategories,
            interests=interests,
            languages=languages,
            city=city,
        )
        for profile in mentors
    ]
    ranked = sorted(
        (suggestion for suggestion in suggestions if suggestion.score),
        key=lambda suggestion: (-suggestion.score, -suggestion.profile.rating),
    )
    return ranked[:limit]


def _suggestion(
    profile: MentorProfile,
    *,
    categories: set,
    subcategories: set,
    interests: dict[str, str],
    languages: dict[str, str],
    city: str,
) -> MentorSuggestion:
    suggestion = MentorSuggestion(profile=profile)
    mentor_subcategories = list(profile.subcategories.all())
    topics = _folded([*profile.expertise, *(sub.name for sub in mentor_subcategories)])
    shared_interests = [interests[key] for key in interests if key in topics]
    if shared_interests:
        suggestion.score += WEIGHT_INTEREST * len(shared_interests)
        suggestion.reasons.append(_("Also into %(topics)s") % {"topics": ", ".join(shared_interests)})
    shared_subcategories = [sub.name for sub in mentor_subcategories if sub.pk in subcategories]
    new_subcategories = [name for name in shared_subcategories if name.casefold() not in interests]
    if shared_subcategories:
        suggestion.score += WEIGHT_SUBCATEGORY * len(shared_subcategories)
    if new_subcategories:
        suggestion.reasons.append(_("Mentors in %(areas)s") % {"areas": ", ".join(new_subcategories)})
    shared_categories = [category.name for category in profile.categories.all() if category.pk in categories]
    if shared_categories:
        suggestion.score += WEIGHT_CATEGORY * len(shared_categories)
        if not shared_subcategories:
            suggestion.reasons.append(_("Mentors in %(areas)s") % {"areas": ", ".join(shared_categories)})
    if city and _city(profile.location) == city:
        suggestion.score += WEIGHT_CITY
        suggestion.reasons.append(profile.location.split(",", maxsplit=1)[0].strip())
    spoken = [languages[key] for key in _folded(profile.languages) if key in languages]
    if spoken:
        suggestion.score += WEIGHT_LANGUAGE * len(spoken)
        suggestion.reasons.append(_("speaks %(languages)s") % {"languages": ", ".join(spoken)})
    return suggestion
