"""Pages of accounts: home, dashboard, account settings; health; private file downloads."""

import mimetypes
from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.forms import UserSettingsForm
from accounts.health import deep_check_allowed, deep_report_cached, liveness_report
from accounts.models import User
from accounts.registry import dashboard_panels
from accounts.services import user_update
from accounts.storage import private_file_name_from_token


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/home.html")


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    panels = [{"panel": panel, "context": panel.context(request)} for panel in dashboard_panels.for_user(request.user)]
    return render(request, "accounts/dashboard.html", {"panels": panels})


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request: HttpRequest) -> HttpResponse:
    # A fresh copy: a rejected form must not leave bad values on request.user.
    instance = User.objects.get(pk=request.user.pk)
    form = UserSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            user_update(user=request.user, data={name: form.cleaned_data[name] for name in form.Meta.fields})
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your settings are saved."))
            return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form})


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness for everybody (the database answers); the deep check of every service for
    staff and holders of ``HEALTH_CHECK_TOKEN``. 503 when a checked service is down."""
    if deep_check_allowed(request):
        healthy, body = deep_report_cached()
        body = {"check": "deep", **body}
    else:
        healthy, services = liveness_report()
        body = {"check": "liveness", "services": services}
    return JsonResponse({"status": "ok" if healthy else "unavailable", **body}, status=200 if healthy else 503)


@never_cache
@require_GET
def private_file(request: HttpRequest, token: str) -> FileResponse:
    """Serve a private local file named by a signed, unexpired token (embedded default;
    on S3 the storage's presigned URLs do this job)."""
    try:
        name = private_file_name_from_token(token)
    except signing.SignatureExpired:
        raise Http404(_("This download link has expired.")) from None
    except signing.BadSignature:
        raise Http404(_("This download link is not valid.")) from None
    storage = storages["private"]
    if not storage.exists(name):
        raise Http404(_("This file no longer exists."))
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(storage.open(name), content_type=content_type, filename=PurePosixPath(name).name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
