"""Forms of the habit pages: a habit (create and edit) and a back-filled tick
(``growth.services.habits`` checks every rule)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import form_field
from growth.models import Goal, Habit
from growth.selectors.todos import goal_options_for_user
from growth.services.habits import NOTES_MAX_LENGTH

if TYPE_CHECKING:
    from accounts.models import User


class HabitForm(forms.Form):
    goal = forms.ModelChoiceField(label=_("Goal"), queryset=Goal.objects.none())
    title = forms.CharField(label=_("Habit"), max_length=160, help_text=_("“Read one page”, “put on running shoes”"))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    frequency = forms.ChoiceField(label=_("How often"), choices=Habit.Frequency.choices)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=1,
        initial=2,
        help_text=_("One or two minutes: make it a two-minute habit."),
    )
    cue_time = forms.CharField(
        label=_("Cue: when"),
        required=False,
        max_length=80,
        help_text=_("“08:00”, “after breakfast”"),
    )
    cue_place = forms.CharField(label=_("Cue: where"), required=False, max_length=120, help_text=_("“at my desk”"))
    cue_context = forms.CharField(
        label=_("Cue: context"),
        required=False,
        max_length=200,
        help_text=_("“when I feel stressed”"),
    )
    reward = forms.CharField(label=_("Reward"), required=False, max_length=200, help_text=_("“a cup of tea”"))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "goal", forms.ModelChoiceField).queryset = goal_options_for_user(user=user).exclude(
            status=Goal.Status.COMPLETED
        )


class BackfillForm(forms.Form):
    date = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(
        label=_("Notes (optional)"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence = forms.FileField(
        label=_("Evidence image (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
    )
