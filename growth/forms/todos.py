"""The todo form of the todo pages (``growth.services.todos`` checks every rule)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import form_field
from growth.models import Goal, Todo
from growth.selectors.todos import goal_options_for_user


class TodoForm(forms.Form):
    text = forms.CharField(label=_("To do"), max_length=500)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    priority = forms.ChoiceField(label=_("Priority"), choices=Todo.Priority.choices, initial="medium")
    goal = forms.ModelChoiceField(label=_("Goal"), queryset=Goal.objects.none(), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "goal", forms.ModelChoiceField).queryset = goal_options_for_user(user=user)
