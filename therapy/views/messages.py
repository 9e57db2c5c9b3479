"""Conversations: the list of one's conversations and one conversation per relationship —
newest page first (older pages behind a link), a send form, and an HTMX refresh of the
thread every 10 seconds (a plain reload works the same). Opening a conversation is the read
receipt for the messages to you. Another user's conversation is a 404.

A therapist's read is written to the client's access log: one entry each time the page
shows the conversation, and each refresh that brings new messages to them (a refresh with
nothing new shows nothing new). While the therapist's verification is withdrawn the
relationship is suspended: they see a notice instead of the messages; the client reads
their history with a notice, and neither can send."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import ApplicationError
from core.forms import form_errors_from
from core.http import AuthenticatedHttpRequest
from therapy.forms import MessageForm
from therapy.models import TherapyRelationship
from therapy.rules import can_read_messages, relationship_is_suspended
from therapy.selectors.messages import conversation_messages
from therapy.selectors.relationships import conversation_list_for_user, relationship_get_for_user
from therapy.services.access import MESSAGES_ACCESSED, access_record
from therapy.services.messages import message_refusal, message_send, messages_mark_read

MESSAGES_PER_PAGE = 30


@login_required
@require_http_methods(["GET"])
def conversation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The conversations the user may read, most recent message first, with unread counts.
    One query whatever the rows."""
    return render(
        request,
        "therapy/messages/conversations.html",
        {"relationships": list(conversation_list_for_user(user=request.user))},
    )


def _relationship_or_404(request: AuthenticatedHttpRequest, pk: str) -> TherapyRelationship:
    relationship = relationship_get_for_user(user=request.user, relationship_id=pk)
    if relationship is None:
        raise Http404(_("There is no such conversation among yours."))
    return relationship


def _thread_page(
    request: AuthenticatedHttpRequest, relationship: TherapyRelationship, number: Any, *, refresh: bool = False
) -> Page:
    """A page of the conversation, newest page first, its messages oldest first; marks the
    messages to the reader read (the read receipt) and, for the therapist, writes the read
    to the client's access log (a ``refresh`` only when it marked new messages read). Four
    queries at most."""
    marked = messages_mark_read(relationship=relationship, reader=request.user)
    newest_first = conversation_messages(relationship=relationship, user=request.user).order_by("-created_at", "-id")
    page = Paginator(newest_first, MESSAGES_PER_PAGE).get_page(number)
    page.object_list = list(reversed(list(page.object_list)))
    if (marked or not refresh) and can_read_messages(request.user, relationship):
        access_record(actor=request.user, instances=[relationship], what=MESSAGES_ACCESSED)
    return page


def _context(
    request: AuthenticatedHttpRequest, relationship: TherapyRelationship, page: Page, form: MessageForm
) -> dict[str, Any]:
    return {
        "relationship": relationship,
        "other": relationship.therapist if relationship.client_id == request.user.pk else relationship.client,
        "page_obj": page,
        "form": form,
        "refusal": message_refusal(relationship=relationship, sender=request.user),
        "can_read": can_read_messages(request.user, relationship),
        "suspended": relationship_is_suspended(relationship),
        "is_therapist": relationship.therapist_id == request.user.pk,
        "thread_url": reverse("therapy:conversation-thread", kwargs={"pk": relationship.pk}),
        "conversation_url": reverse("therapy:conversation", kwargs={"pk": relationship.pk}),
    }


@login_required
@require_http_methods(["GET", "POST"])
def conversation(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """One conversation. POST sends a message: refused (not active, blocked) with the reason
    and nothing stored; invalid input keeps what was written (400). With HTMX the answer is
    the refreshed thread and a fresh form (out of band); otherwise a redirect."""
    relationship = _relationship_or_404(request, pk)
    form = MessageForm()
    status = 200
    if request.method == "POST":
        form = MessageForm(request.POST)
        if form.is_valid():
            try:
                message_send(relationship=relationship, sender=request.user, content=form.cleaned_data["content"])
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                if not request.htmx:
                    messages.success(request, _("Your message is sent."))
                    return redirect("therapy:conversation", pk=relationship.pk)
                form = MessageForm()
        # htmx swaps only successful answers: its refusals come back as 200 with the errors.
        if form.errors and not request.htmx:
            status = 400
        if request.htmx:
            page = _thread_page(request, relationship, 1)
            return render(
                request,
                "therapy/messages/_send_response.html",
                _context(request, relationship, page, form),
                status=status,
            )
    page = _thread_page(request, relationship, request.GET.get("page"))
    return render(
        request, "therapy/messages/conversation.html", _context(request, relationship, page, form), status=status
    )


@login_required
@require_http_methods(["GET"])
def conversation_thread(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """The newest page of the thread, for the HTMX refresh (marks new messages read)."""
    relationship = _relationship_or_404(request, pk)
    page = _thread_page(request, relationship, 1, refresh=True)
    return render(request, "therapy/messages/_thread.html", _context(request, relationship, page, MessageForm()))
