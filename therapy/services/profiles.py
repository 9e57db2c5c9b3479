"""Therapist profiles: the application and its verification by staff."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services.notifications import notification_send
from core.errors import ApplicationError
from therapy.models import Specialization, TherapistProfile
from therapy.notifications import TherapyNotification
from therapy.services.relationships import relationships_suspension_notify

if TYPE_CHECKING:
    from accounts.models import User

LANGUAGES_MAX = 10
LANGUAGE_MAX_LENGTH = 40
REJECTION_REASON_MAX_LENGTH = 2000


def _languages_clean(languages: Sequence[str]) -> list[str]:
    """Trimmed, de-duplicated (case-insensitively, first spelling kept) language names."""
    cleaned: list[str] = []
    seen: set[str] = set()
    for language in languages:
        if not isinstance(language, str):
            raise ValidationError({"languages": _("Each language must be text.")})
        name = " ".join(language.split())
        if not name:
            continue
        if len(name) > LANGUAGE_MAX_LENGTH:
            raise ValidationError(
                {"languages": _("A language name has at most %(max)d characters.") % {"max": LANGUAGE_MAX_LENGTH}}
            )
        if name.casefold() not in seen:
            seen.add(name.casefold())
            cleaned.append(name)
    if len(cleaned) > LANGUAGES_MAX:
        raise ValidationError({"languages": _("List at most %(max)d languages.") % {"max": LANGUAGES_MAX}})
    return cleaned


@transaction.atomic
def therapist_profile_save(
    *,
    user: User,
    specialization: str,
    credentials: str,
    bio: str = "",
    languages: Sequence[str] = (),
    accepting_clients: bool = True,
) -> TherapistProfile:
    """Apply to work as a therapist, or edit the application or profile.

    A new application is pending until staff verify it. Editing a rejected application sends
    it back to pending; editing a verified profile keeps it verified unless the credentials
    change, which staff must check again (pending, out of the directory; the therapist's
    active relationships are suspended meanwhile and their clients told). Raises
    ``ValidationError`` for an unknown specialization, empty credentials or bad languages;
    nothing is stored then.
    """
    if specialization not in Specialization.values:
        raise ValidationError({"specialization": _("Choose a specialization from the list.")})
    credentials = credentials.strip()
    if not credentials:
        raise ValidationError({"credentials": _("Tell us about your qualifications and licence.")})
    profile = TherapistProfile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        profile = TherapistProfile(user=user)
    was_verified = profile.status == TherapistProfile.Status.VERIFIED and profile.credentials == credentials
    profile.specialization = specialization
    profile.credentials = credentials
    profile.bio = bio.strip()
    profile.languages = _languages_clean(languages)
    profile.accepting_clients = accepting_clients
    withdrawn = profile.status == TherapistProfile.Status.VERIFIED and not was_verified
    if not was_verified:
        profile.status = TherapistProfile.Status.PENDING
        profile.verified_at = None
        profile.verified_by = None
        profile.rejection_reason = ""
    profile.full_clean(exclude=["user", "verified_by"])
    profile.save()
    if withdrawn:
        relationships_suspension_notify(therapist=user, suspended=True)
    return profile


@transaction.atomic
def therapist_verify(*, profile: TherapistProfile, by: User | None) -> TherapistProfile:
    """Staff verify a pending (or earlier rejected) application: the therapist appears in the
    directory and may accept clients. Raises ``ApplicationError`` when already verified.
    Side effects: the therapist is notified (THERAPIST_VERIFIED); the clients of their active
    relationships — suspended until now, as only a verification withdrawn leaves any — are
    told they resume."""
    profile = TherapistProfile.objects.select_for_update().select_related("user").get(pk=profile.pk)
    if profile.status == TherapistProfile.Status.VERIFIED:
        raise ApplicationError(_("This therapist is already verified."))
    profile.status = TherapistProfile.Status.VERIFIED
    profile.verified_at = timezone.now()
    profile.verified_by = by
    profile.rejection_reason = ""
    profile.save()
    notification_send(
        user=profile.user,
        type=TherapyNotification.THERAPIST_VERIFIED,
        title=_("Your therapist profile is verified"),
        message=_("Clients can now find you in the therapist directory and ask to work with you."),
        related=profile,
        action_url=reverse("therapy:client-list"),
    )
    relationships_suspension_notify(therapist=profile.user, suspended=False)
    return profile


@transaction.atomic
def therapist_reject(*, profile: TherapistProfile, by: User | None, reason: str = "") -> TherapistProfile:
    """Staff reject a pending application, or withdraw a verified therapist's verification
    (out of the directory the same way). Raises ``ApplicationError`` when already rejected,
    ``ValidationError`` for an over-long reason. Side effects: the applicant is notified
    with the reason; a withdrawn therapist's active relationships are suspended (no journal,
    notes or messages until verified again, ``therapy.rules``) and each of those clients is
    told."""
    reason = reason.strip()
    if len(reason) > REJECTION_REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("The reason has at most %(max)d characters.") % {"max": REJECTION_REASON_MAX_LENGTH}}
        )
    profile = TherapistProfile.objects.select_for_update().select_related("user").get(pk=profile.pk)
    if profile.status == TherapistProfile.Status.REJECTED:
        raise ApplicationError(_("This application is already rejected."))
    withdrawn = profile.status == TherapistProfile.Status.VERIFIED
    profile.status = TherapistProfile.Status.REJECTED
    profile.verified_at = None
    profile.verified_by = None  # who decided is in the audit log
    profile.rejection_reason = reason
    profile.save()
    notification_send(
        user=profile.user,
        type=TherapyNotification.THERAPIST_VERIFIED,
        title=_("Your therapist application was not approved"),
        message=reason or _("You can update your application and send it again."),
        related=profile,
        action_url=reverse("therapy:apply"),
    )
    if withdrawn:
        relationships_suspension_notify(therapist=profile.user, suspended=True)
    return profile
