"""Forms of learning's pages (the rules stay in services; forms only parse input)."""

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from core.forms import form_field
from learning.services.assignments import DESCRIPTION_MAX_LENGTH as ASSIGNMENT_DESCRIPTION_MAX_LENGTH
from learning.services.assignments import FEEDBACK_MAX_LENGTH as SUBMISSION_FEEDBACK_MAX_LENGTH
from learning.services.assignments import MAX_SCORE_LIMIT as ASSIGNMENT_MAX_SCORE_LIMIT
from learning.services.assignments import TEXT_MAX_LENGTH as SUBMISSION_TEXT_MAX_LENGTH
from learning.services.assignments import TITLE_MAX_LENGTH as ASSIGNMENT_TITLE_MAX_LENGTH
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
    """A course review: 1 to 5 stars and an optional comment (``learning.services.reviews.review_save``
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
    """The public verification form: a certificate number as printed on the certificate and,
    to see who holds it, its verification code (printed in its verification URL)."""

    number = forms.CharField(
        label=_("Certificate number"),
        max_length=60,
        strip=True,
        error_messages={"required": _("Enter the certificate number printed on the certificate.")},
    )
    code = forms.CharField(
        label=_("Verification code (optional)"),
        max_length=60,
        strip=True,
        required=False,
        help_text=_(
            "The code at the end of the verification link on the certificate (after “code=”). Without it you see "
            "only whether the certificate is valid; with it, also who holds it and for which course."
        ),
    )

    def __init__(self, *args: Any, example: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if example:
            self.fields["number"].help_text = _("As printed on the certificate, e.g. %(example)s.") % {
                "example": example
            }


class SubmissionForm(forms.Form):
    """A learner's answer: text and an optional file (``learning.services.assignments.submission_save``
    checks the rules and the file)."""

    text = forms.CharField(
        label=_("Your answer"),
        max_length=SUBMISSION_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": _("Write your answer (you may attach a file as well).")},
    )
    file = forms.FileField(
        label=_("Attach a file (optional)"),
        required=False,
        help_text=_("A new file replaces the one you attached before."),
    )


class GradeForm(forms.Form):
    """A grade: a score from 0 to the assignment's maximum and optional feedback."""

    score = forms.IntegerField(label=_("Score"), min_value=0)
    feedback = forms.CharField(
        label=_("Feedback (optional)"),
        required=False,
        max_length=SUBMISSION_FEEDBACK_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, max_score: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "score", forms.IntegerField).max_value = max_score
        self.fields["score"].widget.attrs["max"] = max_score
        self.fields["score"].validators.append(MaxValueValidator(max_score))
        self.fields["score"].help_text = _("From 0 to %(max)d.") % {"max": max_score}


class AssignmentForm(forms.Form):
    """An assignment as its instructor writes it (``learning.services.assignments.assignment_create``
    and ``assignment_update`` check the rules)."""

    title = forms.CharField(label=_("Title"), max_length=ASSIGNMENT_TITLE_MAX_LENGTH)
    description = forms.CharField(
        label=_("What learners should hand in"),
        max_length=ASSIGNMENT_DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    due_at = forms.DateTimeField(
        label=_("Due (optional)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("In your time zone. Later submissions are accepted and marked late."),
    )
    max_score = forms.IntegerField(
        label=_("Maximum score"), min_value=1, max_value=ASSIGNMENT_MAX_SCORE_LIMIT, initial=100
    )


class AdvisorStepForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    resources = forms.CharField(
        label=_("Resources"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("One a line: “Title | https://…” or “Title | course:course-slug”."),
    )
    estimated_time = forms.CharField(label=_("Estimated time"), max_length=60, required=False)


AdvisorStepFormSet = forms.formset_factory(AdvisorStepForm, extra=2, max_num=30, absolute_max=30)


class AdvisorNotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes for the learner"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
    )
