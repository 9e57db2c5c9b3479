"""The wellness check offered in the lesson player at 50 % of a course: answer it (HTMX in
place; a plain POST and redirect without JavaScript) or hide it for this sign-in; and the
learner's check-ins over time. A low mood (the lowest two of the scale) offers the support
of ``core.support`` — the lines of the learner's country and links to message their
therapist or book their mentor, the same as a distressing journal entry in therapy."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.errors import ApplicationError
from core.forms import form_errors_from
from core.http import AuthenticatedHttpRequest
from learning.forms import WellnessCheckForm
from learning.models import Enrollment
from learning.selectors.progress import enrollment_get_by_id_for_user
from learning.selectors.wellness import wellness_answer_list_for_user, wellness_support_for
from learning.services.wellness import wellness_check_answer
from learning.views.redirects import redirect_back, safe_next_url

# Enrollment ids whose offer the learner hid; kept in the session, so the offer comes back
# at the next sign-in until it is answered.
_DISMISSED_SESSION_KEY = "learning_wellness_dismissed"


def wellness_check_dismissed(request: HttpRequest, enrollment: Enrollment) -> bool:
    """Whether the learner hid this enrollment's wellness offer during this sign-in."""
    return str(enrollment.pk) in request.session.get(_DISMISSED_SESSION_KEY, [])


def _own_enrollment(request: AuthenticatedHttpRequest, pk: str) -> Enrollment:
    enrollment = enrollment_get_by_id_for_user(user=request.user, enrollment_id=pk)
    if enrollment is None:
        raise Http404(_("There is no such enrollment."))
    return enrollment


def _resume_url(enrollment: Enrollment) -> str:
    return reverse("learning:course-resume", kwargs={"slug": enrollment.course.slug})


@login_required
@require_POST
def wellness_check_answer_view(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """Save the answer (mood and note). HTMX gets the offer replaced by a thank-you (or the
    form with its errors), with the support resources after a low mood; a plain post goes
    back to ``next`` with a message — after a low mood, to the check-ins page, which shows
    the support."""
    enrollment = _own_enrollment(request, pk)
    form = WellnessCheckForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            wellness_check_answer(enrollment=enrollment, mood=form.cleaned_data["mood"], note=form.cleaned_data["note"])
        except ValidationError as exc:
            form_errors_from(form, exc)
        except ApplicationError as exc:
            error = exc.message
    answered = form.is_valid() and not error
    support = wellness_support_for(user=request.user, mood=form.cleaned_data["mood"]) if answered else None
    if request.htmx:
        context = {
            "enrollment": enrollment,
            "wellness_form": form,
            "answered": answered,
            "support": support,
            "error": error,
            "next_url": safe_next_url(request) or _resume_url(enrollment),
        }
        return render(request, "learning/player/_wellness_check.html", context)
    if answered:
        messages.success(request, _("Thank you for checking in. Your answer is saved."))
        if support is not None:  # the check-ins page shows the support after a low mood
            return redirect("learning:wellness-list")
    else:
        messages.error(request, error or " ".join(str(message) for field in form.errors.values() for message in field))
    return redirect_back(request, default=_resume_url(enrollment))


@login_required
@require_POST
def wellness_check_dismiss_view(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """Hide the wellness offer of this enrollment until the next sign-in."""
    enrollment = _own_enrollment(request, pk)
    dismissed = request.session.get(_DISMISSED_SESSION_KEY, [])
    if str(enrollment.pk) not in dismissed:
        request.session[_DISMISSED_SESSION_KEY] = [*dismissed, str(enrollment.pk)]
    if request.htmx:
        return render(request, "learning/player/_wellness_check.html", {"enrollment": enrollment, "dismissed": True})
    messages.info(request, _("The wellness check is hidden for now; it will be offered again next time you sign in."))
    return redirect_back(request, default=_resume_url(enrollment))


@login_required
@require_GET
def wellness_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The learner's check-ins over time, newest first; when the latest mood was low, the
    support resources above them. Constant queries."""
    answers = wellness_answer_list_for_user(user=request.user)
    support = wellness_support_for(user=request.user, mood=answers[0].mood) if answers else None
    return render(request, "learning/wellness/list.html", {"answers": answers, "support": support})
