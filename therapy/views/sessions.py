"""Therapy session pages: the client's sessions with the request form, the therapist's
sessions with their clients, and one session's page (the therapist's with the moves and
the notes form; the client's with the shared notes only — private notes never reach a
client's page). Other people's sessions are a 404.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import ApplicationError
from core.forms import form_errors_from
from core.http import AuthenticatedHttpRequest
from therapy.forms import (
    SessionCancelForm,
    SessionMoveForm,
    SessionNotesForm,
    SessionRejectForm,
    SessionRequestForm,
    SessionWhereForm,
)
from therapy.models import TherapySession
from therapy.selectors.sessions import (
    CANCEL_NOTICE,
    TherapySessionFilter,
    therapy_session_cancel_is_late,
    therapy_session_get_for_user,
    therapy_session_list_for_client,
    therapy_session_list_for_therapist,
)
from therapy.services.access import NOTES_ACCESSED, access_record
from therapy.services.sessions import (
    CANCELLABLE,
    therapy_session_approve,
    therapy_session_cancel,
    therapy_session_close,
    therapy_session_notes_update,
    therapy_session_open,
    therapy_session_reject,
    therapy_session_request,
    therapy_session_reschedule,
    therapy_session_where_update,
)

SESSIONS_PER_PAGE = 20


def _paged(request: HttpRequest, sessions: Any) -> dict[str, Any]:
    filterset = TherapySessionFilter(request.GET or None, queryset=sessions, request=request)
    filtered = filterset.qs if filterset.is_valid() else sessions
    page = Paginator(filtered, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page_obj": page,
        "sessions": list(page.object_list),
        "statuses": TherapySession.Status.choices,
        "selected_status": request.GET.get("status", ""),
        "filter_query": query.urlencode(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def session_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The client's sessions (latest first, filter by status, pages) and the form to ask a
    therapist they work with for one. Invalid request: the page again with the errors (400),
    nothing stored. Constant queries."""
    form = SessionRequestForm(client=request.user)
    status = 200
    if request.method == "POST":
        form = SessionRequestForm(request.POST, client=request.user)
        if form.is_valid():
            try:
                session = therapy_session_request(client=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("Your request is sent. Your therapist will approve or decline it."))
                return redirect("therapy:session-detail", pk=session.pk)
        status = 400
    context = _paged(request, therapy_session_list_for_client(client=request.user))
    context["form"] = form
    return render(request, "therapy/sessions/list.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def session_therapist_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The therapist's sessions with their clients (no notes here), latest first, filter by
    status, pages. Constant queries."""
    context = _paged(request, therapy_session_list_for_therapist(therapist=request.user))
    return render(request, "therapy/sessions/therapist_list.html", context)


def _session_or_404(request: AuthenticatedHttpRequest, pk: str) -> TherapySession:
    session = therapy_session_get_for_user(user=request.user, session_id=pk)
    if session is None:
        raise Http404(_("There is no such session."))
    return session


def _detail(request: AuthenticatedHttpRequest, session: TherapySession, **forms_: Any) -> HttpResponse:
    is_therapist = session.therapist_id == request.user.pk
    if is_therapist:
        access_record(actor=request.user, instances=[session], what=NOTES_ACCESSED)
        forms_.setdefault(
            "notes_form",
            SessionNotesForm(initial={"shared_notes": session.shared_notes, "private_notes": session.private_notes}),
        )
        forms_.setdefault("reject_form", SessionRejectForm())
        forms_.setdefault(
            "where_form", SessionWhereForm(initial={"meeting_link": session.meeting_link, "place": session.place})
        )
    if session.status in CANCELLABLE:
        forms_.setdefault("cancel_form", SessionCancelForm())
        forms_.setdefault(
            "move_form",
            SessionMoveForm(
                initial={
                    "scheduled_at": timezone.localtime(session.scheduled_at),
                    "duration_minutes": session.duration_minutes,
                }
            ),
        )
    status = 400 if any(form.is_bound for form in forms_.values()) else 200
    template = "therapy/sessions/therapist_detail.html" if is_therapist else "therapy/sessions/client_detail.html"
    context = {
        "session": session,
        "cancel_is_late": therapy_session_cancel_is_late(session=session, user=request.user),
        "cancel_notice_hours": int(CANCEL_NOTICE.total_seconds() // 3600),
        **forms_,
    }
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET"])
def session_detail(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """One session: its client sees the shared notes; its therapist also the private notes,
    the notes form and the next moves (a view recorded in the client's access log)."""
    return _detail(request, _session_or_404(request, pk))


MOVES = {
    "approve": (therapy_session_approve, gettext_lazy("The session is approved.")),
    "open": (therapy_session_open, gettext_lazy("The session is open.")),
    "close": (therapy_session_close, gettext_lazy("The session is closed.")),
}


@login_required
@require_POST
def session_move(request: AuthenticatedHttpRequest, pk: str, move: str) -> HttpResponse:
    """The therapist approves, opens or closes the session; a refused move comes back as a
    message saying why."""
    if move not in MOVES:
        raise Http404(_("There is no such action."))
    session = _session_or_404(request, pk)
    service, done = MOVES[move]
    try:
        service(session=session, therapist=request.user)
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, str(done))
    return redirect("therapy:session-detail", pk=session.pk)


@login_required
@require_POST
def session_reject(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """The therapist declines a pending session with a reason (missing: the page again, 400)."""
    session = _session_or_404(request, pk)
    form = SessionRejectForm(request.POST)
    if form.is_valid():
        try:
            therapy_session_reject(session=session, therapist=request.user, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            form_errors_from(form, exc)
            return _detail(request, session, reject_form=form)
        else:
            messages.success(request, _("The request is declined."))
        return redirect("therapy:session-detail", pk=session.pk)
    if session.therapist_id != request.user.pk:
        messages.error(request, _("Only the session's therapist can reject it."))
        return redirect("therapy:session-detail", pk=session.pk)
    return _detail(request, session, reject_form=form)


@login_required
@require_POST
def session_notes(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """The therapist saves the shared and private notes. Invalid: the page again with what
    was typed (400), nothing lost."""
    session = _session_or_404(request, pk)
    if session.therapist_id != request.user.pk:
        messages.error(request, _("Only the session's therapist writes its notes."))
        return redirect("therapy:session-detail", pk=session.pk)
    form = SessionNotesForm(request.POST)
    if form.is_valid():
        try:
            therapy_session_notes_update(session=session, therapist=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The notes are saved."))
            return redirect("therapy:session-detail", pk=session.pk)
    return _detail(request, session, notes_form=form)


def _form_action(
    request: AuthenticatedHttpRequest, pk: str, *, form_class: type[Any], key: str, act: Any, done: str
) -> HttpResponse:
    """Run ``act(session, cleaned_data)`` with a valid form: a refusal (409) comes back as a
    message saying why, bad input as the page again with the errors (400), nothing changed."""
    session = _session_or_404(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(session, form.cleaned_data)
        except ApplicationError as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            form_errors_from(form, exc)
            return _detail(request, session, **{key: form})
        else:
            messages.success(request, done)
        return redirect("therapy:session-detail", pk=session.pk)
    return _detail(request, session, **{key: form})


@login_required
@require_POST
def session_cancel(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """Either party cancels a pending or approved session (the client's, less than 24 hours
    ahead, is recorded as late)."""
    return _form_action(
        request,
        pk,
        form_class=SessionCancelForm,
        key="cancel_form",
        act=lambda session, data: therapy_session_cancel(session=session, user=request.user, reason=data["reason"]),
        done=_("The session is cancelled."),
    )


@login_required
@require_POST
def session_reschedule(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """Either party moves a pending or approved session to another time."""
    return _form_action(
        request,
        pk,
        form_class=SessionMoveForm,
        key="move_form",
        act=lambda session, data: therapy_session_reschedule(session=session, user=request.user, **data),
        done=_("The session is moved. The other person is told."),
    )


@login_required
@require_POST
def session_where(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """The therapist sets the meeting link or the place."""
    return _form_action(
        request,
        pk,
        form_class=SessionWhereForm,
        key="where_form",
        act=lambda session, data: therapy_session_where_update(session=session, therapist=request.user, **data),
        done=_("Where the session takes place is saved."),
    )
