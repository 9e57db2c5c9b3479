"""Todo services (DESIGN.md §2 growth, Todo): field errors, the optional goal of one's own,
editable fields only, idempotent ticks keeping the first tick's time, deletion (todos,
unlike goals, may be deleted) and the audit log's record of it without the text."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory
from accounts.tests.records import audit_entries
from growth.models import Todo
from growth.services.todos import todo_create, todo_delete, todo_set_done, todo_update
from growth.tests.factories import GoalFactory, TodoFactory

pytestmark = pytest.mark.django_db


def test_create_trims_the_text_with_medium_priority_by_default():
    user = UserFactory()
    todo = todo_create(user=user, text="  Buy running shoes \n")
    stored = Todo.objects.get(pk=todo.pk)
    assert (stored.user_id, stored.text, stored.priority) == (user.pk, "Buy running shoes", Todo.Priority.MEDIUM)
    assert (stored.done, stored.done_at, stored.goal_id, stored.due_date) == (False, None, None, None)


def test_create_with_a_goal_of_ones_own_a_due_date_and_a_priority():
    user = UserFactory()
    goal = GoalFactory(user=user)
    todo = todo_create(user=user, text="Plan the route", due_date=date(2030, 5, 1), priority="high", goal=goal)
    stored = Todo.objects.get(pk=todo.pk)
    assert (stored.goal_id, stored.due_date, stored.priority) == (goal.pk, date(2030, 5, 1), Todo.Priority.HIGH)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"text": " \n "}, "text"),
        ({"text": None}, "text"),
        ({"text": "x" * 501}, "text"),
        ({"priority": "urgent"}, "priority"),
        ({"goal": "not a goal"}, "goal"),
    ],
)
def test_bad_input_is_a_field_error_and_saves_nothing(overrides, field):
    with pytest.raises(ValidationError) as error:
        todo_create(**{"user": UserFactory(), "text": "Stretch", **overrides})
    assert list(error.value.message_dict) == [field]
    assert not Todo.objects.exists()


def test_another_persons_goal_is_refused_with_every_other_error_at_once():
    user = UserFactory()
    with pytest.raises(ValidationError) as error:
        todo_create(user=user, text="", priority="soon", goal=GoalFactory())
    assert set(error.value.message_dict) == {"text", "priority", "goal"}
    assert "your own goals" in error.value.message_dict["goal"][0]
    assert not Todo.objects.exists()


def test_update_validates_like_create_against_the_todos_owner():
    todo = TodoFactory(text="Stretch")
    updated = todo_update(todo=todo, text="  Stretch twice ", priority="low", goal=GoalFactory(user=todo.user))
    stored = Todo.objects.get(pk=todo.pk)
    assert (updated.text, stored.text, stored.priority) == ("Stretch twice", "Stretch twice", Todo.Priority.LOW)
    with pytest.raises(ValidationError) as error:
        todo_update(todo=todo, goal=GoalFactory())  # a goal of someone other than the todo's owner
    assert list(error.value.message_dict) == ["goal"]
    with pytest.raises(ValidationError):
        todo_update(todo=todo, text="")
    assert todo_update(todo=todo, goal=None, due_date=None).goal_id is None
    assert Todo.objects.get(pk=todo.pk).text == "Stretch twice"


@pytest.mark.parametrize("field", ["user", "done", "done_at", "id"])
def test_only_the_editable_fields_are_changed_by_update(field):
    todo = TodoFactory()
    with pytest.raises(TypeError, match=field):
        todo_update(todo=todo, **{field: None})
    assert Todo.objects.get(pk=todo.pk).user_id == todo.user_id


def test_ticking_is_idempotent_and_keeps_the_first_ticks_time():
    todo = TodoFactory()
    ticked = todo_set_done(todo=todo, done=True)
    first_tick = Todo.objects.get(pk=todo.pk).done_at
    assert ticked.done is True
    assert first_tick is not None
    todo_set_done(todo=Todo.objects.get(pk=todo.pk), done=True)
    assert Todo.objects.get(pk=todo.pk).done_at == first_tick
    unticked = todo_set_done(todo=Todo.objects.get(pk=todo.pk), done=False)
    stored = Todo.objects.get(pk=todo.pk)
    assert (unticked.done, stored.done, stored.done_at) == (False, False, None)
    assert todo_set_done(todo=stored, done=False).done_at is None


def test_edits_and_deletion_are_in_the_audit_log_without_the_text():
    todo = TodoFactory(text="Call my sister about the diagnosis")
    todo_id = todo.pk
    todo_update(todo=todo, text="Call my sister again")
    todo_delete(todo=todo)
    assert not Todo.objects.filter(pk=todo_id).exists()
    entries = audit_entries().filter(object_pk=str(todo_id)).order_by("timestamp")
    assert list(entries.values_list("action_name", flat=True)) == ["todo.created", "todo.updated", "todo.deleted"]
    for entry in entries:
        assert "sister" not in f"{entry.changes} {entry.object_repr}"
