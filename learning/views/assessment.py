"""The career assessment: the career page (the assessment in progress, else the latest
result with the learner's pathways and earlier results, retaking as an explicit choice),
start (or retake; with a language model configured, the learner agrees to it first or
continues with the keyword engine), answer one question at a time, one assessment's chat
with its result and the recommended fields (pre-selected) to choose from, and the history
of the learner's chats.

The learner's answer appears at once (HTMX appends it; a plain POST and redirect without
JavaScript) and the reply is written by a Celery task: the answer slot polls
(``assessment_poll``, htmx ``every 1s``, no inline script) until it arrives, then shows the
new turns and the next answer form or the result, and stops polling."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.selectors.assistant import assistant_consent_given
from core.errors import ApplicationError, error_text
from core.http import AuthenticatedHttpRequest
from core.llm import llm_configured, llm_provider_name
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
    assessment_engine_note,
    assessment_last_turn,
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


def _choices(assessment: Assessment, checked: set[str] | None = None) -> list[Choice]:
    """The fields to choose from; the recommended ones are ticked unless ``checked`` (what
    the learner sent back) says otherwise."""
    reasons = {item["subcategory_id"]: item.get("reasons", []) for item in assessment.recommendations}
    ticked = set(reasons) if checked is None else checked
    return [
        Choice(
            subcategory=sub,
            recommended=str(sub.pk) in reasons,
            reasons=list(reasons.get(str(sub.pk), [])),
            checked=str(sub.pk) in ticked,
        )
        for sub in assessment_choice_subcategories(assessment=assessment)
    ]


def _progress(turns: list[ChatMessage]) -> str:
    """Where the chat is, from the last assistant turn: "Question 3 of 7", or the language
    model's own follow-up question."""
    last = next((turn for turn in reversed(turns) if turn.role == ChatMessage.Role.ASSISTANT), None)
    if last is None:
        return ""
    metadata = last.metadata
    if metadata.get("llm_follow_up"):
        return _("Follow-up question %(number)d (at most %(max)d)") % {
            "number": metadata["llm_follow_up"],
            "max": metadata.get("follow_up_max", metadata["llm_follow_up"]),
        }
    if metadata.get("question_number") and metadata.get("question_total"):
        return _("Question %(number)d of %(total)d") % {
            "number": metadata["question_number"],
            "total": metadata["question_total"],
        }
    return ""


def _result_note(assessment: Assessment) -> str:
    """Which kind of engine gave ``assessment``'s result, and why the keyword engine stood
    in for the language model if it did (from the result's turn). One query."""
    last = assessment_last_turn(assessment=assessment, role=ChatMessage.Role.ASSISTANT)
    metadata = last.metadata if last is not None else {}
    return assessment_engine_note(
        engine=assessment.engine,
        fallback_reason=metadata.get("fallback_reason", ""),
        model=last.model if last is not None else "",
    )


def _context(
    assessment: Assessment | None,
    *,
    checked: set[str] | None = None,
    turns: list[ChatMessage] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    context: dict[str, Any] = {
        "assessment": assessment,
        "answer_max_length": ANSWER_MAX_LENGTH,
        "choices_max": CHOICES_MAX,
        **extra,
    }
    if assessment is not None:
        turns = turns if turns is not None else list(assessment_messages(assessment=assessment))
        context["turns"] = turns
        context["shown"] = len(turns)
        context["waiting"] = bool(turns) and turns[-1].role == ChatMessage.Role.USER
        context["progress"] = _progress(turns)
        if assessment.status == Assessment.Status.COMPLETED:
            # Which kind of engine answered is said once, in the chat's last turn.
            context["choices"] = _choices(assessment, checked)
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
        return render(
            request, "learning/assessment/page.html", _context(None, pathways=pathways, **_start_options(user))
        )
    latest = history[0]
    chosen = list(latest.selected_subcategories.all())
    context = {
        **_start_options(user),
        "assessment": latest,
        "chosen": chosen,
        "choices": [] if chosen else _choices(latest),
        "result_note": _result_note(latest),
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


def _start_options(user: Any) -> dict[str, Any]:
    """How the start form offers the engines: with a language model configured and no
    consent yet, the learner agrees first (the consent page) or starts with keywords."""
    configured = llm_configured()
    return {
        "llm_configured": configured,
        "llm_provider": llm_provider_name(),
        "llm_needs_consent": configured and not assistant_consent_given(user),
    }


def _consent_url() -> str:
    return reverse("accounts:assistant-consent") + "?" + urlencode({"next": reverse("learning:assessment")})


@login_required
@require_POST
def assessment_start_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Start a new assessment (a retake keeps the earlier ones) and go to its chat. With a
    language model configured and no consent yet, the learner goes to the consent page first
    (and comes back here) unless they chose the keyword engine (``engine=keyword``). When
    the question bank is empty the page says so."""
    keyword_only = request.POST.get("engine") == "keyword"
    if not keyword_only and llm_configured() and not assistant_consent_given(request.user):
        return redirect(_consent_url())
    try:
        assessment_start(user=request.user, keyword_only=keyword_only)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("learning:assessment")


@login_required
@require_POST
def assessment_answer_view(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """Send an answer. HTMX gets the learner's turn (appended to the chat at once) and, out
    of band, the answer slot that waits for the reply; a plain form post goes back to the
    assessment page. A refusal (an empty or overlong answer, a finished assessment, a reply
    still awaited) changes nothing and shows its message."""
    assessment = _own_assessment(request, pk)
    error = ""
    new_turns: list[ChatMessage] = []
    try:
        new_turns = [assessment_answer(assessment=assessment, text=request.POST.get("answer", ""))]
    except ValidationError as exc:
        error = error_text(exc, field="text")
    except ApplicationError as exc:
        error = exc.message
    # An answer refused for what it says stays in the box, to be corrected rather than
    # written again; one refused for the chat's state (finished, a reply awaited) cannot be sent.
    draft = request.POST.get("answer", "") if error and assessment.status == Assessment.Status.IN_PROGRESS else ""
    if not request.htmx:
        if draft:
            return render(
                request, "learning/assessment/page.html", _context(assessment, error=error, draft=draft), status=400
            )
        if error:
            messages.error(request, error)
        return redirect(reverse("learning:assessment-detail", kwargs={"pk": assessment.pk}) + "#assessment-answer")
    assessment.refresh_from_db()
    context = _context(assessment, error=error, draft=draft)
    if new_turns:
        # From the learner's turn on: the reply too when it came already (tasks run eagerly).
        ids = [turn.pk for turn in context["turns"]]
        new_turns = context["turns"][ids.index(new_turns[0].pk) :] if new_turns[0].pk in ids else new_turns
    context["new_turns"] = new_turns
    return render(request, "learning/assessment/_answer_response.html", context)


@login_required
@require_GET
def assessment_poll(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """The answer slot's poll (htmx, every second while a reply is awaited): the turns after
    the ``shown`` first ones (appended out of band) and the slot — still waiting (it polls
    again), the next answer form, or the result (polling stops). A constant number of
    queries."""
    assessment = _own_assessment(request, pk)
    try:
        shown = max(int(request.GET.get("shown", "0")), 0)
    except ValueError:
        shown = 0
    context = _context(assessment)
    context["new_turns"] = [] if context["waiting"] else context["turns"][shown:]
    return render(request, "learning/assessment/_poll_response.html", context)


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
