"""Pages of community events: the public list with filters, an event's page (register,
pay for a seat at a paid event through Stripe Checkout, give up your place, the host's
controls), hosting and editing, the host's attendee list
with attended / no-show marks, and the event as an `.ics` file. Thin: the rules live in
``mentorship.services.events`` and ``mentorship.selectors.events``."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ApplicationError, error_text
from core.forms import form_errors_from
from core.http import AuthenticatedHttpRequest, HtmxHttpRequest
from learning.services.payments import payments_configured
from mentorship.forms.events import EventForm
from mentorship.models import SEATED, Event, EventAttendance
from mentorship.rules import can_host_events, can_manage_event
from mentorship.selectors.calendar import event_ics
from mentorship.selectors.events import (
    EventFilter,
    event_attendance_for_user,
    event_attendee_list,
    event_get,
    event_list,
    event_seat_payment,
    event_shows_meeting_link,
    event_waitlist_position,
)
from mentorship.services.events import (
    CHANGE_NOTICE,
    MARKABLE,
    NOT_CONFIGURED_MESSAGE,
    REASON_MAX_LENGTH,
    event_attendance_mark,
    event_cancel,
    event_create,
    event_refund_deadline,
    event_register,
    event_seat_checkout_start,
    event_unregister,
    event_update,
    event_url,
)

EVENTS_PER_PAGE = 12
ATTENDEES_PER_PAGE = 50
# The service names the price in cents; the form asks for it in the currency.
SERVICE_FIELD_ALIASES = {"price_cents": "price"}
FILTER_NAMES = ("date_from", "date_to", "type", "venue", "virtual", "status", "host")


def _filter_form(filterset: EventFilter) -> forms.Form:
    form = filterset.form
    for field in form.fields.values():
        field.help_text = ""
    form.fields["date_from"].widget = forms.DateInput(attrs={"type": "date"})
    form.fields["date_to"].widget = forms.DateInput(attrs={"type": "date"})
    form.fields["type"].widget.choices = [("", _("All types")), *Event.Type.choices]
    form.fields["virtual"].widget = forms.Select(
        choices=[("", _("Virtual or in person")), ("true", _("Virtual")), ("false", _("In person"))]
    )
    form.fields["status"].widget.choices = [("", _("Scheduled or cancelled")), *Event.Status.choices]
    form.fields["venue"].empty_label = _("Any venue")
    form.fields["host"].widget = forms.HiddenInput()
    return form


@require_GET
def event_list_page(request: HttpRequest) -> HttpResponse:
    """Events soonest first — upcoming ones unless a date range is chosen — with filters and
    pages. Invalid filters are shown as errors and left out. Constant queries."""
    filterset = EventFilter(request.GET or None, queryset=event_list(user=request.user))
    events = filterset.qs
    if not request.GET.get("date_from") and not request.GET.get("date_to"):
        events = events.filter(start_at__gte=timezone.now())
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "mentorship/events/list.html",
        {
            "filter_form": _filter_form(filterset),
            "page_obj": page,
            "events": page.object_list,
            "query": query.urlencode(),
            "filtered": any(request.GET.get(name) for name in FILTER_NAMES),
            "can_host": can_host_events(request.user),
        },
    )


def _event_or_404(request: HttpRequest, pk: Any) -> Event:
    event = event_get(event_id=pk, user=request.user)
    if event is None:
        raise Http404(_("There is no such event."))
    return event


def _detail_context(request: HttpRequest, event: Event) -> dict[str, Any]:
    attendance = event_attendance_for_user(user=request.user, event=event)
    now = timezone.now()
    manages = can_manage_event(request.user, event)
    paid = bool(event.price_cents)
    return {
        "event": event,
        "attendance": attendance,
        "waitlist_position": event_waitlist_position(attendance=attendance) if attendance else None,
        "show_meeting_link": event_shows_meeting_link(user=request.user, event=event),
        "seats_left": max(event.max_attendees - event.registered_count, 0),
        "payment": event_seat_payment(attendance=attendance) if paid and attendance else None,
        "payments_missing": NOT_CONFIGURED_MESSAGE if paid and not payments_configured() else "",
        "refund_deadline": event_refund_deadline(event) if paid else None,
        "refund_open": paid and now <= event_refund_deadline(event),
        "hold_lapsed": bool(
            attendance
            and attendance.status == EventAttendance.Status.CANCELLED
            and attendance.payment_due_at
            and attendance.cancelled_at
            and attendance.cancelled_at >= attendance.payment_due_at
        ),
        "checkout_state": request.GET.get("checkout", ""),
        "is_scheduled": event.status == Event.Status.SCHEDULED,
        "has_started": event.start_at <= now,
        "seat_can_be_given_up": now <= event.start_at - CHANGE_NOTICE,
        "manages": manages,
        "is_host": event.host_id == request.user.pk,
        "can_cancel": manages and event.status == Event.Status.SCHEDULED and now <= event.start_at - CHANGE_NOTICE,
        "cancel_reason_max": REASON_MAX_LENGTH,
        "seated_statuses": SEATED,
    }


@require_GET
def event_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    """An event: what, when, where, seats and waitlist, your place and the buttons that
    change it; for its host also edit, cancel and the attendee list."""
    event = _event_or_404(request, pk)
    return render(request, "mentorship/events/detail.html", _detail_context(request, event))


def _registration_answer(request: HtmxHttpRequest, pk: Any) -> HttpResponse:
    """HTMX swaps the registration box; without HTMX, back to the event's page."""
    if request.htmx:
        event = _event_or_404(request, pk)
        return render(request, "mentorship/events/_registration.html", _detail_context(request, event))
    return redirect("mentorship:event-detail", pk=pk)


def checkout_return_urls(request: HttpRequest, event: Event) -> tuple[str, str]:
    """Where Stripe sends the payer of a seat back to: the event's page, saying whether
    they paid or turned back (the seat follows Stripe's confirmation, not this visit)."""
    page = request.build_absolute_uri(event_url(event))
    return f"{page}?checkout=success", f"{page}?checkout=cancelled"


def _to_checkout(request: AuthenticatedHttpRequest, event: Event) -> HttpResponse:
    """Off to Stripe Checkout for the seat held for the user; a refusal goes back to the
    event's page with the reason (the seat stays held until its time is over)."""
    success_url, cancel_url = checkout_return_urls(request, event)
    try:
        started = event_seat_checkout_start(
            user=request.user, event=event, success_url=success_url, cancel_url=cancel_url
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(event_url(event))
    return redirect(started.checkout_url)


@login_required
@require_POST
def event_register_view(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """Register (free event), or hold a seat and go to Checkout (paid event), or join the
    waitlist when the event is full."""
    event = _event_or_404(request, pk)
    try:
        registration = event_register(user=request.user, event=event)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if registration.attendance.status == EventAttendance.Status.AWAITING_PAYMENT:
            return _to_checkout(request, event)
        if registration.attendance.status == EventAttendance.Status.WAITLISTED:
            messages.info(request, _("The event is full: you are on the waitlist. We will tell you if a seat opens."))
        else:
            messages.success(request, _("You are registered. See you there!"))
    return _registration_answer(request, pk)


@login_required
@require_POST
def event_pay_view(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """Pay for the seat held for you (after registering, or offered from the waitlist)."""
    return _to_checkout(request, _event_or_404(request, pk))


@login_required
@require_POST
def event_unregister_view(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    event = _event_or_404(request, pk)
    try:
        withdrawal = event_unregister(user=request.user, event=event)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if withdrawal.refunded:
            messages.success(request, _("Your place is given up. What you paid is refunded in full."))
        else:
            messages.success(request, _("Your place is given up."))
    return _registration_answer(request, pk)


@login_required
@require_POST
def event_cancel_view(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """The host calls the event off with a reason; a missing reason shows the page again
    with the message (400) and the reason typed so far."""
    event = _event_or_404(request, pk)
    if not can_manage_event(request.user, event):
        raise Http404(_("There is no such event among the ones you host."))
    reason = request.POST.get("reason", "")
    try:
        event_cancel(user=request.user, event=event, reason=reason)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        context = _detail_context(request, event)
        context.update(cancel_error=error_text(exc), cancel_reason=reason)
        return render(request, "mentorship/events/detail.html", context, status=400)
    else:
        messages.success(request, _("The event is cancelled; everyone registered or waiting is told."))
    return redirect("mentorship:event-detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def event_create_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Host a new event (verified mentors and staff; others get a 403 page)."""
    if not can_host_events(request.user):
        raise PermissionDenied(_("Only verified mentors and staff host events."))
    form = EventForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                event = event_create(user=request.user, **form.service_data())
            except ValidationError as exc:
                form_errors_from(form, exc, aliases=SERVICE_FIELD_ALIASES)
            else:
                messages.success(request, _("Your event is published."))
                return redirect(event_url(event))
        status = 400
    return render(request, "mentorship/events/form.html", {"form": form, "event": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def event_edit_page(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """Edit an event you host (staff: any; others 404)."""
    event = _event_or_404(request, pk)
    if not can_manage_event(request.user, event):
        raise Http404(_("There is no such event among the ones you host."))
    form = EventForm(request.POST or None, initial=EventForm.initial_for(event))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = {
                name: value
                for name, value in form.service_data().items()
                if name in form.changed_data or (name == "price_cents" and "price" in form.changed_data)
            }
            try:
                event_update(user=request.user, event=event, data=data)
            except ApplicationError as exc:
                messages.error(request, exc.message)
                return redirect(event_url(event))
            except ValidationError as exc:
                form_errors_from(form, exc, aliases=SERVICE_FIELD_ALIASES)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect(event_url(event))
        status = 400
    return render(request, "mentorship/events/form.html", {"form": form, "event": event}, status=status)


@login_required
@require_GET
def event_attendees_page(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """Who registered, who waits (in order), who cancelled — the host and staff only (others
    404); once the event started, attended / no-show buttons. Constant queries."""
    event = _event_or_404(request, pk)
    attendances = event_attendee_list(user=request.user, event=event)
    if attendances is None:
        raise Http404(_("There is no such event among the ones you host."))
    page = Paginator(attendances, ATTENDEES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "mentorship/events/attendees.html",
        {
            "event": event,
            "page_obj": page,
            "attendances": page.object_list,
            "can_mark": event.status == Event.Status.SCHEDULED and event.start_at <= timezone.now(),
            "seated_statuses": SEATED,
            "marks": MARKABLE,
        },
    )


@login_required
@require_POST
def event_attendance_mark_view(request: AuthenticatedHttpRequest, pk: Any, attendance_pk: Any) -> HttpResponse:
    event = _event_or_404(request, pk)
    try:
        attendance = event_attendance_mark(
            user=request.user, event=event, attendance_id=attendance_pk, status=request.POST.get("status", "")
        )
    except (ApplicationError, ValidationError) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("%(name)s: %(status)s.")
            % {"name": attendance.user.display_name, "status": attendance.get_status_display()},
        )
    return redirect("mentorship:event-attendees", pk=pk)


@require_GET
def event_ics_download(request: HttpRequest, pk: Any) -> HttpResponse:
    """The event as an `.ics` file (anyone; the meeting link only for those who may see it)."""
    event = _event_or_404(request, pk)
    body = event_ics(event=event, show_meeting_link=event_shows_meeting_link(user=request.user, event=event))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response
