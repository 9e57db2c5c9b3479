"""Reads of the person's consent to the language-model assistant (core.llm): before any of
their text goes to a provider, they agree once; they may withdraw in the settings."""

from accounts.models import User


def assistant_consent_given(user: User) -> bool:
    """Whether ``user`` has agreed (and not withdrawn) that their chat answers and, for
    insights, their week's reflections may be sent to the language-model provider. An
    anonymous or erased person never has."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "erased_at", None) is not None:
        return False
    return user.assistant_consent_at is not None
