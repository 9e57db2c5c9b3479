"""Forms of the reflection pages: the day's reflection, sharing it with a mentor, and the
mentor's feedback (``growth.services.reflections`` checks every rule)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.forms import form_field
from growth.models import Reflection
from growth.selectors.reflections import reflection_mentor_choices
from growth.selectors.todos import goal_options_for_user

if TYPE_CHECKING:
    from accounts.models import User


class ReflectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Reflection.Kind.choices, widget=forms.RadioSelect)
    mood = forms.ChoiceField(label=_("How do you feel?"), choices=Reflection.Mood.choices)
    mood_score = forms.IntegerField(label=_("Mood score (1–10)"), min_value=1, max_value=10, widget=forms.NumberInput())
    text = forms.CharField(
        label=_("Your day"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=10000
    )
    what_went_well = forms.CharField(
        label=_("What went well"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    what_felt_hard = forms.CharField(
        label=_("What felt hard"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    insights = forms.CharField(
        label=_("Insights"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    gratitude = forms.CharField(
        label=_("Grateful for"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One a line, up to ten."),
    )
    goal = forms.ModelChoiceField(label=_("Goal"), queryset=Reflection.objects.none(), required=False)

    def __init__(self, *args: Any, user: User, weekly_allowed: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "goal", forms.ModelChoiceField).queryset = goal_options_for_user(user=user)
        if not weekly_allowed:
            form_field(self, "kind", forms.ChoiceField).choices = [(Reflection.Kind.DAILY, Reflection.Kind.DAILY.label)]


class _MentorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.email


class ShareForm(forms.Form):
    mentor = _MentorChoiceField(label=_("Share with"), queryset=get_user_model().objects.none())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "mentor", forms.ModelChoiceField).queryset = reflection_mentor_choices(user=user)


class FeedbackForm(forms.Form):
    feedback = forms.CharField(label=_("Your feedback"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
