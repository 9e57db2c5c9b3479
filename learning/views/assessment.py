"""The career assessment: the career page (the assessment in progress, else the latest
result with the learner's pathways and earlier results, retaking as an explicit choice),
start (or retake), answer one question at a time (HTMX appends the new turns in place; a
plain POST and redirect without JavaScript), one assessment's chat with its result and the
recommended fields to choose from, and the history of the learner's chats."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.errors import ApplicationError, error_text
from core.http import AuthenticatedHttpRequest
from learning.models import Assessment, Category, ChatMessage
from learning.selectors.assessments import (
    assessment_choice_subcategories,
    assessment_get_for_user,
    assessment_history_for_user,
    assessment_in_progress_for_user,
    assessment_messages,
    chat_session_list_for_user,
    chat_sessions_with_messages,
)
from learning.selectors.pathways import pathway_list_with_progress
from learning.services.assessments import (
    ANSWER_MAX_LENGTH,
    CHOICES_MAX,
    assessment_answer,
    assessment_choose,
    assessment_start,
)

CHAT_SESSIONS_PER_PAGE = 10


@dataclass(frozen=True)
class Choice:
    """One field the learner may choose after the assessment, with the engine's reasons
    when it is one of the recommended ones."""

    subcategory: Category
    recommended: bool
    reasons: list[str]
    checked: bool


def _own_assessment(request: AuthenticatedHttpRequest, pk: str) -> Assessment:
    assessment = assessment_get_for_user(user=request.user, assessment_id=pk)
    if assessment is None:
        raise Http404(_("There is no such assessment."))
    return assessment


def _choices(assessment: Assessment, checked: set[str]) -> list[Choice]:
    reasons = {item["subcategory_id"]: item.get("reasons", []) for item in assessment.recommendations}
    return [
        Choice(
            subcategory=sub,
            recommended=str(sub.pk) in reasons,
            reasons=list(reasons.get(str(sub.pk), [])),
            checked=str(sub.pk) in checked,
        )
        for sub in assessment_choice_subcategories(assessment=assessment)
    ]


def _context(assessment: Assessment | None, *, checked: set[str] | None = None, **extra: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "assessment": assessment,
        "answer_max_length": ANSWER_MAX_LENGTH,
        "choices_max": CHOICES_MAX,
        **extra,
    }
    if assessment is not None:
        context["turns"] = list(assessment_messages(assessment=assessment))
        if assessment.status == Assessment.Status.COMPLETED:
            context["choices"] = _choices(assessment, checked or set())
    return context


@login_required
@require_GET
def assessment_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The career page ("Career" in the navigation). With an assessment in progress: its chat
    and answer form. Otherwise, once one is completed, it never reopens that chat: it shows
    the latest result — the recommended fields to choose from while none is chosen, then the
    fields chosen — the learner's pathways, the earlier results, and retaking as an explicit
    choice. Without any: an invitation to start (and the pathways an advisor may have made).
    A constant number of queries."""
    user = request.user
    in_progress = assessment_in_progress_for_user(user=user)
    if in_progress is not None:
        return render(request, "learning/assessment/page.html", _context(in_progress))
    pathways = pathway_list_with_progress(user=user)
    history = list(assessment_history_for_user(user=user))
    if not history:
        return render(request, "learning/assessment/page.html", _context(None, pathways=pathways))
    latest = history[0]
    chosen = list(latest.selected_subcategories.all())
    context = {
        "assessment": latest,
        "chosen": chosen,
        "choices": [] if chosen else _choices(latest, set()),
        "choices_max": CHOICES_MAX,
        "pathways": pathways,
        "earlier": history[1:],
    }
    return render(request, "learning/assessment/overview.html", context)


@login_required
@require_GET
def assessment_detail(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """One of the learner's assessments (another learner's is a 404)."""
    return render(request, "learning/assessment/page.html", _context(_own_assessment(request, pk)))


@login_required
@require_POST
def assessment_start_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Start a new assessment (a retake keeps the earlier ones) and go to its chat. When the
    question bank is empty the page says so."""
    try:
        assessment_start(user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("learning:assessment")


@login_required
@require_POST
def assessment_answer_view(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """Answer the current question. HTMX gets the new turns (appended to the chat) and a
    fresh answer form — or the result once the last question is answered — out of band; a
    plain form post goes back to the assessment page. An empty answer gets the assistant's
    "tell us a bit more" turn; a refusal (overlong answer, finished assessment) changes
    nothing and shows its message."""
    assessment = _own_assessment(request, pk)
    error = ""
    new_turns: list[ChatMessage] = []
    try:
        new_turns = assessment_answer(assessment=assessment, text=request.POST.get("answer", ""))
    except ValidationError as exc:
        error = error_text(exc, field="text")
    except ApplicationError as exc:
        error = exc.message
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(reverse("learning:assessment-detail", kwargs={"pk": assessment.pk}) + "#assessment-answer")
    assessment.refresh_from_db()
    context = _context(assessment, new_turns=new_turns, error=error)
    return render(request, "learning/assessment/_answer_response.html", context)


@login_required
@require_POST
def assessment_choose_view(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """Save the chosen fields (career profile, one pathway each, onboarding ends) and go to
    the pathways. A refused choice shows its message on the page (an unfinished assessment:
    back to its chat with the message) and saves nothing."""
    assessment = _own_assessment(request, pk)
    chosen = request.POST.getlist("subcategory_ids")
    try:
        assessment_choose(assessment=assessment, subcategory_ids=chosen)
    except ValidationError as exc:
        error = error_text(exc, field="subcategory_ids")
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("learning:assessment-detail", pk=assessment.pk)
    else:
        messages.success(request, _("Your career profile is saved. Here are your pathways — one for each field."))
        return redirect("learning:pathway-list")
    context = _context(assessment, checked=set(chosen), choose_error=error)
    return render(request, "learning/assessment/page.html", context, status=400)


@login_required
@require_GET
def chat_history(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The learner's chats (assessment, wellness, general) grouped by session, the most
    recently active first, paginated by session. Three queries whatever the number of chats."""
    page = Paginator(chat_session_list_for_user(user=request.user), CHAT_SESSIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    sessions = chat_sessions_with_messages(user=request.user, rows=list(page.object_list))
    return render(request, "learning/assessment/chats.html", {"page_obj": page, "sessions": sessions})
