"""Pages of notifications: the list with mark read / mark all read (HTMX in place, plain
POST and redirect without JavaScript) and the e-mail preferences settings page."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import NotificationPreferencesForm
from accounts.selectors.notifications import (
    NotificationFilter,
    notification_get_for_user,
    notification_list_for_user,
    notification_preferences_for_user,
)
from accounts.services.notifications import (
    notification_mark_read,
    notification_preferences_set,
    notifications_mark_all_read,
)
from core.forms import form_errors_from
from core.http import AuthenticatedHttpRequest
from core.registry import NavLink, navigation

NOTIFICATIONS_PER_PAGE = 20
# The query parameters of the list page that a mark-read form carries back to it.
_LIST_PARAMETERS = ("is_read", "type", "page")


def _list_query(data: QueryDict) -> QueryDict:
    """The list page's own parameters out of ``data`` (a GET query or a POSTed form)."""
    query = QueryDict(mutable=True)
    for name in _LIST_PARAMETERS:
        value = data.get(name)
        if value:
            query[name] = value
    return query


def _list_context(request: AuthenticatedHttpRequest, query: QueryDict) -> dict[str, Any]:
    """Filter form, page of notifications and the query string for one list page (three
    queries: count, rows and — in the navigation — the unread count)."""
    filterset = NotificationFilter(query or None, queryset=notification_list_for_user(user=request.user))
    # An invalid filter (an unknown type) is shown as an error and the list stays unfiltered.
    notifications = filterset.qs if filterset.is_valid() else filterset.queryset
    page = Paginator(notifications, NOTIFICATIONS_PER_PAGE).get_page(query.get("page"))
    filter_query = query.copy()
    filter_query.pop("page", None)
    return {
        "filter_form": filterset.form,
        "page_obj": page,
        "notifications": page.object_list,
        "query": query.urlencode(),
        "filter_query": filter_query.urlencode(),
    }


def _back_to_list(request: HttpRequest) -> HttpResponse:
    """Redirect to the list page with the filters and page the form was posted from."""
    url = reverse("accounts:notification-list")
    query = _list_query(request.POST).urlencode()
    return redirect(f"{url}?{query}" if query else url)


def _nav_badge(request: HttpRequest) -> NavLink | None:
    """The navigation's notifications link, to refresh its unread badge after a change."""
    item = navigation.get("notifications")
    return NavLink(item, request) if item is not None else None


@login_required
@require_http_methods(["GET"])
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    query = _list_query(request.GET)
    return render(request, "accounts/notifications/list.html", _list_context(request, query))


@login_required
@require_POST
def notification_read(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """Mark one notification read. HTMX gets the item swapped in place (and the navigation
    badge out of band); a plain form post goes back to the list it came from."""
    notification = notification_get_for_user(user=request.user, notification_id=pk)
    if notification is None:
        raise Http404(_("There is no such notification."))
    notification = notification_mark_read(user=request.user, notification=notification)
    if request.htmx:
        context = {"notification": notification, "query": _list_query(request.POST).urlencode(), "focus": True}
        return render(
            request, "accounts/notifications/_read_response.html", {**context, "nav_badge": _nav_badge(request)}
        )
    return _back_to_list(request)


@login_required
@require_POST
def notification_read_all(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Mark all of the user's notifications read; HTMX gets the list section re-rendered."""
    count = notifications_mark_all_read(user=request.user)
    status = ngettext("%(count)d notification marked as read.", "%(count)d notifications marked as read.", count) % {
        "count": count
    }
    if request.htmx:
        context = _list_context(request, _list_query(request.POST))
        return render(
            request,
            "accounts/notifications/_read_all_response.html",
            {**context, "status": status, "nav_badge": _nav_badge(request)},
        )
    messages.success(request, status)
    return _back_to_list(request)


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Settings page: one checkbox per notification type, grouped by area."""
    items = notification_preferences_for_user(user=request.user)
    form = NotificationPreferencesForm(request.POST or None, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            notification_preferences_set(user=request.user, preferences=form.preferences())
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Your e-mail preferences are saved."))
            return redirect("accounts:notification-preferences")
    return render(request, "accounts/notifications/preferences.html", {"form": form})
