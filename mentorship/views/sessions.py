"""Session pages: booking with a price preview (its breakdown; a paid booking goes on to
Stripe Checkout), the mentee's "My sessions", the mentor's
requests / upcoming / past, one session's page for both parties (actions, the mentor's
private notes, feedback) and the mentor's "feedback received".

Another user's session is a 404; the mentor pages are a 404 for anyone but verified
mentors. Times show in the viewer's own time zone (the middleware activates it), and the
booking form reads the start in it. Every action is a plain form POST that comes back with
a message; a refused change (``ApplicationError``) says why and changes nothing.
"""

from collections.abc import Callable
from datetime import date, datetime, tzinfo
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ApplicationError, error_text
from core.forms import form_errors_from
from core.http import AuthenticatedHttpRequest
from learning.selectors.payments import payment_for_item
from learning.services.payments import payments_configured
from mentorship.forms.sessions import (
    DURATION_CHOICES,
    SessionBookForm,
    SessionCancelForm,
    SessionFeedbackForm,
    SessionNoteForm,
    SessionRescheduleForm,
)
from mentorship.models import MentorshipSession
from mentorship.rules import is_verified_mentor
from mentorship.selectors.availability import Slots, mentor_free_slots
from mentorship.selectors.feedback import feedback_list_received, feedback_view, feedback_views
from mentorship.selectors.sessions import (
    MENTOR_VIEWS,
    session_action_refusal,
    session_actions_allowed,
    session_bookable_mentor,
    session_cancel_refund,
    session_feedback_visible,
    session_feedback_window,
    session_get_for_user,
    session_list_for_mentee,
    session_list_for_mentor,
    session_note_get,
    session_role,
)
from mentorship.services.feedback import session_feedback_submit
from mentorship.services.notes import session_note_save
from mentorship.services.pricing import BASE_MINUTES, session_price
from mentorship.services.sessions import (
    PAYMENT_KIND,
    session_book,
    session_cancel,
    session_checkout_resume,
    session_complete,
    session_confirm,
    session_mark_no_show,
    session_quote,
    session_report_mentor_no_show,
    session_reschedule,
    session_url,
)

SESSIONS_PER_PAGE = 20
FEEDBACK_PER_PAGE = 20


def mentor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in verified mentors only; anyone else gets a 404."""

    @login_required
    @wraps(view)
    def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_verified_mentor(request.user):
            raise Http404(_("There is no such page."))
        return view(request, *args, **kwargs)

    return wrapped


def _other_party(session: MentorshipSession, user: Any) -> Any:
    """The session's mentee for its mentor, its mentor for its mentee."""
    return session.mentee if session.mentor_id == user.pk else session.mentor


def _base_url(request: HttpRequest) -> str:
    """This site's scheme and host as the request reached it (Stripe sends the mentee back there)."""
    return request.build_absolute_uri("/").rstrip("/")


def _session_or_404(request: AuthenticatedHttpRequest, pk: Any) -> MentorshipSession:
    session = session_get_for_user(user=request.user, session_id=pk)
    if session is None:
        raise Http404(_("There is no such session among yours."))
    return session


@login_required
@require_http_methods(["GET", "POST"])
def session_book_view(request: AuthenticatedHttpRequest, mentor_id: Any) -> HttpResponse:
    """Book a session with a verified mentor in two steps: the form, then its preview with
    the price and its breakdown, then confirm. Above the form, the mentor's free slots for
    the chosen length (``?duration=``) in the viewer's zone; a slot's link (``?start=``)
    fills the start. Four queries for the slots, however many there are. Changing anything after the preview shows a
    new preview first (the price you confirm is the price you saw). A free session is
    requested at once; a paid one is held and the mentee goes on to Stripe Checkout. Bad
    input: the form again with the errors (400); an overlapping time, or a paid session
    while payments are not configured: the form with the reason (409)."""
    profile = session_bookable_mentor(mentor_id=mentor_id)
    if profile is None or profile.user_id == request.user.pk:
        raise Http404(_("There is no such mentor to book."))
    zone = timezone.get_current_timezone_name()
    duration = _slot_duration(request)
    initial: dict[str, Any] = {"type": "virtual", "duration_minutes": duration}
    if start := request.GET.get("start", ""):
        initial["start_at"] = start
    form = SessionBookForm(request.POST or None, timezone_name=zone, initial=initial)
    quote, status = None, 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            arguments = {"mentee": request.user, "mentor_id": profile.user_id, **form.cleaned_data}
            try:
                quote = session_quote(**arguments)
                if request.POST.get("confirm") and request.POST.get("quoted_price") == str(quote.price_cents):
                    booking = session_book(base_url=_base_url(request), **arguments)
                    if booking.checkout_url:
                        return redirect(booking.checkout_url)
                    messages.success(request, _("Your request is sent. The mentor confirms it or suggests changes."))
                    return redirect(session_url(booking.session))
                status = 200
            except ValidationError as exc:
                form_errors_from(form, exc)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
                quote, status = None, 409
    slots = mentor_free_slots(profile=profile, duration_minutes=duration)
    context = {
        "profile": profile,
        "mentor": profile.user,
        "form": form,
        "quote": quote,
        "slots": slots,
        "slot_days": _slot_days(slots, timezone.get_current_timezone()),
        "mentor_zone": str(slots.zone),
        "zone": zone,
        "durations": DURATION_CHOICES,
        "duration": duration,
        "prices": {
            kind: session_price(
                base_price_cents=profile.base_price_cents, type=kind, duration_minutes=BASE_MINUTES, venue=None
            )
            for kind in MentorshipSession.Type.values
        },
        "base_minutes": BASE_MINUTES,
        "payments_configured": payments_configured(),
    }
    return render(request, "mentorship/sessions/book.html", context, status=status)


def _slot_duration(request: HttpRequest, default: int = 60) -> int:
    """The length the free slots are shown for: the form's duration on a POST, else
    ``?duration=`` when it is one of the form's choices, else ``default`` minutes."""
    raw = request.POST.get("duration_minutes") if request.method == "POST" else request.GET.get("duration")
    choices = {minutes for minutes, _label in DURATION_CHOICES}
    return int(raw) if raw and raw.isdigit() and int(raw) in choices else default


def _slot_days(slots: Slots, zone: tzinfo) -> list[tuple[date, list[tuple[datetime, str]]]]:
    """The free slots by day of the viewer's zone: (day, [(start in the viewer's zone, the
    mentor's wall-clock time of it as HH:MM)]). The mentor's time is text: templates would
    show a datetime in the viewer's zone."""
    days: dict[date, list[tuple[datetime, str]]] = {}
    for start in slots.starts:
        local = start.astimezone(zone)
        days.setdefault(local.date(), []).append((local, f"{start.astimezone(slots.zone):%H:%M}"))
    return list(days.items())


def _page(request: HttpRequest, queryset: Any, per_page: int = SESSIONS_PER_PAGE) -> Any:
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


@login_required
@require_GET
def my_sessions(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The mentee's sessions: upcoming (default) or past (``?when=past``), paginated.
    Constant queries."""
    past = request.GET.get("when") == "past"
    page = _page(request, session_list_for_mentee(user=request.user, past=past))
    context = {"page_obj": page, "sessions": page.object_list, "past": past, "query": "when=past" if past else ""}
    return render(request, "mentorship/sessions/my_sessions.html", context)


@mentor_required
@require_GET
def mentor_sessions(request: AuthenticatedHttpRequest, view: str) -> HttpResponse:
    """The mentor's requests, upcoming or past sessions, paginated. Constant queries."""
    if view not in MENTOR_VIEWS:
        raise Http404
    page = _page(request, session_list_for_mentor(user=request.user, view=view))
    titles = {"requests": _("Session requests"), "upcoming": _("Upcoming sessions"), "past": _("Past sessions")}
    context = {"page_obj": page, "sessions": page.object_list, "view": view, "title": titles[view]}
    return render(request, "mentorship/sessions/mentor_sessions.html", context)


def _detail_context(
    request: AuthenticatedHttpRequest, session: MentorshipSession, note_form: Form | None = None
) -> dict:
    role = session_role(session=session, user=request.user)
    note = session_note_get(user=request.user, session=session) if role == "mentor" else None
    if role == "mentor" and note_form is None:
        initial = {name: getattr(note, name) for name in SessionNoteForm.base_fields} if note else None
        note_form = SessionNoteForm(initial=initial)
    window = session_feedback_window(session=session)
    feedback = session_feedback_visible(session=session, user=request.user)
    shown = feedback_view(feedback=feedback, user=request.user) if feedback is not None else None
    payment = payment_for_item(kind=PAYMENT_KIND, item_id=session.pk) if session.price_cents else None
    return {
        "session": session,
        "role": role,
        "other": _other_party(session, request.user),
        "actions": session_actions_allowed(session=session, user=request.user),
        "cancel_form": SessionCancelForm(),
        "cancel_refund": session_cancel_refund(session=session, user=request.user),
        "payment": payment,
        "price_lines": payment.lines if payment is not None else [],
        "just_paid": request.GET.get("paid") == "1" and role == "mentee",
        "note_form": note_form,
        "note": note,
        "feedback": feedback,
        "feedback_note": shown.delivery_note if shown is not None and shown.role == "given" else "",
        "feedback_window": window,
        "feedback_open": window is not None and window.is_open(timezone.now()),
    }


@login_required
@require_GET
def session_detail(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """One session for its mentor or mentee: details, what they may do now, the mentor's
    private notes (mentor only), and the feedback as the viewer may see it."""
    session = _session_or_404(request, pk)
    return render(request, "mentorship/sessions/detail.html", _detail_context(request, session))


def _next_url(request: HttpRequest, session: MentorshipSession) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return session_url(session)


ACTION_DONE = {
    "confirm": _("The session is confirmed; %(other)s is notified."),
    "cancel": _("The session is cancelled; %(other)s is notified."),
    "complete": _("The session is marked completed; %(other)s can give feedback from tomorrow."),
    "no_show": _("The session is marked no-show; %(other)s is notified."),
    "mentor_no_show": _("Reported: %(other)s did not come. A paid session is refunded to you in full."),
}


@login_required
@require_POST
def session_action(request: AuthenticatedHttpRequest, pk: Any, action: str) -> HttpResponse:
    """Confirm, cancel (with an optional reason), complete, mark no-show or report the
    mentor absent, then back to ``next`` (a page of this site) or the session; pay (a
    session awaiting payment) goes on to a new Stripe Checkout. A refused change shows why."""
    session = _session_or_404(request, pk)
    other = _other_party(session, request.user)
    try:
        if action == "pay":
            return redirect(session_checkout_resume(session=session, user=request.user, base_url=_base_url(request)))
        if action == "mentor_no_show":
            session_report_mentor_no_show(session=session, user=request.user)
        elif action == "confirm":
            session_confirm(session=session, user=request.user)
        elif action == "complete":
            session_complete(session=session, user=request.user)
        elif action == "no_show":
            session_mark_no_show(session=session, user=request.user)
        elif action == "cancel":
            form = SessionCancelForm(request.POST)
            if not form.is_valid():
                messages.error(request, " ".join(str(error) for error in form.errors.get("reason", [])))
                return redirect(session_url(session))
            refund = session_cancel_refund(session=session, user=request.user)
            session_cancel(session=session, user=request.user, reason=form.cleaned_data["reason"])
            if refund.message:
                messages.info(request, refund.message)
        else:
            raise Http404
    except (ApplicationError, ValidationError) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, ACTION_DONE[action] % {"other": other.display_name})
    return redirect(_next_url(request, session))


@login_required
@require_http_methods(["GET", "POST"])
def session_reschedule_view(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """Move a session to a new time (either party, while it is pending or confirmed and has
    not started; otherwise the page says why, 409 on a POST). Above the form, the mentor's
    free slots for the session's length — the booking page's fragment and selector, with
    the session's own time counted free — in the viewer's zone; a slot's link (``?start=``)
    fills the new start, and another length (``?duration=``) can be chosen for a free
    session. Any time can still be typed by hand: the mentee's is held to the mentor's
    hours like a booking, the mentor's only to both diaries. Four queries for the slots.
    Bad input: the form again with the errors (400); a time that overlaps: the form with the
    reason (409)."""
    session = _session_or_404(request, pk)
    zone = timezone.get_current_timezone_name()
    # A paid session keeps its length (its price follows it): slots of that length only.
    durations = [] if session.price_cents else DURATION_CHOICES
    duration = _slot_duration(request, default=session.duration_minutes) if durations else session.duration_minutes
    initial: dict[str, Any] = {"start_at": timezone.localtime(session.start_at), "duration_minutes": duration}
    if start := request.GET.get("start", ""):
        initial["start_at"] = start
    form = SessionRescheduleForm(request.POST or None, timezone_name=zone, initial=initial)
    refusal = session_action_refusal(session=session, user=request.user, action="reschedule", now=timezone.now())
    other, status = _other_party(session, request.user), 200
    if request.method == "POST":
        status = 409 if refusal else 400
        if refusal is None and form.is_valid():
            try:
                session_reschedule(session=session, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
                status = 409
            else:
                messages.success(
                    request, _("The session is moved; %(other)s is notified.") % {"other": other.display_name}
                )
                return redirect(session_url(session))
    role = session_role(session=session, user=request.user)
    context: dict[str, Any] = {
        "session": session,
        "other": other,
        "role": role,
        "form": form,
        "refusal": refusal,
        "mentor": session.mentor,
        "zone": zone,
        "durations": durations,
        "duration": duration,
    }
    profile = session_bookable_mentor(mentor_id=session.mentor_id) if refusal is None else None
    if profile is not None:
        slots = mentor_free_slots(profile=profile, duration_minutes=duration, moving_session_id=session.pk)
        context |= {
            "slots": slots,
            "slot_days": _slot_days(slots, timezone.get_current_timezone()),
            "mentor_zone": str(slots.zone),
        }
    return render(request, "mentorship/sessions/reschedule.html", context, status=status)


@login_required
@require_POST
def session_note_view(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """Save the mentor's private notes on the session (the mentor only; others: 404)."""
    session = _session_or_404(request, pk)
    if session.mentor_id != request.user.pk:
        raise Http404
    form = SessionNoteForm(request.POST)
    if form.is_valid():
        try:
            session_note_save(session=session, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Your notes are saved. Only you can read them."))
            return redirect(session_url(session))
    return render(request, "mentorship/sessions/detail.html", _detail_context(request, session, form), status=400)


@login_required
@require_http_methods(["GET", "POST"])
def session_feedback_view(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """The mentee's feedback form (the mentor: 404). Outside the window, or once given, the
    page says so (409 on a POST)."""
    session = _session_or_404(request, pk)
    if session.mentee_id != request.user.pk:
        raise Http404
    form = SessionFeedbackForm(request.POST or None)
    status, refusal = 200, ""
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                feedback = session_feedback_submit(session=session, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            except (ApplicationError, PermissionDenied) as exc:
                refusal, status = str(getattr(exc, "message", exc)), 409
            else:
                view = feedback_view(feedback=feedback, user=request.user)
                note = view.delivery_note if view is not None else ""
                messages.success(request, f"{_('Thank you — your feedback is saved.')} {note}")
                return redirect(session_url(session))
    window = session_feedback_window(session=session)
    context = {
        "session": session,
        "form": form,
        "refusal": refusal,
        "feedback": session_feedback_visible(session=session, user=request.user),
        "feedback_window": window,
        "feedback_open": window is not None and window.is_open(timezone.now()),
    }
    return render(request, "mentorship/sessions/feedback.html", context, status=status)


@mentor_required
@require_GET
def feedback_received(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Feedback the mentor may see, latest week first, each as ``feedback_view`` shows it:
    anonymous feedback once released, with its rating, words and release week only — no
    session, no mentee, no day. Constant queries."""
    page = _page(request, feedback_list_received(user=request.user), FEEDBACK_PER_PAGE)
    context = {"page_obj": page, "feedback_list": feedback_views(feedback=page.object_list, user=request.user)}
    return render(request, "mentorship/sessions/feedback_received.html", context)
