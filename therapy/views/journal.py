"""Journal pages: the client's journal (list with filters and the feelings chart, write,
read, edit, share, delete) and a therapist's view of one client's SHARED entries.

Another person's entry is a 404; a therapist sees shared entries of active clients only,
and each view is recorded in the client's access log.
"""

from datetime import datetime, time
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.selectors.users import user_get_by_id
from core.forms import form_errors_from
from core.http import AuthenticatedHttpRequest
from therapy.charts import journal_chart
from therapy.forms import JournalEntryForm
from therapy.models import JournalEntry
from therapy.rules import is_client_of
from therapy.selectors.journal import (
    JournalEntryFilter,
    journal_entry_get_for_user,
    journal_entry_get_own,
    journal_entry_list_for_client,
    journal_entry_list_shared_for_therapist,
    journal_entry_support,
    journal_feeling_suggestions,
)
from therapy.selectors.relationships import relationship_list_in_force_for_client
from therapy.services.access import access_record
from therapy.services.journal import (
    journal_entry_create,
    journal_entry_delete,
    journal_entry_share,
    journal_entry_update,
)
from therapy.services.relationships import relationship_distress_seen

ENTRIES_PER_PAGE = 20


def _filtered(request: HttpRequest, entries: QuerySet[JournalEntry]) -> tuple[JournalEntryFilter, QuerySet]:
    filterset = JournalEntryFilter(request.GET or None, queryset=entries, request=request)
    return filterset, (filterset.qs if filterset.is_valid() else entries)


def _chart_range(filterset: JournalEntryFilter) -> tuple[datetime | None, datetime | None]:
    """The chart covers the chosen days (local), or the last 30 days."""
    if not filterset.is_bound or not filterset.is_valid():
        return None, None
    zone = timezone.get_current_timezone()
    start_day, end_day = filterset.form.cleaned_data.get("from"), filterset.form.cleaned_data.get("to")
    start = datetime.combine(start_day, time.min, zone) if start_day else None
    end = datetime.combine(end_day, time.max, zone) if end_day else None
    if start and not end:
        end = max(timezone.now(), start)
    return start, end


def _list_context(request: HttpRequest, entries: QuerySet[JournalEntry]) -> dict[str, Any]:
    filterset, filtered = _filtered(request, entries)
    page = Paginator(filtered, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    start, end = _chart_range(filterset)
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filterset": filterset,
        "filter_errors": filterset.errors if filterset.is_bound else {},
        "page_obj": page,
        "entries": list(page.object_list),
        "chart": journal_chart(entries=filtered, start=start, end=end),
        "selected": {key: request.GET.get(key, "") for key in ("feeling", "from", "to")},
        "filter_query": query.urlencode(),
        "feelings": journal_feeling_suggestions(),
    }


@login_required
@require_http_methods(["GET"])
def journal_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The client's journal: newest first, filters (feeling, days), the feelings chart,
    pages of 20. Constant queries."""
    context = _list_context(request, journal_entry_list_for_client(client=request.user))
    return render(request, "therapy/journal/list.html", context)


def _detail(request: AuthenticatedHttpRequest, entry: JournalEntry) -> HttpResponse:
    support = journal_entry_support(entry=entry, reader=request.user)
    context = {
        "entry": entry,
        "is_mine": entry.client_id == request.user.pk,
        "support": support,
        "therapists": relationship_list_in_force_for_client(client=request.user) if support else [],
    }
    return render(request, "therapy/journal/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def journal_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Write an entry, then go to its page (a redirect: a refresh does not write it twice),
    which shows the support resources at once when the entry calls for them. Invalid input:
    the form again with the errors (400), nothing stored."""
    if request.method == "POST":
        form = JournalEntryForm(request.POST)
        if form.is_valid():
            try:
                entry = journal_entry_create(client=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("Your entry is saved."))
                return redirect("therapy:journal-detail", pk=entry.pk)
        return _form(request, form, None, status=400)
    form = JournalEntryForm(initial={"time_of_emotion": timezone.localtime().replace(second=0, microsecond=0)})
    return _form(request, form, None)


def _form(request: HttpRequest, form: forms.Form, entry: JournalEntry | None, status: int = 200) -> HttpResponse:
    context = {"form": form, "entry": entry, "feelings": journal_feeling_suggestions()}
    return render(request, "therapy/journal/form.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def journal_detail(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """One entry: the client's own, or a shared entry of an active client (recorded in the
    client's access log; the therapist's flag of a distressing entry is lowered). Anything
    else: 404."""
    entry = journal_entry_get_for_user(user=request.user, entry_id=pk)
    if entry is None:
        raise Http404(_("There is no such journal entry."))
    access_record(actor=request.user, instances=[entry])
    if entry.client_id != request.user.pk:
        relationship_distress_seen(therapist=request.user, client_ids=[entry.client_id])
    return _detail(request, entry)


def _own_or_404(request: AuthenticatedHttpRequest, pk: str) -> JournalEntry:
    entry = journal_entry_get_own(client=request.user, entry_id=pk)
    if entry is None:
        raise Http404(_("There is no such journal entry."))
    return entry


@login_required
@require_http_methods(["GET", "POST"])
def journal_edit(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """Edit one's own entry, then go to its page (with the support resources when it calls
    for them)."""
    entry = _own_or_404(request, pk)
    if request.method == "POST":
        form = JournalEntryForm(request.POST)
        if form.is_valid():
            try:
                entry = journal_entry_update(client=request.user, entry=entry, data=form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("Your entry is saved."))
                return redirect("therapy:journal-detail", pk=entry.pk)
        return _form(request, form, entry, status=400)
    fields = ("feeling", "intensity", "note", "is_shared")
    initial = {name: getattr(entry, name) for name in fields}
    initial["time_of_emotion"] = timezone.localtime(entry.time_of_emotion)
    return _form(request, JournalEntryForm(initial=initial), entry)


@login_required
@require_POST
def journal_share(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """Share (``shared=1``) or unshare (``shared=0``) one's own entry."""
    entry = _own_or_404(request, pk)
    shared = request.POST.get("shared") == "1"
    journal_entry_share(client=request.user, entry=entry, shared=shared)
    messages.success(
        request, _("The entry is shared with your therapists.") if shared else _("The entry is private again.")
    )
    return redirect("therapy:journal-detail", pk=entry.pk)


@login_required
@require_http_methods(["GET", "POST"])
def journal_delete(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """Confirm, then delete one's own entry."""
    entry = _own_or_404(request, pk)
    if request.method == "POST":
        journal_entry_delete(client=request.user, entry=entry)
        messages.success(request, _("The entry is deleted."))
        return redirect("therapy:journal-list")
    return render(request, "therapy/journal/confirm_delete.html", {"entry": entry})


@login_required
@require_http_methods(["GET"])
def client_journal(request: AuthenticatedHttpRequest, client_id: str) -> HttpResponse:
    """A therapist reads the entries an ACTIVE client shared (list and chart, filters, pages);
    everything shown is recorded in the client's access log with one insert, and the flag
    of a distressing entry on the client list is lowered. No active relationship: 404.
    Constant queries."""
    client = user_get_by_id(user_id=client_id, active_only=True)
    if client is None or not is_client_of(request.user, client):
        raise Http404(_("There is no such client."))
    context = _list_context(request, journal_entry_list_shared_for_therapist(therapist=request.user, client=client))
    shown = {entry.pk: entry for entry in [*context["entries"], *(point.entry for point in context["chart"].points)]}
    access_record(actor=request.user, instances=list(shown.values()))
    relationship_distress_seen(therapist=request.user, client_ids=[client.pk])
    context["client"] = client
    return render(request, "therapy/journal/client_list.html", context)
