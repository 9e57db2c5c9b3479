"""Habit services (DESIGN.md §2 growth, Habit and Habit completion): two-minute habits and
their field errors, the owner alone writing, the completion window (today and 7 days back
in the user's own zone, across a DST change and far from UTC), idempotent ticks, undo,
evidence, pause / resume / finish (allowed and refused), the goal's progress, the badge
evaluation after commit and a tick's cost independent of the history."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.tests.factories import UserFactory
from accounts.tests.file_samples import image_bytes, pdf_bytes, upload
from accounts.tests.records import stored_files
from core.errors import ApplicationError
from core.models import OutboxMessage
from growth.models import Goal, Habit, HabitCompletion, HabitPause
from growth.services.habits import (
    TWO_MINUTE_MESSAGE,
    habit_complete,
    habit_create,
    habit_finish,
    habit_pause,
    habit_resume,
    habit_uncomplete,
    habit_update,
    habits_refresh_stored,
)
from growth.streaks import habit_engine_recompute
from growth.tests.factories import GoalFactory, HabitCompletionFactory, HabitFactory, HabitPauseFactory

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 16)
MORNING = datetime(2026, 3, 16, 9, 0, tzinfo=UTC)  # Monday 16 March 2026, 09:00 UTC
BADGE_TASK = "growth.tasks.badges_evaluate_task"


def _habit(user=None, *, start: date = MONDAY - timedelta(days=14), **kwargs) -> Habit:
    """An active habit of an active goal of ``user`` whose first period is ``start``."""
    goal = GoalFactory(user=user or UserFactory(), status=Goal.Status.ACTIVE)
    return HabitFactory(goal=goal, start_period=start, seen_through=start, **kwargs)


def _stored(habit: Habit) -> Habit:
    return Habit.objects.get(pk=habit.pk)


def test_create_starts_at_the_current_period_in_the_users_far_zone():
    # Sunday 15 March, 12:00 UTC is already Monday 16 March, 02:00 on Kiritimati (UTC+14).
    sunday_noon = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
    far = UserFactory(timezone="Pacific/Kiritimati")
    near = UserFactory(timezone="UTC")
    for user, daily, weekly in ((far, MONDAY, MONDAY), (near, date(2026, 3, 15), date(2026, 3, 9))):
        goal = GoalFactory(user=user, status=Goal.Status.ACTIVE)
        made = habit_create(user=user, goal=goal, title="Stretch", now=sunday_noon)
        assert (made.start_period, made.seen_through, made.status) == (daily, daily, Habit.Status.ACTIVE)
        weekly_habit = habit_create(user=user, goal=goal, title="Plan", frequency="weekly", now=sunday_noon)
        assert weekly_habit.start_period == weekly  # the Monday of the local ISO week


def test_create_trims_cues_and_refreshes_the_goals_progress():
    user = UserFactory()
    goal = GoalFactory(user=user, status=Goal.Status.ACTIVE, progress=0)
    kept = HabitFactory(goal=goal, completion_rate=Decimal("90.0"))
    for offset in range(14):
        HabitCompletionFactory(habit=kept, period=timezone.now().date() - timedelta(days=offset))
    habit = habit_create(
        user=user,
        goal=goal,
        title="  Read   one page ",
        duration_minutes=1,
        cue_time=" after  breakfast ",
        cue_place="at my desk",
        reward=" tea ",
    )
    assert (habit.title, habit.cue_time, habit.reward, habit.duration_minutes) == (
        "Read one page",
        "after breakfast",
        "tea",
        1,
    )
    assert Goal.objects.get(pk=goal.pk).progress == 25  # (14 of 28 + 0 of 28) / 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 161}, "title"),
        ({"duration_minutes": 3}, "duration_minutes"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": True}, "duration_minutes"),
        ({"duration_minutes": "2"}, "duration_minutes"),
        ({"frequency": "monthly"}, "frequency"),
        ({"cue_place": "x" * 121}, "cue_place"),
        ({"reward": "x" * 201}, "reward"),
        ({"description": "x" * 2001}, "description"),
    ],
)
def test_bad_input_is_a_field_error_and_saves_nothing(overrides, field):
    user = UserFactory()
    goal = GoalFactory(user=user, status=Goal.Status.ACTIVE)
    with pytest.raises(ValidationError) as error:
        habit_create(**{"user": user, "goal": goal, "title": "Stretch", **overrides})
    assert list(error.value.message_dict) == [field]
    assert not Habit.objects.exists()


def test_a_longer_habit_is_refused_with_the_two_minute_message():
    user = UserFactory()
    with pytest.raises(ValidationError) as error:
        habit_create(user=user, goal=GoalFactory(user=user), title="Read a chapter", duration_minutes=30)
    assert error.value.message_dict["duration_minutes"] == [TWO_MINUTE_MESSAGE]


@pytest.mark.parametrize("status", [Goal.Status.ARCHIVED, Goal.Status.COMPLETED])
def test_a_habit_belongs_to_a_goal_of_ones_own_still_being_worked_on(status):
    user = UserFactory()
    with pytest.raises(ValidationError) as error:
        habit_create(user=user, goal=GoalFactory(), title="Stretch")
    assert "your goals" in error.value.message_dict["goal"][0]
    with pytest.raises(ValidationError) as error:
        habit_create(user=user, goal=GoalFactory(user=user, status=status), title="Stretch")
    assert status in error.value.message_dict["goal"][0]
    assert not Habit.objects.exists()
    # A draft or pending goal is fine: habits are planned before approval.
    assert habit_create(user=user, goal=GoalFactory(user=user, status=Goal.Status.DRAFT), title="Stretch").pk


def test_only_the_owner_updates_and_unknown_fields_are_refused():
    habit = _habit()
    with pytest.raises(ApplicationError, match="owner"):
        habit_update(habit=habit, user=UserFactory(), data={"title": "Mine"})
    with pytest.raises(ValueError, match="status"):
        habit_update(habit=habit, user=habit.user, data={"status": Habit.Status.PAUSED})
    with pytest.raises(ValidationError) as error:
        habit_update(habit=habit, user=habit.user, data={"duration_minutes": 5})
    assert list(error.value.message_dict) == ["duration_minutes"]
    assert habit_update(habit=habit, user=habit.user, data={"cue_context": " when  stressed "}).cue_context == (
        "when stressed"
    )
    assert (_stored(habit).title, _stored(habit).duration_minutes) == (habit.title, 2)


def test_the_frequency_changes_only_before_the_first_tick_and_realigns_the_start():
    user = UserFactory()
    goal = GoalFactory(user=user, status=Goal.Status.ACTIVE)
    habit = habit_create(user=user, goal=goal, title="Stretch")
    weekly = habit_update(habit=habit, user=user, data={"frequency": Habit.Frequency.WEEKLY})
    assert weekly.start_period.weekday() == 0  # the Monday of the week it started in
    assert weekly.start_period <= habit.start_period < weekly.start_period + timedelta(days=7)
    habit_complete(habit=habit, user=user)
    with pytest.raises(ValidationError) as error:
        habit_update(habit=habit, user=user, data={"frequency": Habit.Frequency.DAILY})
    assert "fixed" in error.value.message_dict["frequency"][0]
    assert _stored(habit).frequency == Habit.Frequency.WEEKLY
    paused = habit_create(user=user, goal=goal, title="Breathe")
    habit_pause(habit=paused, user=user)
    habit_resume(habit=paused, user=user)
    with pytest.raises(ValidationError):
        habit_update(habit=paused, user=user, data={"frequency": Habit.Frequency.WEEKLY})


def test_moving_a_habit_to_another_goal_refreshes_both_goals_progress():
    user = UserFactory()
    first = GoalFactory(user=user, status=Goal.Status.ACTIVE)
    second = GoalFactory(user=user, status=Goal.Status.ACTIVE)
    done = habit_create(user=user, goal=first, title="Stretch")
    habit_create(user=user, goal=first, title="Breathe")
    habit_create(user=user, goal=second, title="Read")
    habit_complete(habit=done, user=user)
    # (1 of 28 + 0) / 2 = 1.8 %
    assert (Goal.objects.get(pk=first.pk).progress, Goal.objects.get(pk=second.pk).progress) == (2, 0)
    habit_update(habit=done, user=user, data={"goal": second})
    assert (Goal.objects.get(pk=first.pk).progress, Goal.objects.get(pk=second.pk).progress) == (0, 2)
    with pytest.raises(ValidationError) as error:
        habit_update(habit=done, user=user, data={"goal": GoalFactory()})
    assert list(error.value.message_dict) == ["goal"]
    assert _stored(done).goal_id == second.pk


def test_completing_twice_the_same_day_is_idempotent(django_capture_on_commit_callbacks):
    habit = _habit()
    with django_capture_on_commit_callbacks():
        first = habit_complete(habit=habit, user=habit.user, notes=" Felt good ", now=MORNING)
    with django_capture_on_commit_callbacks() as second_callbacks:
        again = habit_complete(habit=habit, user=habit.user, notes="Other notes", now=MORNING + timedelta(hours=8))
    assert (first.created, again.created) == (True, False)
    assert again.completion.pk == first.completion.pk
    completion = HabitCompletion.objects.get(habit=habit)
    assert (completion.period, completion.notes) == (MONDAY, "Felt good")
    stored = _stored(habit)
    assert (stored.current_streak, stored.longest_streak, stored.completed_count) == (1, 1, 1)
    assert second_callbacks == []  # nothing changed: no cache bump, nothing new to evaluate
    assert OutboxMessage.objects.filter(task_name=BADGE_TASK).count() == 1


def test_a_weekly_habit_is_done_once_per_iso_week():
    habit = _habit(frequency=Habit.Frequency.WEEKLY, start=MONDAY - timedelta(days=14))
    sunday_evening = datetime(2026, 3, 22, 20, 0, tzinfo=UTC)
    result = habit_complete(habit=habit, user=habit.user, day=date(2026, 3, 18), now=sunday_evening)
    assert (result.created, result.completion.period) == (True, MONDAY)
    assert not habit_complete(habit=habit, user=habit.user, now=sunday_evening).created  # Sunday: same week
    assert HabitCompletion.objects.filter(habit=habit).count() == 1
    assert habit_complete(habit=habit, user=habit.user, day=date(2026, 3, 15), now=sunday_evening).created
    assert _stored(habit).current_streak == 2  # the week before and this week


def test_today_is_the_users_local_date_far_from_utc():
    # Monday 20:00 UTC is Tuesday 05:00 in Tokyo: Tuesday may be ticked, not yet in UTC.
    evening = datetime(2026, 3, 16, 20, 0, tzinfo=UTC)
    tokyo = _habit(UserFactory(timezone="Asia/Tokyo"))
    assert habit_complete(habit=tokyo, user=tokyo.user, now=evening).completion.period == date(2026, 3, 17)
    utc = _habit(UserFactory(timezone="UTC"))
    assert habit_complete(habit=utc, user=utc.user, now=evening).completion.period == MONDAY
    with pytest.raises(ValidationError) as error:
        habit_complete(habit=utc, user=utc.user, day=date(2026, 3, 17), now=evening)
    assert "not come yet" in error.value.message_dict["date"][0]


def test_days_follow_the_users_zone_across_the_start_of_daylight_saving_time():
    # New York moved from UTC-5 to UTC-4 at 02:00 on Sunday 8 March 2026.
    user = UserFactory(timezone="America/New_York")
    habit = _habit(user, start=date(2026, 3, 1))
    ticks = [
        datetime(2026, 3, 8, 4, 30, tzinfo=UTC),  # Saturday 7 March, 23:30 EST
        datetime(2026, 3, 9, 3, 30, tzinfo=UTC),  # Sunday 8 March, 23:30 EDT
        datetime(2026, 3, 9, 4, 30, tzinfo=UTC),  # Monday 9 March, 00:30 EDT
    ]
    periods = [habit_complete(habit=habit, user=user, now=now).completion.period for now in ticks]
    assert periods == [date(2026, 3, 7), date(2026, 3, 8), date(2026, 3, 9)]
    stored = _stored(habit)
    assert (stored.current_streak, stored.longest_streak) == (3, 3)


def test_the_window_is_today_and_seven_days_back_never_before_the_start_or_in_a_pause():
    habit = _habit(start=MONDAY - timedelta(days=20))
    user = habit.user
    for day, message in (
        (MONDAY + timedelta(days=1), "not come yet"),
        (MONDAY - timedelta(days=8), "up to 7 days back"),
    ):
        with pytest.raises(ValidationError) as error:
            habit_complete(habit=habit, user=user, day=day, now=MORNING)
        assert message in error.value.message_dict["date"][0]
    assert habit_complete(habit=habit, user=user, day=MONDAY - timedelta(days=7), now=MORNING).created
    young = _habit(user, start=MONDAY - timedelta(days=2))
    with pytest.raises(ValidationError) as error:
        habit_complete(habit=young, user=user, day=MONDAY - timedelta(days=3), now=MORNING)
    assert "starts on" in error.value.message_dict["date"][0]
    HabitPauseFactory(habit=habit, started_on=MONDAY - timedelta(days=5), ended_on=MONDAY - timedelta(days=3))
    for day in (MONDAY - timedelta(days=5), MONDAY - timedelta(days=4)):
        with pytest.raises(ValidationError, match="paused then"):
            habit_complete(habit=habit, user=user, day=day, now=MORNING)
    assert habit_complete(habit=habit, user=user, day=MONDAY - timedelta(days=3), now=MORNING).created  # end: open
    assert HabitCompletion.objects.filter(habit__user=user).count() == 2


def test_only_the_owner_ticks_and_only_a_live_habit():
    habit = _habit()
    with pytest.raises(ApplicationError, match="owner"):
        habit_complete(habit=habit, user=UserFactory(), now=MORNING)
    with pytest.raises(ApplicationError, match="owner"):
        habit_uncomplete(habit=habit, user=UserFactory(), now=MORNING)
    habit_pause(habit=habit, user=habit.user, now=MORNING)
    for write in (habit_complete, habit_uncomplete):
        with pytest.raises(ApplicationError, match="paused: resume it"):
            write(habit=habit, user=habit.user, now=MORNING)
    habit_finish(habit=habit, user=habit.user, now=MORNING)
    for write in (habit_complete, habit_uncomplete):
        with pytest.raises(ApplicationError, match="completed"):
            write(habit=habit, user=habit.user, now=MORNING)
    assert not HabitCompletion.objects.exists()


def test_notes_are_limited_and_evidence_is_an_image():
    habit = _habit()
    with pytest.raises(ValidationError) as error:
        habit_complete(habit=habit, user=habit.user, notes="x" * 2001, now=MORNING)
    assert list(error.value.message_dict) == ["notes"]
    with pytest.raises(ValidationError) as error:
        habit_complete(habit=habit, user=habit.user, evidence=upload("proof.pdf", pdf_bytes()), now=MORNING)
    assert list(error.value.message_dict) == ["evidence"]
    assert not stored_files().exists()
    assert not HabitCompletion.objects.exists()
    result = habit_complete(habit=habit, user=habit.user, evidence=upload("proof.png", image_bytes()), now=MORNING)
    evidence = result.completion.evidence
    assert (evidence.uploaded_by_id, evidence.mime_type, evidence.is_public) == (habit.user_id, "image/png", False)
    assert "habit-evidence" in evidence.tags
    # A second tick of the done day keeps the first evidence and stores nothing more.
    again = habit_complete(habit=habit, user=habit.user, evidence=upload("again.png", image_bytes()), now=MORNING)
    assert not again.created
    assert list(stored_files().values_list("pk", flat=True)) == [evidence.pk]
    # Undoing the tick deletes its evidence with it.
    assert habit_uncomplete(habit=habit, user=habit.user, now=MORNING)
    assert not stored_files().exists()


def test_a_refused_tick_keeps_no_evidence():
    habit = _habit()
    habit_pause(habit=habit, user=habit.user, now=MORNING)
    with pytest.raises(ApplicationError):
        habit_complete(habit=habit, user=habit.user, evidence=upload("proof.png", image_bytes()), now=MORNING)
    with pytest.raises(ValidationError):
        habit_complete(
            habit=_habit(habit.user),
            user=habit.user,
            day=MONDAY + timedelta(days=1),
            evidence=upload("proof.png", image_bytes()),
            now=MORNING,
        )
    assert not stored_files().exists()


def test_undo_in_the_same_window_recomputes_streaks_and_rate_retroactively():
    habit = _habit(start=MONDAY - timedelta(days=3))
    user = habit.user
    for back in (3, 2, 1, 0):
        habit_complete(habit=habit, user=user, day=MONDAY - timedelta(days=back), now=MORNING)
    stored = _stored(habit)
    assert (stored.current_streak, stored.longest_streak, stored.completion_rate) == (4, 4, Decimal("100.0"))
    assert habit_uncomplete(habit=habit, user=user, day=MONDAY - timedelta(days=2), now=MORNING) is True
    assert habit_uncomplete(habit=habit, user=user, day=MONDAY - timedelta(days=2), now=MORNING) is False
    stored = _stored(habit)
    assert (stored.current_streak, stored.longest_streak) == (2, 2)
    assert (stored.completed_count, stored.completion_rate) == (3, Decimal("75.0"))
    assert Goal.objects.get(pk=habit.goal_id).progress == 11  # 3 of the last 28 days
    with pytest.raises(ValidationError):
        habit_uncomplete(habit=habit, user=user, day=MONDAY - timedelta(days=8), now=MORNING)
    with pytest.raises(ValidationError):
        habit_uncomplete(habit=habit, user=user, day=MONDAY + timedelta(days=1), now=MORNING)


def test_a_tick_costs_the_same_queries_whatever_the_history():
    def tick_queries(history_days: int) -> int:
        habit = _habit(start=MONDAY - timedelta(days=history_days + 1))
        for back in range(2, history_days + 2):
            HabitCompletionFactory(habit=habit, period=MONDAY - timedelta(days=back))
        habit_engine_recompute(habit=habit, today=MONDAY)
        with CaptureQueriesContext(connection) as captured:
            assert habit_complete(habit=habit, user=habit.user, now=MORNING).created
        assert _stored(habit).current_streak == 1  # yesterday was missed
        return len(captured)

    assert tick_queries(400) == tick_queries(3)


def test_pause_opens_at_today_or_tomorrow_when_today_is_done_and_never_breaks_the_streak():
    habit = _habit(start=MONDAY - timedelta(days=1))
    user = habit.user
    habit_complete(habit=habit, user=user, day=MONDAY - timedelta(days=1), now=MORNING)
    habit_complete(habit=habit, user=user, now=MORNING)
    paused = habit_pause(habit=habit, user=user, now=MORNING)
    assert paused.status == Habit.Status.PAUSED
    assert HabitPause.objects.get(habit=habit).started_on == MONDAY + timedelta(days=1)  # today counted
    with pytest.raises(ApplicationError, match="Only an active habit"):
        habit_pause(habit=habit, user=user, now=MORNING)
    thursday = MORNING + timedelta(days=3)
    resumed = habit_resume(habit=habit, user=user, now=thursday)
    assert resumed.status == Habit.Status.ACTIVE
    pause = HabitPause.objects.get(habit=habit)
    assert (pause.started_on, pause.ended_on) == (MONDAY + timedelta(days=1), MONDAY + timedelta(days=3))
    habit_complete(habit=habit, user=user, now=thursday)
    stored = _stored(habit)
    # Sunday, Monday, (Tuesday and Wednesday paused), Thursday: one run of three, all active periods done.
    assert (stored.current_streak, stored.completion_rate, stored.paused_periods) == (3, Decimal("100.0"), 2)
    with pytest.raises(ApplicationError, match="not paused"):
        habit_resume(habit=habit, user=user, now=thursday)


def test_a_pause_opened_before_todays_tick_starts_today():
    habit = _habit()
    habit_pause(habit=habit, user=habit.user, now=MORNING)
    assert HabitPause.objects.get(habit=habit).started_on == MONDAY
    assert _stored(habit).paused_at == MORNING


def test_a_paused_habit_leaves_the_goals_progress_and_comes_back_on_resume():
    user = UserFactory()
    goal = GoalFactory(user=user, status=Goal.Status.ACTIVE)
    done, missed = HabitFactory.create_batch(2, goal=goal, start_period=MONDAY, seen_through=MONDAY)
    habit_complete(habit=done, user=user, now=MORNING)
    assert Goal.objects.get(pk=goal.pk).progress == 2  # (1 of 28 + 0) / 2
    habit_pause(habit=missed, user=user, now=MORNING)
    assert Goal.objects.get(pk=goal.pk).progress == 4  # 1 of 28
    habit_resume(habit=missed, user=user, now=MORNING)
    assert Goal.objects.get(pk=goal.pk).progress == 2


def test_only_the_owner_pauses_resumes_or_finishes():
    habit = _habit()
    stranger = UserFactory()
    for write in (habit_pause, habit_finish):
        with pytest.raises(ApplicationError, match="owner"):
            write(habit=habit, user=stranger, now=MORNING)
    habit_pause(habit=habit, user=habit.user, now=MORNING)
    with pytest.raises(ApplicationError, match="owner"):
        habit_resume(habit=habit, user=stranger, now=MORNING)
    assert _stored(habit).status == Habit.Status.PAUSED


@pytest.mark.parametrize("pause_first", [False, True])
def test_finishing_keeps_streaks_and_rate_and_is_final(pause_first):
    habit = _habit(start=MONDAY - timedelta(days=1))
    user = habit.user
    habit_complete(habit=habit, user=user, day=MONDAY - timedelta(days=1), now=MORNING)
    habit_complete(habit=habit, user=user, now=MORNING)
    if pause_first:
        habit_pause(habit=habit, user=user, now=MORNING)
    # A paused habit is finished later: its pause's end is kept, the days in between never count.
    finished_at = MORNING + timedelta(days=10) if pause_first else MORNING
    finished = habit_finish(habit=habit, user=user, now=finished_at)
    assert (finished.status, finished.completed_at) == (Habit.Status.COMPLETED, finished_at)
    later = MORNING + timedelta(days=30)
    habits_refresh_stored(now=later)  # the nightly refresh: periods stopped counting after Monday
    stored = _stored(habit)
    assert (stored.current_streak, stored.longest_streak, stored.completion_rate) == (2, 2, Decimal("100.0"))
    assert Goal.objects.get(pk=habit.goal_id).progress == 7  # 2 of its last 28 counted days
    with pytest.raises(ApplicationError, match="already completed"):
        habit_finish(habit=habit, user=user, now=later)
    for write in (habit_pause, habit_resume):
        with pytest.raises(ApplicationError):
            write(habit=habit, user=user, now=later)


def test_an_active_habit_finished_late_counts_the_days_missed_until_then():
    habit = _habit(start=MONDAY - timedelta(days=1))
    user = habit.user
    habit_complete(habit=habit, user=user, day=MONDAY - timedelta(days=1), now=MORNING)
    habit_complete(habit=habit, user=user, now=MORNING)
    habit_finish(habit=habit, user=user, now=MORNING + timedelta(days=9))
    stored = _stored(habit)
    # As for a pause, the undone day of finishing does not count: Sunday 15 through Tuesday 24
    # are 10 periods, 2 done; the run ended a week ago.
    assert (stored.current_streak, stored.longest_streak, stored.completion_rate) == (0, 2, Decimal("20.0"))
