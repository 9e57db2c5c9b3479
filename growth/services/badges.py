"""Badges (DESIGN.md §2): unique per user, type and level; awarded by tasks, never twice, each
with exactly one ``badge_earned`` notification.

Rules (one place each, in :func:`badge_candidates` and ``_cross_app_candidates``):

- first step — a first habit ticked off (any habit, any period: the habit's longest run is
  at least one — the streak rule's query, no other);
- streak 7/14/30/100 — one of the user's habits has a current or longest streak of at least
  that many periods (days or weeks);
- consistency — a habit done in at least 80 % of its periods over the last 30 days of the
  user's local calendar: 24 of the last 30 days for a daily habit, 4 of the last 5 ISO weeks
  (the current one included) for a weekly one;
- reflection 7/30 — that many reflections written;
- identity builder — a first identity goal completed;
- milestone — a first course completed (learning);
- session completion 1/10/25 — that many completed mentorship sessions, **as mentee or as
  mentor** (either party: both took part in the session);
- mentor verified — the user's mentor profile is verified.

Each rule is one query. In the sweep it compares the rule with the badges held in the
database (``NOT IN`` the holders of each type and level, read once through an index) and
returns only the users who miss a badge they qualify for, so a sweep that has nothing to
award reads the data once and builds no Python object per user or per badge (issue 20).
An evaluation of one user reads that user's rows and compares them in Python.

Awarding is insert-first: the candidates are inserted with ``INSERT … ON CONFLICT DO
NOTHING`` (``bulk_create(ignore_conflicts=True)``) under the unique constraint, and only the
rows this call actually inserted — found again by the ids it generated — are notified, in
the same transaction. Two evaluations racing therefore give one badge and one notification.
The notifications go out in bulk (``notifications_send_many``: one insert and one e-mail
task per 500), so the first sweep of a large data set costs a few queries per 500 badges.
"""

from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import datetime, timedelta
from functools import reduce
from operator import or_
from typing import Any, NamedTuple
from uuid import UUID, uuid4

from django.db import connection, transaction
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.selectors.users import user_get_by_id, user_queryset
from accounts.services.notifications import NotificationDraft, notifications_send_many
from core.batch import cyclic_gc_paused
from growth.localtime import local_date_case, local_now_by_zone, monday_of, user_timezones
from growth.models import Badge, Goal, Habit, HabitCompletion, Reflection
from growth.notifications import GrowthNotification
from learning.selectors.progress import course_completer_ids
from mentorship.selectors.profiles import verified_mentor_user_ids
from mentorship.selectors.sessions import completed_session_counts, completed_session_sides

Type = Badge.Type

STREAK_LEVELS = (7, 14, 30, 100)
REFLECTION_LEVELS = (7, 30)
SESSION_LEVELS = (1, 10, 25)
CONSISTENCY_DAILY = (24, 30)  # done, of the last days
CONSISTENCY_WEEKLY = (4, 5)  # done, of the last ISO weeks
# How many ids one query looks up at once (SQLite limits bound parameters).
CHUNK = 500


class BadgeCandidate(NamedTuple):
    """A badge the user qualifies for (it may already be awarded). Equal and hashed by
    user, type and level alone (the metadata only describes it). A tuple: a first sweep
    builds tens of thousands of them."""

    user_id: UUID
    type: str
    level: int
    metadata: dict[str, Any] | None = None

    def key(self) -> tuple[UUID, str, int]:
        return self[0], self[1], self[2]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BadgeCandidate) and self.key() == other.key()

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self.key())


# Title, description and icon of each type; ``%(count)d`` is the level. The icon is a key of
# the sprite (core.icons.ICON_NAMES, drawn with ``{% icon badge.icon %}``), never an emoji.
BADGE_TEXTS: dict[str, tuple[Any, Any, str]] = {
    Type.FIRST_STEP: (
        gettext_lazy("First step"),
        gettext_lazy("You ticked off your first habit: two minutes, and it has begun."),
        "check-circle",
    ),
    Type.STREAK: (
        gettext_lazy("%(count)d in a row"),
        gettext_lazy("A habit done %(count)d periods in a row (days or weeks)."),
        "flame",
    ),
    Type.CONSISTENCY: (
        gettext_lazy("Consistent"),
        gettext_lazy("A habit done at least 80 %% of the time over the last 30 days."),
        "trending-up",
    ),
    Type.REFLECTION: (
        gettext_lazy("%(count)d reflections"),
        gettext_lazy("You wrote %(count)d reflections."),
        "pencil",
    ),
    Type.IDENTITY_BUILDER: (
        gettext_lazy("Identity builder"),
        gettext_lazy("You completed your first identity goal."),
        "compass",
    ),
    Type.MILESTONE: (
        gettext_lazy("First course completed"),
        gettext_lazy("You completed your first course."),
        "graduation-cap",
    ),
    Type.SESSION_COMPLETION: (
        gettext_lazy("%(count)d sessions"),
        gettext_lazy("You completed %(count)d mentorship sessions."),
        "users",
    ),
    Type.MENTOR_VERIFIED: (
        gettext_lazy("Verified mentor"),
        gettext_lazy("Your mentor profile was verified."),
        "shield-check",
    ),
}


def badge_text(badge_type: str, level: int) -> tuple[str, str, str]:
    """The title, description and icon key of a badge type and level."""
    if badge_type == Type.SESSION_COMPLETION and level == 1:
        return _("First session"), _("You completed your first mentorship session."), "users"
    title, description, icon = BADGE_TEXTS[badge_type]
    return str(title) % {"count": level}, str(description) % {"count": level}, icon


def _levels(user_id: UUID, badge_type: str, reached: int, levels: Sequence[int]) -> list[BadgeCandidate]:
    return [
        BadgeCandidate(user_id=user_id, type=badge_type, level=level, metadata={"reached": reached})
        for level in levels
        if reached >= level
    ]


def _scoped(queryset: Any, users: Collection[UUID] | None, field_name: str = "user_id") -> Any:
    return queryset if users is None else queryset.filter(**{f"{field_name}__in": list(users)})


class _Holders(RawSQL):
    """A subquery of user ids in plain SQL, usable in ``HAVING`` (no grouping by it)."""

    def get_group_by_cols(self) -> list[Any]:
        return []


def _held(badge_type: str, level: int) -> RawSQL:
    """The ids of the users holding this badge: a subquery, read through the (type, level,
    user) index. Plain SQL on growth's own table: a sweep uses a dozen of them, and building
    and compiling as many ORM subqueries would cost more than the database runs them."""
    quote = connection.ops.quote_name
    user, kind, level_column = (quote(column) for column in ("user_id", "type", "level"))
    sql = f"SELECT {user} FROM {quote(Badge._meta.db_table)} WHERE {kind} = %s AND {level_column} = %s"  # noqa: S608
    return _Holders(sql, (badge_type, level))


def _lacks(badge_type: str, level: int, field_name: str = "user_id") -> Q:
    """The row's user does not hold this badge: ``NOT IN`` a subquery of the holders, which
    the database reads once (a hash, also inside ``OR``), not once per row."""
    return ~Q(**{f"{field_name}__in": _held(badge_type, level)})


def _lacks_one_reached(value: str, badge_type: str, levels: Sequence[int]) -> Q:
    """``value`` (an aggregate) reaches a level of ``badge_type`` the row's user does not hold."""
    return reduce(or_, (Q(**{f"{value}__gte": level}) & _lacks(badge_type, level) for level in levels))


def _unheld(users: Collection[UUID] | None, condition: Callable[[], Q]) -> Q:
    """A rule's comparison with the badges held: in the database for a sweep (``users``
    ``None``: everyone), so that only who misses a badge comes back; none for the few given
    users of an evaluation — their candidates are few and :func:`badges_award` compares them
    with their badges (simpler queries, no subquery over everyone's badges)."""
    return condition() if users is None else Q()


def _streak_candidates(users: Collection[UUID] | None) -> list[BadgeCandidate]:
    """The streak badges and the first step (a best run of at least one: a tick), from one
    aggregate over the habits: only the users who reach a level they do not hold come back,
    each with every level they reach."""
    rows = (
        _scoped(Habit.objects.all(), users)
        .values("user_id")
        .annotate(best=Max(Greatest("current_streak", "longest_streak")))
        .filter(best__gte=1)
        .filter(
            _unheld(users, lambda: _lacks(Type.FIRST_STEP, 1) | _lacks_one_reached("best", Type.STREAK, STREAK_LEVELS))
        )
        .order_by()
        .values_list("user_id", "best")
    )
    return [
        candidate
        for user_id, best in rows
        for candidate in (
            BadgeCandidate(user_id=user_id, type=Type.FIRST_STEP, level=1),
            *_levels(user_id, Type.STREAK, best, STREAK_LEVELS),
        )
    ]


def _consistency_candidates(users: Collection[UUID] | None, now: datetime) -> list[BadgeCandidate]:
    """Two queries whatever the number of users: the time zones, then the habits of the
    users without the badge that qualify, oldest first. Each habit's window starts at its
    owner's local date (a ``CASE`` on the owner's zone); it qualifies when its window holds
    the completions needed — the database stops at that many, reading the habit's recent
    periods in the (habit, period) index. The oldest qualifying habit gives its owner the
    badge."""
    local = local_now_by_zone(user_timezones(users), now)
    if not local:
        return []
    daily_done, daily_days = CONSISTENCY_DAILY
    weekly_done, weekly_weeks = CONSISTENCY_WEEKLY
    daily_starts = {name: moment.date() - timedelta(days=daily_days - 1) for name, moment in local.items()}
    weekly_starts = {
        name: monday_of(moment.date()) - timedelta(weeks=weekly_weeks - 1) for name, moment in local.items()
    }

    def done_since(start: str, done: int) -> Exists:
        """At least ``done`` completions of the habit from its ``start`` annotation on."""
        since = HabitCompletion.objects.filter(habit_id=OuterRef("pk"), period__gte=OuterRef(start))
        return Exists(since.order_by()[done - 1 : done])

    rows = (
        _scoped(Habit.objects.all(), users)
        .filter(_unheld(users, lambda: _lacks(Type.CONSISTENCY, 1)))
        .annotate(
            daily_start=local_date_case("user__timezone", daily_starts),
            weekly_start=local_date_case("user__timezone", weekly_starts),
        )
        .filter(
            Q(done_since("daily_start", daily_done), frequency=Habit.Frequency.DAILY)
            | Q(done_since("weekly_start", weekly_done), frequency=Habit.Frequency.WEEKLY)
        )
        .order_by("user_id", "created_at", "pk")
        .values_list("user_id", "pk")
    )
    first: dict[UUID, UUID] = {}
    for user_id, habit_id in rows:
        first.setdefault(user_id, habit_id)
    return [
        BadgeCandidate(user_id=user_id, type=Type.CONSISTENCY, level=1, metadata={"habit_id": str(habit_id)})
        for user_id, habit_id in first.items()
    ]


def _reflection_candidates(users: Collection[UUID] | None) -> list[BadgeCandidate]:
    """One aggregate over the reflections of the users missing a reflection badge: only
    those who reach a level they do not hold come back, each with every level they reach."""
    rows = (
        _scoped(Reflection.objects.all(), users)
        .filter(_unheld(users, lambda: reduce(or_, (_lacks(Type.REFLECTION, level) for level in REFLECTION_LEVELS))))
        .values("user_id")
        .annotate(count=Count("pk"))
        .filter(_unheld(users, lambda: _lacks_one_reached("count", Type.REFLECTION, REFLECTION_LEVELS)))
        .order_by()
        .values_list("user_id", "count")
    )
    return [
        candidate
        for user_id, count in rows
        for candidate in _levels(user_id, Type.REFLECTION, count, REFLECTION_LEVELS)
    ]


def _identity_candidates(users: Collection[UUID] | None) -> list[BadgeCandidate]:
    """The first completed goal of each user without the badge (one query)."""
    first: dict[UUID, UUID] = {}
    rows = (
        _scoped(Goal.objects.filter(status=Goal.Status.COMPLETED), users)
        .filter(_unheld(users, lambda: _lacks(Type.IDENTITY_BUILDER, 1)))
        .values_list("user_id", "pk")
        .order_by("user_id", "completed_at", "pk")
    )
    for user_id, goal_id in rows:
        first.setdefault(user_id, goal_id)
    return [
        BadgeCandidate(user_id=user_id, type=Type.IDENTITY_BUILDER, level=1, metadata={"goal_id": str(goal_id)})
        for user_id, goal_id in first.items()
    ]


def _session_level_reached(users: Collection[UUID] | None) -> RawSQL:
    """The ids of the users whose completed sessions (mentorship's
    :func:`~mentorship.selectors.sessions.completed_session_sides`, both parties) reach the
    lowest session level they do not hold — i.e. who miss a session badge they qualify
    for: one pass over the sessions grouped by person, each count compared in the database
    with that person's next level (``NULL``, never reached, once they hold them all). For
    given users (an evaluation), those who reach the first level (see :func:`_unheld`)."""
    sides, params = completed_session_sides(users=users).query.sql_with_params()
    arguments: list[Any] = list(params)
    if users is None:
        levels = []
        for level in SESSION_LEVELS:
            held = _held(Type.SESSION_COMPLETION, level)
            levels.append(f"WHEN sides.person NOT IN ({held.sql}) THEN %s")
            arguments.extend((*held.params, level))
        needed = f"CASE {' '.join(levels)} END"
    else:
        needed = "%s"
        arguments.append(SESSION_LEVELS[0])
    sql = f"SELECT sides.person FROM ({sides}) sides GROUP BY sides.person HAVING COUNT(*) >= {needed}"  # noqa: S608 — compiled queries, bound values
    return RawSQL(sql, arguments)  # noqa: S611


def _cross_app_candidates(users: Collection[UUID] | None) -> list[BadgeCandidate]:
    """The badges that hang on learning and mentorship — milestone, session completion,
    mentor verified — for ``users`` (or all users), from those apps' public selectors used
    as subqueries: one query over the users that returns only those who miss one of these
    badges (none, once the sweep has caught up), then the session counts of those who miss
    a session badge."""
    people = _scoped(user_queryset(), users, "pk")
    milestone = Q(pk__in=course_completer_ids(users=users)) & _unheld(users, lambda: _lacks(Type.MILESTONE, 1, "pk"))
    verified = Q(pk__in=verified_mentor_user_ids(users=users)) & _unheld(
        users, lambda: _lacks(Type.MENTOR_VERIFIED, 1, "pk")
    )
    sessions = Q(pk__in=_session_level_reached(users))
    rows = (
        people.filter(milestone | verified | sessions)
        .annotate(milestone=milestone, verified=verified, sessions=sessions)
        .order_by()
        .values_list("pk", "milestone", "verified", "sessions")
    )
    candidates: list[BadgeCandidate] = []
    in_sessions: list[UUID] = []
    for user_id, misses_milestone, misses_verified, misses_sessions in rows:
        if misses_milestone:
            candidates.append(BadgeCandidate(user_id=user_id, type=Type.MILESTONE, level=1))
        if misses_verified:
            candidates.append(BadgeCandidate(user_id=user_id, type=Type.MENTOR_VERIFIED, level=1))
        if misses_sessions:
            in_sessions.append(user_id)
    if in_sessions:  # many (a first sweep): everyone's counts beat a long IN list
        counts = completed_session_counts(users=in_sessions if len(in_sessions) <= CHUNK else users)
        for user_id in in_sessions:
            candidates.extend(_levels(user_id, Type.SESSION_COMPLETION, counts.get(user_id, 0), SESSION_LEVELS))
    return candidates


def badge_candidates(*, users: Collection[UUID] | None = None, now: datetime | None = None) -> list[BadgeCandidate]:
    """The badges of growth's own rules (streak, consistency, reflection, identity builder)
    that the given users qualify for, or — without ``users`` — that all users qualify for
    and do not all hold yet, in five queries whatever the number of users. For all users
    the database compares each rule with the badges held: a user comes back only when they
    miss a badge they qualify for (then with every level of that rule they reach;
    :func:`badges_award` skips the ones held), so once everything is awarded the queries
    return no rows."""
    now = now or timezone.now()
    return [
        *_streak_candidates(users),
        *_consistency_candidates(users, now),
        *_reflection_candidates(users),
        *_identity_candidates(users),
    ]


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for index in range(0, len(items), CHUNK):
        yield items[index : index + CHUNK]


def badges_award(*, candidates: Iterable[BadgeCandidate], now: datetime | None = None) -> list[Badge]:
    """Insert the candidates that are not awarded yet and notify each badge this call
    inserted — exactly once, even when another evaluation inserts the same badges at the
    same moment (see the module's docstring). Returns the badges inserted here. Nothing
    new: no transaction (no candidates: no query)."""
    unique: dict[tuple[UUID, str, int], BadgeCandidate] = {}
    for candidate in candidates:  # keyed by plain tuples: no Python-level hash per candidate
        unique.setdefault((candidate[0], candidate[1], candidate[2]), candidate)
    if not unique:
        return []
    user_ids = list({key[0] for key in unique})
    # The badges held already are left out here; one inserted meanwhile by a racing
    # evaluation is left out by the insert itself (see _award).
    existing: set[tuple[UUID, str, int]] = set()
    if len(user_ids) > CHUNK:  # a sweep: one pass over the badges beats many IN lists
        existing.update(Badge.objects.order_by().values_list("user_id", "type", "level"))
    else:
        for chunk in _chunks(user_ids):
            existing.update(Badge.objects.filter(user_id__in=chunk).values_list("user_id", "type", "level"))
    now = now or timezone.now()
    rows = []
    texts: dict[tuple[str, int], tuple[str, str, str]] = {}  # a sweep awards few kinds to many
    for key, candidate in unique.items():
        if key in existing:
            continue
        kind = (candidate.type, candidate.level)
        if kind not in texts:
            texts[kind] = badge_text(*kind)
        title, description, icon = texts[kind]
        rows.append(
            Badge(
                id=uuid4(),
                user_id=candidate.user_id,
                type=candidate.type,
                level=candidate.level,
                title=title,
                description=description,
                icon=icon,
                metadata=candidate.metadata or {},
                earned_at=now,
            )
        )
    return _award(rows) if rows else []


@transaction.atomic
def _award(rows: list[Badge]) -> list[Badge]:
    """Insert ``rows`` (``ON CONFLICT DO NOTHING``) and notify those this call inserted."""
    Badge.objects.bulk_create(rows, ignore_conflicts=True, batch_size=CHUNK)
    # The rows this call inserted (a racing evaluation may have inserted some first): their
    # ids alone are read back, the rows themselves are already here.
    ids: set[UUID] = set()
    for chunk in _chunks([row.pk for row in rows]):
        ids.update(Badge.objects.filter(pk__in=chunk).values_list("pk", flat=True))
    inserted = [row for row in rows if row.pk in ids]
    inserted.sort(key=lambda badge: (str(badge.user_id), badge.type, badge.level))
    url = reverse("growth:badge-list")
    titles = {title: _("New badge: %(title)s") % {"title": title} for title in {badge.title for badge in inserted}}
    notifications_send_many(
        drafts=[
            NotificationDraft(
                user_id=badge.user_id,
                type=GrowthNotification.BADGE_EARNED,
                title=titles[badge.title],
                message=badge.description,
                related=badge,
                action_url=url,
            )
            for badge in inserted
        ]
    )
    return inserted


def badges_evaluate_for_user(*, user_id: Any, now: datetime | None = None) -> list[Badge]:
    """Award every badge the user qualifies for and does not hold yet (growth's rules and the
    learning and mentorship ones). Called by tasks after completions, reflections, goals,
    finished courses and sessions, and mentor verification. Returns the new badges."""
    user = user_get_by_id(user_id=user_id)
    if user is None:
        return []
    candidates = [*badge_candidates(users=[user.pk], now=now), *_cross_app_candidates([user.pk])]
    return badges_award(candidates=candidates, now=now)


def badges_sweep(*, now: datetime | None = None) -> list[Badge]:
    """The nightly catch-up: every rule — growth's and the learning and mentorship ones —
    for ALL users in a few aggregate queries, then one insert and notifications for the
    badges still missing (e.g. when a signal's task was lost). Nothing missing: the queries
    return no rows and nothing else runs. A first sweep of a large data set brings tens of
    thousands of candidates through Python at once, with the cyclic collector paused
    (``core.batch``)."""
    with cyclic_gc_paused():
        return badges_award(candidates=[*badge_candidates(now=now), *_cross_app_candidates(None)], now=now)
