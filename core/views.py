"""Views of the kernel: the health check, downloads of private local files and the privacy page."""

import mimetypes
from pathlib import PurePosixPath

from django.core import signing
from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import deep_check_allowed, deep_report_cached, liveness_report
from .llm import llm_configured, llm_provider_name
from .storage import private_file_name_from_token


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


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    """What leaves the site and for whom — the language-model provider named from the
    settings (or that there is none) — and where people export or delete their data."""
    return render(
        request, "core/privacy.html", {"llm_configured": llm_configured(), "llm_provider": llm_provider_name()}
    )
