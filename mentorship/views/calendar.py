"""One session as an `.ics` file. (The private calendar feed — its page, address and token —
belongs to accounts: ``accounts.views.calendar``.)"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.http import AuthenticatedHttpRequest
from mentorship.selectors.calendar import calendar_session_get_for_user, session_ics


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def session_ics_download(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """One session as an `.ics` file for its mentor or mentee (anyone else: 404)."""
    session = calendar_session_get_for_user(user=request.user, session_id=pk)
    if session is None:
        raise Http404(_("There is no such session among yours."))
    return _ics_response(session_ics(session=session, user=request.user), f"session-{session.pk}.ics")
