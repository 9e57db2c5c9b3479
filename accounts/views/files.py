"""Pages of stored files ("My files": upload, list, edit, download, delete) and of the
avatar (upload and remove, from the settings page). Thin: forms in, services out."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.forms import AvatarForm, FileEditForm, FileUploadForm
from accounts.selectors.files import file_download_url, file_get_for_user, file_list_for_user
from accounts.services.avatars import avatar_remove, avatar_set
from accounts.services.files import file_delete, file_update, file_upload
from core.forms import form_errors_from
from core.http import AuthenticatedHttpRequest

FILES_PER_PAGE = 20
FILTER_PARAMS = ("name", "tag", "is_public")


def _in_user_timezone(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Read and show dates and times in the signed-in user's own time zone."""

    @wraps(view)
    def wrapper(request: AuthenticatedHttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        with timezone.override(request.user.timezone):
            return view(request, *args, **kwargs)

    return wrapper


@login_required
@require_http_methods(["GET", "POST"])
@_in_user_timezone
def file_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's files (filtered, paginated) and the upload form. A refused upload
    shows the form again with the reason and answers 400."""
    form = FileUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                stored = file_upload(user=request.user, uploaded_file=form.cleaned_data["file"], **form.settings())
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("“%(name)s” is uploaded.") % {"name": stored.original_name})
                return redirect("accounts:files")
        status = 400
    filters = {name: request.GET[name] for name in FILTER_PARAMS if request.GET.get(name)}
    page = Paginator(file_list_for_user(user=request.user, filters=filters), FILES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/files/list.html",
        {"form": form, "page_obj": page, "filters": filters, "query": query.urlencode()},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
@_in_user_timezone
def file_detail(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """One file: its details, a download link, and a form for tags, visibility and expiry."""
    stored = file_get_for_user(user=request.user, pk=pk)
    form = FileEditForm(request.POST or None, initial=FileEditForm.initial_from(stored))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                stored = file_update(file=stored, data=form.changes())
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("“%(name)s” is saved.") % {"name": stored.original_name})
                return redirect("accounts:file-detail", pk=stored.pk)
        status = 400
    public_url = request.build_absolute_uri(file_download_url(file=stored)) if stored.is_public else None
    return render(
        request, "accounts/files/detail.html", {"file": stored, "form": form, "public_url": public_url}, status=status
    )


@never_cache
@login_required
@require_GET
def file_download(request: AuthenticatedHttpRequest, pk: str) -> HttpResponseRedirect:
    """Redirect to a freshly signed URL (private) or the plain URL (public), so a link on
    a page never goes stale."""
    return redirect(file_download_url(file=file_get_for_user(user=request.user, pk=pk)))


@login_required
@require_http_methods(["GET", "POST"])
@_in_user_timezone
def file_delete_view(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """Ask for confirmation (GET), then delete the file and its stored object (POST)."""
    stored = file_get_for_user(user=request.user, pk=pk)
    if request.method == "POST":
        file_delete(file=stored)
        messages.success(request, _("“%(name)s” is deleted.") % {"name": stored.original_name})
        return redirect("accounts:files")
    return render(request, "accounts/files/delete.html", {"file": stored})


@login_required
@require_http_methods(["GET", "POST"])
def avatar_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload a new avatar (the form also sits on the settings page). A refused image
    shows the form again with the reason and answers 400."""
    form = AvatarForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                avatar_set(user=request.user, uploaded_file=form.cleaned_data["avatar"])
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("Your photo is updated."))
                return redirect("accounts:settings")
        return render(request, "accounts/avatar/edit.html", {"avatar_form": form}, status=400)
    return render(request, "accounts/avatar/edit.html", {"avatar_form": form})


@login_required
@require_POST
def avatar_delete(request: AuthenticatedHttpRequest) -> HttpResponseRedirect:
    """Remove the avatar; its stored object is deleted."""
    avatar_remove(user=request.user)
    messages.success(request, _("Your photo is removed."))
    return redirect("accounts:settings")
