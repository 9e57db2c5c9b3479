"""The goal form of the goal pages (``growth.services.goals`` checks every rule)."""

from django import forms
from django.utils.translation import gettext_lazy as _


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
