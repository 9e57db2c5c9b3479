"""The goal form of the goal pages (``growth.services.goals`` checks every rule)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.forms import form_field
from growth.selectors.goals import goal_mentor_choices

if TYPE_CHECKING:
    from accounts.models import User


class _MentorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class GoalForm(forms.Form):
    identity = forms.CharField(
        label=_("Who do you want to become?"),
        max_length=300,
        help_text=_("“I want to become a … who …”"),
    )
    title = forms.CharField(label=_("Title"), max_length=160)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    category = forms.CharField(
        label=_("Category"),
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"list": "goal-categories"}),
    )
    due_date = forms.DateField(label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    mentor = _MentorChoiceField(
        label=_("Mentor (optional)"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("No mentor: I start it myself"),
        help_text=_("A mentor you work with approves the goal before it starts."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        """The mentor field lists the mentors ``user`` works with; without any, it is left out."""
        super().__init__(*args, **kwargs)
        choices = goal_mentor_choices(user=user)
        if choices.exists():
            form_field(self, "mentor", forms.ModelChoiceField).queryset = choices
        else:
            del self.fields["mentor"]
