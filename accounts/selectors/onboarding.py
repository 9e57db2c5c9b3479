"""Reads of the welcome a new member goes through: where it stands, whether to greet the
person as new, and the first steps that match what brings them here."""

from enum import StrEnum

from accounts.models import User
from core.registry import FirstStep, first_steps


class OnboardingStatus(StrEnum):
    PENDING = "pending"  # neither finished nor skipped: sign-ins lead to the welcome
    SKIPPED = "skipped"  # "Skip for now": the dashboard offers to resume it
    DISMISSED = "dismissed"  # the offer was hidden; the settings still link to it
    COMPLETED = "completed"


def onboarding_status(*, user: User) -> OnboardingStatus:
    if user.onboarding_completed_at is not None:
        return OnboardingStatus.COMPLETED
    if user.onboarding_dismissed_at is not None:
        return OnboardingStatus.DISMISSED
    if user.onboarding_skipped_at is not None:
        return OnboardingStatus.SKIPPED
    return OnboardingStatus.PENDING


def onboarding_is_pending(*, user: User) -> bool:
    """Whether signing in (or confirming the e-mail address) leads to the welcome."""
    return onboarding_status(user=user) == OnboardingStatus.PENDING


def onboarding_prompt_visible(*, user: User) -> bool:
    """Whether the dashboard offers the welcome: not finished and not dismissed."""
    return onboarding_status(user=user) in (OnboardingStatus.PENDING, OnboardingStatus.SKIPPED)


def user_is_new(*, user: User) -> bool:
    """A member is greeted as new ("Welcome to Ascend", not "Welcome back") before they
    finish or skip the welcome, and for the rest of the sign-in in which they did (it ended
    after their latest sign-in), and before any sign-in at all."""
    if onboarding_is_pending(user=user) or user.last_login is None:
        return True
    ended = max(
        (moment for moment in (user.onboarding_completed_at, user.onboarding_skipped_at) if moment), default=None
    )
    return ended is not None and ended > user.last_login


def user_greeting_name(*, user: User) -> str:
    """The name the person chose to be called (their first name), or "" — never a piece
    of their e-mail address."""
    return user.first_name.strip()


def onboarding_first_steps(*, user: User) -> list[FirstStep]:
    """The first step of each app for what brings ``user`` here, in the order of the
    choices; every first step when they chose nothing."""
    if not user.intents:
        return first_steps.all()
    return [step for step in first_steps.all() if step.key in user.intents]
