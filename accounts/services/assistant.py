"""Writes of the person's consent to the language-model assistant (core.llm). Saved on the
user, so the audit log records who agreed or withdrew and when (never any text)."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User


def _locked(user: User) -> User:
    return User.objects.select_for_update().get(pk=user.pk)


@transaction.atomic
def assistant_consent_give(*, user: User) -> None:
    """``user`` agrees that their chat answers and, for insights, their week's reflections
    may be sent to the language-model provider. Agreeing again keeps the first moment."""
    locked = _locked(user)
    if locked.assistant_consent_at is None:
        locked.assistant_consent_at = timezone.now()
        locked.save(update_fields=["assistant_consent_at", "updated_at"])
    user.assistant_consent_at = locked.assistant_consent_at


@transaction.atomic
def assistant_consent_withdraw(*, user: User) -> None:
    """``user`` withdraws: from now on nothing of theirs is sent (the assistant falls back
    to the keyword engine and the statistics). Withdrawing without consent changes nothing."""
    locked = _locked(user)
    if locked.assistant_consent_at is not None:
        locked.assistant_consent_at = None
        locked.save(update_fields=["assistant_consent_at", "updated_at"])
    user.assistant_consent_at = None
