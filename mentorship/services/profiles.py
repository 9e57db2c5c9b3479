"""Mentor profiles: the "become a mentor" application, its owner's edits, staff verification
or rejection, and users' mentorship categories."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.registry import AccountNotification
from accounts.services.notifications import notification_send
from core.errors import ApplicationError
from mentorship.models import MenteePreference, MentorProfile, UserCategory
from mentorship.notifications import MentorshipNotification
from mentorship.signals import mentor_verified

if TYPE_CHECKING:
    from accounts.models import User
    from learning.models import Category

# The fields a mentor writes themselves (everything else is staff's or derived).
PROFILE_FIELDS = (
    "headline",
    "bio",
    "image",
    "location",
    "race",
    "ethnicity",
    "expertise",
    "languages",
    "years_experience",
    "availability_url",
    "meeting_link",
    "base_price_cents",
)


def _clean_categories(
    categories: Iterable[Category], subcategories: Iterable[Category]
) -> tuple[list[Category], list[Category]]:
    categories, subcategories = list(categories), list(subcategories)
    if not categories:
        raise ValidationError({"categories": _("Choose at least one category you mentor in.")})
    if any(category.parent_id for category in categories):
        raise ValidationError({"categories": _("Choose top-level categories here; subcategories go below.")})
    chosen = {category.pk for category in categories}
    if any(sub.parent_id not in chosen for sub in subcategories):
        raise ValidationError({"subcategories": _("Choose subcategories of the categories you chose.")})
    return categories, subcategories


def _apply_fields(profile: MentorProfile, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"not a mentor's own field: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(profile, name, value.strip() if isinstance(value, str) else value)
    for name in ("expertise", "languages"):
        value = getattr(profile, name)
        if isinstance(value, list):
            setattr(profile, name, [item.strip() if isinstance(item, str) else item for item in value])
    profile.full_clean(exclude=["user", "categories", "subcategories"], validate_unique=False)


@transaction.atomic
def mentor_apply(
    *, user: User, categories: Iterable[Category], subcategories: Iterable[Category] = (), **fields: Any
) -> MentorProfile:
    """Apply to become a mentor: a pending MentorProfile for ``user`` (one per user), with
    ``fields`` among :data:`PROFILE_FIELDS`. Staff verify it before it shows in the
    directory. ``ValidationError`` for bad input, ``ApplicationError`` when the user already
    has a profile; nothing is stored then."""
    categories, subcategories = _clean_categories(categories, subcategories)
    if MentorProfile.objects.filter(user=user).exists():
        raise ApplicationError(_("You have already applied to become a mentor; edit your application instead."))
    profile = MentorProfile(user=user, status=MentorProfile.Status.PENDING)
    _apply_fields(profile, fields)
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError as error:
        # A concurrent application of the same user won the one-to-one.
        raise ApplicationError(
            _("You have already applied to become a mentor; edit your application instead.")
        ) from error
    profile.categories.set(categories)
    profile.subcategories.set(subcategories)
    return profile


@transaction.atomic
def mentor_profile_update(
    *,
    profile: MentorProfile,
    user: User,
    categories: Iterable[Category] | None = None,
    subcategories: Iterable[Category] | None = None,
    **fields: Any,
) -> MentorProfile:
    """The owner edits their profile (``fields`` among :data:`PROFILE_FIELDS`; categories and
    subcategories replaced when given). A rejected application edited goes back to staff
    (pending); a verified profile stays verified. Anyone else than the owner gets
    ``MentorProfile.DoesNotExist`` (a 404). ``ValidationError`` for bad input, nothing
    changed then."""
    if profile.user_id != user.pk:
        raise MentorProfile.DoesNotExist
    profile = MentorProfile.objects.select_for_update().get(pk=profile.pk)
    if categories is not None or subcategories is not None:
        categories, subcategories = _clean_categories(
            profile.categories.all() if categories is None else categories,
            profile.subcategories.all() if subcategories is None else subcategories,
        )
    _apply_fields(profile, fields)
    if profile.status == MentorProfile.Status.REJECTED:
        profile.status = MentorProfile.Status.PENDING
    profile.save()
    if categories is not None:
        profile.categories.set(categories)
        profile.subcategories.set(subcategories or [])
    return profile


@transaction.atomic
def mentor_verify(*, profile: MentorProfile, staff: User) -> MentorProfile:
    """Staff verify a pending or rejected mentor: listed in the directory and bookable from
    now on. After commit ``mentor_verified`` is sent; the mentor is notified
    (MENTOR_VERIFIED). ``ApplicationError`` when already verified."""
    profile = MentorProfile.objects.select_for_update().select_related("user").get(pk=profile.pk)
    if profile.status == MentorProfile.Status.VERIFIED:
        raise ApplicationError(_("%(mentor)s is already verified.") % {"mentor": profile.user.display_name})
    profile.status = MentorProfile.Status.VERIFIED
    profile.verified_at = timezone.now()
    profile.verified_by = staff
    profile.save(update_fields=["status", "verified_at", "verified_by", "updated_at"])
    notification_send(
        user=profile.user,
        type=MentorshipNotification.MENTOR_VERIFIED,
        title=_("You are a verified mentor"),
        message=_("Your mentor profile is now listed in the directory and mentees can book sessions with you."),
        related=profile,
        action_url=reverse("mentorship:mentor-detail", kwargs={"mentor_id": profile.user_id}),
    )
    profile_id, user_id = profile.pk, profile.user_id
    transaction.on_commit(
        lambda: mentor_verified.send_robust(sender=MentorProfile, mentor_profile_id=profile_id, user_id=user_id)
    )
    return profile


@transaction.atomic
def mentor_reject(*, profile: MentorProfile, staff: User, note: str) -> MentorProfile:
    """Staff reject an application (or withdraw a verification) with a note the applicant
    reads; the profile leaves the directory. The applicant is notified. ``ValidationError``
    without a note, ``ApplicationError`` when already rejected."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say why, for the applicant.")})
    profile = MentorProfile.objects.select_for_update().select_related("user").get(pk=profile.pk)
    if profile.status == MentorProfile.Status.REJECTED:
        raise ApplicationError(_("%(mentor)s is already rejected.") % {"mentor": profile.user.display_name})
    profile.status = MentorProfile.Status.REJECTED
    profile.verified_at = None
    profile.verified_by = staff
    profile.review_note = note
    profile.save(update_fields=["status", "verified_at", "verified_by", "review_note", "updated_at"])
    notification_send(
        user=profile.user,
        type=AccountNotification.SYSTEM,
        title=_("Your mentor application was not accepted"),
        message=note,
        related=profile,
        action_url=reverse("mentorship:mentor-apply"),
    )
    return profile


@transaction.atomic
def user_categories_set(*, user: User, categories: Iterable[Category]) -> list[UserCategory]:
    """Replace ``user``'s mentorship categories with ``categories`` (top-level ones). Rows
    that stay are kept; removed ones deleted one by one (audited)."""
    wanted = {category.pk: category for category in categories}
    if any(category.parent_id for category in wanted.values()):
        raise ValidationError({"categories": _("Choose top-level categories.")})
    current = {interest.category_id: interest for interest in UserCategory.objects.filter(user=user)}
    for category_id, interest in current.items():
        if category_id not in wanted:
            interest.delete()
    for category_id, category in wanted.items():
        if category_id not in current:
            current[category_id] = UserCategory.objects.create(user=user, category=category)
    return [current[category_id] for category_id in wanted]


def mentee_languages_set(*, user: User, languages: Iterable[str]) -> MenteePreference:
    """Keep the languages ``user`` speaks (suggested mentors rank by them); blanks and
    repeats dropped. ``ValidationError`` for too many or too long entries, nothing saved."""
    cleaned: list[str] = []
    for raw in languages:
        language = raw.strip()
        if language and language.casefold() not in {kept.casefold() for kept in cleaned}:
            cleaned.append(language)
    preference = MenteePreference.objects.filter(user=user).first() or MenteePreference(user=user)
    preference.languages = cleaned
    preference.full_clean(exclude=["user"], validate_unique=False)
    preference.save()
    return preference
