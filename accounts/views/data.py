"""Your data: download everything (a ZIP built by a task) and delete the account."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.forms import AccountDeleteForm
from accounts.models import DataExport
from accounts.ratelimits import password_check_allowed, password_check_retry_after
from accounts.selectors.data import data_export_get_for_user, data_export_list_for_user
from accounts.services.data import account_delete, data_export_request
from core.forms import form_errors_from
from core.http import AuthenticatedHttpRequest


def _render(request: AuthenticatedHttpRequest, delete_form: AccountDeleteForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "accounts/data.html",
        {"exports": data_export_list_for_user(user=request.user)[:10], "delete_form": delete_form},
        status=status,
    )


@login_required
@require_GET
def data_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _render(request, AccountDeleteForm())


@login_required
@require_POST
def data_export_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    data_export_request(user=request.user)
    messages.success(request, _("We are preparing your data. You will get a notification with a download link."))
    return redirect("accounts:data")


@login_required
@require_GET
def data_export_download(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """Send the owner to a fresh short-lived signed URL of their export's ZIP."""
    export = data_export_get_for_user(user=request.user, pk=pk)
    if export.status != DataExport.Status.READY or export.file is None:
        raise Http404(_("This export is not available; request a new one."))
    return redirect(export.file.storage.url(export.file.key))


@login_required
@require_POST
def account_delete_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST)
    if form.is_valid():
        if not password_check_allowed(request, user=request.user):
            # Limited like failed sign-ins: no password is checked now, a correct one neither.
            wait = password_check_retry_after(request, user=request.user)
            form.add_error(
                None,
                _("Too many password attempts. For your safety, try again in %(minutes)d minute(s).")
                % {"minutes": max(1, -(-wait // 60))},
            )
            response = _render(request, form, status=429)
            response["Retry-After"] = str(wait)
            return response
        try:
            account_delete(user=request.user, password=form.cleaned_data["password"])
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            logout(request)
            messages.success(request, _("Your account is deleted. Thank you for the time you spent with us."))
            return redirect("home")
    return _render(request, form, status=400)
