"""Reads of reflections (DESIGN.md §3): the owner reads their own; the mentor a reflection is
shared with reads it (and only while it is shared); everyone else gets ``None`` here — a 404
in pages and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, TypedDict, cast
from uuid import UUID

import django_filters
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import WithAnnotations

from accounts.selectors.users import user_queryset
from growth.localtime import local_date_case, local_now_by_zone, user_timezones
from growth.models import Goal, Reflection, ReminderSent
from mentorship.selectors.sessions import mentor_ids_working_with

if TYPE_CHECKING:
    from accounts.models import User

MOOD_CHART_SPANS = (30, 90)
SUNDAY = 6
# The weekly reflection reminder goes out from this local time on Sundays.
REFLECTION_REMINDER_AT = time(18, 0)


class ReflectionFilter(django_filters.FilterSet):
    """``kind``, ``goal`` (a goal id), ``shared`` (true/false), ``date_after`` /
    ``date_before`` (inclusive)."""

    kind = django_filters.ChoiceFilter(choices=Reflection.Kind.choices, label=_("Kind"))
    goal = django_filters.UUIDFilter(field_name="goal_id", label=_("Goal"))
    shared = django_filters.BooleanFilter(
        field_name="shared_with", lookup_expr="isnull", exclude=True, label=_("Shared with a mentor")
    )
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("From"))
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("Until"))

    class Meta:
        model = Reflection
        fields = ["kind", "goal", "shared", "date_after", "date_before"]


class SharedReflectionFilter(django_filters.FilterSet):
    """The mentor's inbox: ``answered`` (true: with your feedback; false: waiting for it)."""

    answered = django_filters.BooleanFilter(method="_answered", label=_("Answered"))

    class Meta:
        model = Reflection
        fields = ["answered"]

    def _answered(self, queryset: QuerySet[Reflection], name: str, value: bool | None) -> QuerySet[Reflection]:
        if value is None:
            return queryset
        return queryset.filter(mentor_feedback_at__isnull=not value)


def reflection_list_for_user(*, user: User, filters: dict[str, Any] | None = None) -> QuerySet[Reflection]:
    """The user's own reflections, latest date first, with their goal and mentor. One query."""
    queryset = Reflection.objects.filter(user_id=user.pk).select_related("goal", "shared_with").order_by("-date", "id")
    return ReflectionFilter(filters or None, queryset=queryset).qs


def reflection_get_for_user(*, user: User, reflection_id: Any) -> Reflection | None:
    """One of the user's own reflections; ``None`` for anyone else's."""
    return reflection_list_for_user(user=user).filter(pk=reflection_id).first()


def reflection_get_for_date(*, user: User, day: date) -> Reflection | None:
    """The user's reflection of ``day`` (their local date), if written."""
    return reflection_list_for_user(user=user).filter(date=day).first()


def reflection_inbox_for_mentor(*, mentor: User, filters: dict[str, Any] | None = None) -> QuerySet[Reflection]:
    """Reflections shared with ``mentor`` (and still shared), most recently shared first, with
    their author and goal. One query."""
    if not mentor.is_authenticated:
        return Reflection.objects.none()
    queryset = (
        Reflection.objects.filter(shared_with_id=mentor.pk)
        .select_related("user", "goal")
        .order_by("-shared_at", "-date", "id")
    )
    return SharedReflectionFilter(filters or None, queryset=queryset).qs


def reflection_get_for_mentor(*, mentor: User, reflection_id: Any) -> Reflection | None:
    """A reflection shared with ``mentor``; ``None`` when it is not (or no longer) shared with
    them — including the owner's own reflections."""
    return reflection_inbox_for_mentor(mentor=mentor).filter(pk=reflection_id).first()


def reflection_mentor_ids(*, user: User) -> set[UUID]:
    """Who ``user`` may share a reflection with: the mentors of their goals (not archived) and
    the mentors they work with in sessions (confirmed or completed). Two queries."""
    goal_mentors = set(
        Goal.objects.filter(user_id=user.pk, mentor__isnull=False)
        .exclude(status=Goal.Status.ARCHIVED)
        .values_list("mentor_id", flat=True)
    )
    return (goal_mentors | mentor_ids_working_with(user=user)) - {user.pk}


def reflection_mentor_choices(*, user: User) -> QuerySet[User]:
    """The users of :func:`reflection_mentor_ids`, by name (for the share form)."""
    return (
        user_queryset()
        .filter(pk__in=reflection_mentor_ids(user=user), is_active=True)
        .order_by("first_name", "last_name", "email")
    )


@dataclass(frozen=True)
class MoodDay:
    """One day of the mood chart: the score of that day's reflection, or ``None``."""

    day: date
    score: int | None
    mood: str


def mood_series(*, user: User, end: date, days: int) -> list[MoodDay]:
    """The ``days`` days ending with ``end`` (the user's local today), each with its mood
    score or ``None``. One query."""
    start = end - timedelta(days=days - 1)
    scores = {
        row["date"]: row
        for row in Reflection.objects.filter(user_id=user.pk, date__gte=start, date__lte=end).values(
            "date", "mood_score", "mood"
        )
    }
    series = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        row = scores.get(day)
        series.append(MoodDay(day=day, score=row["mood_score"] if row else None, mood=row["mood"] if row else ""))
    return series


def reflection_reminder_zones(*, now: datetime) -> dict[str, date]:
    """The time zones of active users where it is Sunday, 18:00 or later, at ``now`` — each
    with that Sunday's date. One query (the distinct zones: few)."""
    zones = user_timezones(user_queryset().filter(is_active=True).values("pk"))
    return {
        name: local.date()
        for name, local in local_now_by_zone(zones, now).items()
        if local.weekday() == SUNDAY and local.time() >= REFLECTION_REMINDER_AT
    }


class ReflectionReminderDue(TypedDict):
    """What :func:`reflection_reminder_due_users` annotates each user with."""

    sunday: date


def reflection_reminder_due_users(*, now: datetime) -> QuerySet[WithAnnotations[User, ReflectionReminderDue]]:
    """Active users for whom it is Sunday 18:00 or later in their own zone, who have not
    written that Sunday's weekly reflection and have not been reminded of it yet — each
    annotated ``sunday`` (their local date). Two queries (the zones, then the users)."""
    sundays = reflection_reminder_zones(now=now)
    if not sundays:
        return cast("QuerySet[WithAnnotations[User, ReflectionReminderDue]]", user_queryset().none())
    sunday = local_date_case("timezone", sundays)
    weekly = Reflection.objects.filter(user_id=OuterRef("pk"), kind=Reflection.Kind.WEEKLY, date=OuterRef("sunday"))
    reminded = ReminderSent.objects.filter(
        user_id=OuterRef("pk"), kind=ReminderSent.Kind.REFLECTION, local_date=OuterRef("sunday")
    )
    users = (
        user_queryset()
        .filter(is_active=True, timezone__in=list(sundays))
        .annotate(sunday=sunday)
        .filter(~Exists(weekly), ~Exists(reminded))
        .order_by("pk")
    )
    # The plugin cannot type these annotations (a Case, a Coalesce of a subquery): say what they are.
    return cast("QuerySet[WithAnnotations[User, ReflectionReminderDue]]", users)
