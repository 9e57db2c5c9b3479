"""Forms of mentor profiles, users' mentorship categories and general reviews."""

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from learning.selectors.catalog import category_list_sub, category_list_top_level
from mentorship.models import MentorProfile, MentorshipSession
from mentorship.services.profiles import PROFILE_FIELDS


class ExpertiseField(forms.CharField):
    """A comma-separated list of short texts, cleaned into a list."""

    def prepare_value(self, value: Any) -> Any:
        return ", ".join(value) if isinstance(value, list) else value

    # A text input that cleans to a list: the one place this field departs from CharField.
    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [item.strip() for item in text.split(",") if item.strip()]


class MentorProfileForm(forms.ModelForm):
    """The "become a mentor" application and its later edits (the service validates again)."""

    availability_url = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        label=_("Availability link"),
        help_text=_("Where mentees see when you are free (Calendly …)."),
    )
    meeting_link = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        label=_("Default meeting link"),
        help_text=_("Your default link for virtual sessions."),
    )

    categories = forms.ModelMultipleChoiceField(
        queryset=category_list_top_level(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Categories you mentor in"),
    )
    subcategories = forms.ModelMultipleChoiceField(
        queryset=category_list_sub(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Subcategories"),
        help_text=_("Only subcategories of the categories you chose."),
    )
    expertise = ExpertiseField(
        required=False, max_length=1600, label=_("Expertise"), help_text=_("Separate the areas with commas.")
    )
    languages = ExpertiseField(
        required=False,
        max_length=600,
        label=_("Languages you mentor in"),
        help_text=_("Separate them with commas: English, German."),
    )

    class Meta:
        model = MentorProfile
        fields = [name for name in PROFILE_FIELDS if name != "image"]
        labels = {"base_price_cents": _("Base price for 60 minutes (cents)")}
        help_texts = {
            "base_price_cents": _(
                "A virtual hour; other lengths in proportion, in person 30 % less, a partner venue's discount "
                "off that. 0: your sessions are free."
            ),
            "race": _("Optional; used only for “mentors like me” filters."),
            "ethnicity": _("Optional; used only for “mentors like me” filters."),
        }


class UserCategoriesForm(forms.Form):
    categories = forms.ModelMultipleChoiceField(
        queryset=category_list_top_level(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Areas you want mentoring in"),
    )
    languages = ExpertiseField(
        required=False,
        max_length=600,
        label=_("Languages you speak"),
        help_text=_("Separate them with commas: English, German. Suggested mentors speak them."),
    )


class SessionChoiceField(forms.ModelChoiceField):
    """A completed session, named by its date and topic."""

    def label_from_instance(self, obj: Any) -> str:
        return _("The session of %(date)s: %(topic)s") % {
            "date": date_format(obj.start_at, "DATE_FORMAT"),
            "topic": obj.topic or _("no topic"),
        }


class ReviewForm(forms.Form):
    """A review of a mentor: rating, comment and, for a new review, whether it is about one
    of the completed sessions together (``sessions``) or general."""

    rating = forms.TypedChoiceField(
        choices=[(n, str(n)) for n in range(5, 0, -1)], coerce=int, widget=forms.RadioSelect, label=_("Rating")
    )
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000)
    session = SessionChoiceField(
        queryset=MentorshipSession.objects.none(),
        required=False,
        empty_label=_("The mentor in general"),
        label=_("What is your review about?"),
    )

    def __init__(self, *args: Any, sessions: QuerySet[MentorshipSession] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if sessions is None:
            del self.fields["session"]
        else:
            cast("SessionChoiceField", self.fields["session"]).queryset = sessions
