"""Writes of the welcome a new member goes through (DESIGN.md, first run): what brings them
here, and whether they finished, skipped ("for now") or dismissed it.

Name and time zone, the welcome's first step, are the person's own settings and go through
``accounts.services.users.user_update``.
"""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User


def _locked(user: User) -> User:
    return User.objects.select_for_update().get(pk=user.pk)


@transaction.atomic
def onboarding_intents_set(*, user: User, intents: Iterable[str]) -> User:
    """Record what brings ``user`` here: one or more of :class:`User.Intent`, kept in the
    order of the choices. ``ValidationError`` (keyed ``intents``) for none or an unknown
    one; nothing is saved then."""
    chosen = set(intents)
    if not chosen:
        raise ValidationError({"intents": _("Choose at least one: it decides what we suggest first.")})
    unknown = chosen - set(User.Intent.values)
    if unknown:
        raise ValidationError({"intents": _("Unknown choice: %(values)s.") % {"values": ", ".join(sorted(unknown))}})
    user = _locked(user)
    user.intents = [value for value in User.Intent.values if value in chosen]
    user.save(update_fields=["intents", "updated_at"])
    return user


@transaction.atomic
def onboarding_complete(*, user: User, now: datetime | None = None) -> User:
    """``user`` finished the welcome. The first finish is kept (running it again later
    changes nothing); a finished welcome no longer counts as skipped or dismissed."""
    user = _locked(user)
    if user.onboarding_completed_at is None:
        user.onboarding_completed_at = now or timezone.now()
        user.save(update_fields=["onboarding_completed_at", "updated_at"])
    return user


@transaction.atomic
def onboarding_skip(*, user: User, now: datetime | None = None) -> User:
    """ "Skip for now": sign-ins stop leading to the welcome; the dashboard offers to resume
    it until it is finished or dismissed. Nothing changes for a finished welcome."""
    user = _locked(user)
    if user.onboarding_completed_at is None and user.onboarding_skipped_at is None:
        user.onboarding_skipped_at = now or timezone.now()
        user.save(update_fields=["onboarding_skipped_at", "updated_at"])
    return user


@transaction.atomic
def onboarding_dismiss(*, user: User, now: datetime | None = None) -> User:
    """Hide the dashboard's offer to resume the welcome (it stays in the settings). Counts
    as skipped too, so sign-ins stop leading to it."""
    user = _locked(user)
    moment = now or timezone.now()
    fields = []
    if user.onboarding_dismissed_at is None:
        user.onboarding_dismissed_at = moment
        fields.append("onboarding_dismissed_at")
    if user.onboarding_completed_at is None and user.onboarding_skipped_at is None:
        user.onboarding_skipped_at = moment
        fields.append("onboarding_skipped_at")
    if fields:
        user.save(update_fields=[*fields, "updated_at"])
    return user
