"""Your private calendar feed: its page in your settings (the address to copy into a
calendar app, and the button that gives it a new one), the feed itself (the token is the key,
no sign-in) and the former addresses of the page, which lead here.

The feed holds every app's entries (:func:`core.calendar.calendar_feed_ics`): mentorship
sessions and events, therapy sessions ("Therapy session", the time and where — never the
title, notes, specialisation or a name).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.selectors.calendar import calendar_feed_get_by_token, calendar_feed_url
from accounts.services.calendar import calendar_feed_get_or_create, calendar_feed_rotate
from core.calendar import calendar_feed_ics
from core.http import AuthenticatedHttpRequest


@login_required
@require_GET
def calendar_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Your feed's address (created the first time you come here) and the button that
    gives it a new one."""
    feed = calendar_feed_get_or_create(user=request.user)
    return render(request, "accounts/calendar.html", {"feed": feed, "feed_url": calendar_feed_url(feed=feed)})


@login_required
@require_POST
def calendar_rotate_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    calendar_feed_rotate(user=request.user)
    messages.success(request, _("Your calendar has a new address. The old one no longer works."))
    return redirect("accounts:calendar")


@never_cache
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed of the token's owner — every app's entries (:func:`core.calendar.calendar_feed_ics`);
    404 for an unknown or revoked token. No session needed: calendar apps fetch it on their
    own. Constant queries whatever the number of entries."""
    feed = calendar_feed_get_by_token(token=token)
    if feed is None:
        raise Http404(_("There is no such calendar."))
    response = HttpResponse(calendar_feed_ics(user=feed.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="ascend.ics"'
    return response


@require_GET
def calendar_page_moved(request: HttpRequest) -> HttpResponse:
    """``/calendar/``, the page's address while the feed belonged to mentorship: a permanent
    redirect to the page in your settings."""
    return redirect("accounts:calendar", permanent=True)


@require_POST
def calendar_rotate_moved(request: HttpRequest) -> HttpResponse:
    """``/calendar/rotate/``, the former form's address: a 308 (the POST is repeated, with
    its CSRF token, at the new address), so a page opened before the move still works."""
    return redirect("accounts:calendar-rotate", permanent=True, preserve_request=True)
