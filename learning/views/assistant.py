"""The general assistant's page ("Ask the assistant", issue 19): a signed-in person asks for
help finding courses, mentors or habits. Their message appears at once; the reply, written
by a Celery task, arrives by htmx polling (every two seconds while awaited; the poll stops
once it is there). Without JavaScript the form posts and the page shows the reply on
reload ("Check for the reply"). The page shows the conversation's latest
``ASSISTANT_PAGE_MESSAGES`` messages ("Earlier messages" pages back); the poll reads only
what came after the last message the page shows."""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from accounts.selectors.assistant import assistant_consent_given
from core.errors import ApplicationError, error_text
from core.http import AuthenticatedHttpRequest
from core.llm import llm_configured, llm_provider_name
from learning.models import ChatMessage
from learning.selectors.assistant import (
    ASSISTANT_PAGE_MESSAGES,
    assistant_messages,
    assistant_messages_from,
    assistant_messages_window,
    assistant_session_latest,
)
from learning.services.assistant import assistant_message_post
from learning.services.chat import MESSAGE_MAX_LENGTH


def _session_param(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def _context(
    request: AuthenticatedHttpRequest, session_id: uuid.UUID, *, before: uuid.UUID | None = None, **extra: Any
) -> dict[str, Any]:
    window = assistant_messages_window(user=request.user, session_id=session_id, before=before)
    turns = window.turns
    return {
        "session_id": session_id,
        "turns": turns,
        "after": turns[-1].pk if turns else "",
        "earlier_url": _page_url(session_id, before=turns[0].pk) if window.earlier else "",
        "waiting": bool(turns) and turns[-1].role == ChatMessage.Role.USER,
        "message_max_length": MESSAGE_MAX_LENGTH,
        **extra,
    }


def _page_url(session_id: uuid.UUID, *, before: uuid.UUID | None = None) -> str:
    query = {"session": str(session_id), **({"before": str(before)} if before is not None else {})}
    return f"{reverse('learning:assistant')}?{urlencode(query)}"


@login_required
@require_GET
def assistant_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The person's latest conversation with the assistant (``?session=<id>``: that one of
    theirs; ``?new=1``: a fresh one) — its latest messages and the message box — and, when a
    language model is set up but the person has not agreed to it, a link to agree.
    ``&before=<message id>``: the messages before that one instead, to read (no message box).
    A constant number of queries, however long the conversation."""
    user = request.user
    session_id = None if request.GET.get("new") else _session_param(request.GET.get("session"))
    if session_id is None and not request.GET.get("new"):
        session_id = assistant_session_latest(user=user)
    before = _session_param(request.GET.get("before")) if session_id is not None else None
    context = _page_context(request, session_id or uuid.uuid4(), next_url=request.get_full_path(), before=before)
    return render(request, "learning/assistant/page.html", context)


def _page_context(
    request: AuthenticatedHttpRequest,
    session_id: uuid.UUID,
    *,
    next_url: str = "",
    before: uuid.UUID | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """The page's context: the conversation, and whether (and where) to agree to the assistant."""
    context = _context(request, session_id, before=before, **extra)
    if before is not None:
        context["latest_url"] = _page_url(session_id)
    back = urlencode({"next": next_url or _page_url(session_id)})
    model_ready = llm_configured()
    context.update(
        {
            "model_ready": model_ready,
            "consent_given": model_ready and assistant_consent_given(request.user),
            "provider_name": llm_provider_name(),
            "consent_url": f"{reverse('accounts:assistant-consent')}?{back}",
        }
    )
    return context


@login_required
@require_POST
def assistant_message_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Send a message to the assistant. HTMX gets the person's turn (appended to the chat)
    and, out of band, the slot that polls for the reply; a refusal (empty, too long, still
    waiting) changes nothing and shows its message in the slot. A plain form post goes back
    to the conversation's page."""
    session_id = _session_param(request.POST.get("session"))
    error = ""
    message = None
    try:
        message = assistant_message_post(user=request.user, text=request.POST.get("text", ""), session_id=session_id)
    except ValidationError as exc:
        error = error_text(exc, field="text")
    except ApplicationError as exc:
        error = exc.message
    else:
        session_id = message.session_id
    if session_id is None:
        session_id = uuid.uuid4()
    # A message refused for what it says stays in the box, to be corrected rather than
    # written again (a message refused while a reply is awaited cannot be sent yet).
    draft = request.POST.get("text", "") if error else ""
    if not request.htmx:
        if error and draft.strip():
            context = _page_context(request, session_id, error=error, draft=draft)
            return render(request, "learning/assistant/page.html", context, status=400)
        if error:
            messages.error(request, error)
        return redirect(_page_url(session_id) + "#assistant-slot")
    if message is not None:
        # The message and, when a worker was quicker than this page, its reply already.
        new_turns = assistant_messages_from(user=request.user, session_id=session_id, message_id=message.pk)
        latest = new_turns
    else:
        new_turns = []
        latest = assistant_messages_window(user=request.user, session_id=session_id, limit=1).turns
    last = latest[-1] if latest else None
    context = {
        "session_id": session_id,
        "new_turns": new_turns,
        "after": last.pk if last is not None else "",
        "waiting": last is not None and last.role == ChatMessage.Role.USER,
        "message_max_length": MESSAGE_MAX_LENGTH,
        "error": error,
        "oob": True,
        "draft": draft,
    }
    return render(request, "learning/assistant/_message_response.html", context, status=200)


@login_required
@require_GET
def assistant_poll(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The slot's poll (htmx): the turns after ``after`` (the last message the page shows),
    appended out of band once the reply is there, and the slot — still waiting (it polls
    again) or the message box (polling stops). Reads only ``after`` and what came after it
    (``shown``, a count of the turns shown, from a page rendered before ``after`` existed, is
    still understood). Another person's conversation reads as an empty one. A constant number
    of queries."""
    session_id = _session_param(request.GET.get("session")) or uuid.uuid4()
    after = _session_param(request.GET.get("after"))
    if after is not None:
        rows = assistant_messages_from(user=request.user, session_id=session_id, message_id=after)
        seen, new_turns = rows[:1], rows[1:]
    else:
        try:
            shown = max(int(request.GET.get("shown", "0")), 0)
        except ValueError:
            shown = 0
        rows = list(
            assistant_messages(user=request.user, session_id=session_id)[
                max(shown - 1, 0) : shown + ASSISTANT_PAGE_MESSAGES
            ]
        )
        seen, new_turns = (rows[:1], rows[1:]) if shown else ([], rows)
    waiting = bool(rows) and rows[-1].role == ChatMessage.Role.USER
    if waiting:
        new_turns = []
    shown_last = new_turns or seen
    last = shown_last[-1] if shown_last else None
    context = {
        "session_id": session_id,
        "new_turns": new_turns,
        "after": last.pk if last is not None else "",
        "waiting": waiting,
        "message_max_length": MESSAGE_MAX_LENGTH,
        "focus": True,
    }
    return render(request, "learning/assistant/_poll_response.html", context)
