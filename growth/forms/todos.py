"""The todo form of the todo pages (``growth.services.todos`` checks every rule)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import form_field
from growth.models import Goal, Todo
from growth.selectors.todos import goal_options_for_user

if TYPE_CHECKING:
    from accounts.models import User


class TodoForm(forms.Form):
    text = forms.CharField(label=_("To do"), max_length=500)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    priority = forms.ChoiceField(label=_("Priority"), choices=Todo.Priority.choices, initial="medium")
    goal = forms.ModelChoiceField(label=_("Goal"), queryset=Goal.objects.none(), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "goal", forms.ModelChoiceField).queryset = goal_options_for_user(user=user)
