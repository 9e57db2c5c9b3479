"""Calendar pages: your private feed's address (copy it into a calendar app, or give it a
new address), the feed itself (token only, no sign-in) and one session as an `.ics` file."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.calendar import calendar_feed_ics
from core.http import AuthenticatedHttpRequest
from mentorship.selectors.calendar import (
    calendar_feed_get_by_token,
    calendar_feed_url,
    calendar_session_get_for_user,
    session_ics,
)
from mentorship.services.calendar import calendar_feed_get_or_create, calendar_feed_rotate


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def calendar_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Your feed's address (created the first time you come here) and the button that
    gives it a new one."""
    feed = calendar_feed_get_or_create(user=request.user)
    return render(request, "mentorship/calendar/page.html", {"feed": feed, "feed_url": calendar_feed_url(feed=feed)})


@login_required
@require_POST
def calendar_rotate_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    calendar_feed_rotate(user=request.user)
    messages.success(request, _("Your calendar has a new address. The old one no longer works."))
    return redirect("mentorship:calendar")


@never_cache
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed of the token's owner — every app's entries (:func:`core.calendar.calendar_feed_ics`);
    404 for an unknown or revoked token. No session needed: calendar apps fetch it on their
    own. Constant queries."""
    feed = calendar_feed_get_by_token(token=token)
    if feed is None:
        raise Http404(_("There is no such calendar."))
    response = HttpResponse(calendar_feed_ics(user=feed.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="ascend.ics"'
    return response


@login_required
@require_GET
def session_ics_download(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """One session as an `.ics` file for its mentor or mentee (anyone else: 404)."""
    session = calendar_session_get_for_user(user=request.user, session_id=pk)
    if session is None:
        raise Http404(_("There is no such session among yours."))
    return _ics_response(session_ics(session=session, user=request.user), f"session-{session.pk}.ics")
