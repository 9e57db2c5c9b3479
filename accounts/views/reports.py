"""Reports page for managers and admins."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.rules import is_staff_member
from accounts.selectors.reports import report_users_summary
from core.http import AuthenticatedHttpRequest


@login_required
@require_GET
def reports(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Community numbers; anyone but a manager or an admin gets a 404."""
    if not is_staff_member(request.user):
        raise Http404
    return render(request, "accounts/reports.html", {"users": report_users_summary()})
