"""The audit log page, for managers and admins: who changed what, when, from where."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from accounts.audit import audit_action_names
from accounts.models import AuditLogEntry
from accounts.rules import is_staff_member
from accounts.selectors.audit import AuditLogFilter, audit_entry_changes, audit_log_list
from core.http import AuthenticatedHttpRequest

AUDIT_ENTRIES_PER_PAGE = 50
_FILTERS = ("user", "action", "from", "to")


@login_required
@require_GET
def audit_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Entries newest first, filtered by user, action and time range (two queries for the
    page: count and rows), times in the reader's zone. Anyone but a manager or an admin
    gets a 404: the page is not theirs to know about; entries about therapy are for
    admins only."""
    if not is_staff_member(request.user):
        raise Http404
    filters = {name: request.GET[name] for name in _FILTERS if request.GET.get(name, "").strip()}
    filterset = AuditLogFilter(filters or None, queryset=AuditLogEntry.objects.none())
    try:
        entries = audit_log_list(reader=request.user, filters=filters)
    except ValidationError:
        entries = AuditLogEntry.objects.none()  # the form shows why
    page = Paginator(entries, AUDIT_ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"entry": entry, "changes": audit_entry_changes(entry=entry)} for entry in page.object_list]
    return render(
        request,
        "accounts/audit/list.html",
        {
            "filter_form": filterset.form,
            "page_obj": page,
            "rows": rows,
            "action_names": audit_action_names(),
            "query": urlencode(filters),
            # Times are shown in the reader's zone (UserTimezoneMiddleware) and say which.
            "time_zone": timezone.get_current_timezone_name(),
        },
    )
