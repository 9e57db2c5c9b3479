"""Forms of learning's pages (the rules stay in services; forms only parse input)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from learning.services.reviews import COMMENT_MAX as REVIEW_COMMENT_MAX_LENGTH
from learning.services.wellness import WELLNESS_NOTE_MAX_LENGTH

WELLNESS_MOOD_CHOICES = [
    (1, _("1 — struggling")),
    (2, _("2 — low")),
    (3, _("3 — okay")),
    (4, _("4 — good")),
    (5, _("5 — great")),
]


class WellnessCheckForm(forms.Form):
    """The wellness check: a mood from 1 to 5 and an optional note."""

    mood = forms.TypedChoiceField(
        label=_("How are you feeling?"),
        choices=WELLNESS_MOOD_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a mood from 1 to 5."), "invalid_choice": _("Choose a mood from 1 to 5.")},
    )
    note = forms.CharField(
        label=_("A note (optional)"),
        required=False,
        max_length=WELLNESS_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


REVIEW_RATING_CHOICES = [
    (5, _("5 stars — excellent")),
    (4, _("4 stars — good")),
    (3, _("3 stars — fair")),
    (2, _("2 stars — poor")),
    (1, _("1 star — bad")),
]


class CourseReviewForm(forms.Form):
    """A course review: 1 to 5 stars and an optional comment (``learning.services.review_save``
    checks the rules)."""

    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=REVIEW_RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a rating from 1 to 5 stars."),
            "invalid_choice": _("Choose a rating from 1 to 5 stars."),
        },
    )
    comment = forms.CharField(
        label=_("Your review (optional)"),
        required=False,
        max_length=REVIEW_COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CertificateVerifyForm(forms.Form):
    """The public verification form: a certificate number as printed on the certificate."""

    number = forms.CharField(
        label=_("Certificate number"),
        max_length=60,
        strip=True,
        error_messages={"required": _("Enter the certificate number printed on the certificate.")},
    )

    def __init__(self, *args: Any, example: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if example:
            self.fields["number"].help_text = _("As printed on the certificate, e.g. %(example)s.") % {
                "example": example
            }
