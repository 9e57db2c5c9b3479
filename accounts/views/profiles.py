"""Profile pages: list, create, edit (with the custom-fields editor), make default, delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import BaseCustomFieldFormSet, CustomFieldFormSet, ProfileForm
from accounts.models import Profile
from accounts.selectors.profiles import profile_get_for_user, profile_list_for_user
from accounts.services.profiles import profile_create, profile_delete, profile_make_default, profile_update
from core.errors import ApplicationError
from core.forms import form_errors_from
from core.http import AuthenticatedHttpRequest


def _save(
    request: AuthenticatedHttpRequest, form: ProfileForm, fields: BaseCustomFieldFormSet, profile: Profile | None
) -> bool:
    """Validate both forms and save through the services; errors land on the forms."""
    if not (form.is_valid() and fields.is_valid()):
        return False
    data = {
        "name": form.cleaned_data["name"],
        "type": form.cleaned_data["type"],
        "custom_fields": fields.custom_fields(),
    }
    try:
        if profile is None:
            profile_create(user=request.user, **data)
        else:
            profile_update(profile=profile, data=data)
    except ValidationError as exc:
        form_errors_from(form, exc)
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def profile_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's profiles and a form to add one."""
    form = ProfileForm(request.POST or None, prefix="new")
    fields = CustomFieldFormSet(request.POST or None, prefix="new-fields")
    if request.method == "POST" and _save(request, form, fields, None):
        messages.success(request, _("Profile created."))
        return redirect("accounts:profiles")
    return render(
        request,
        "accounts/profiles/list.html",
        {
            "profiles": profile_list_for_user(user=request.user),
            "form": form,
            "fields": fields,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    profile = profile_get_for_user(user=request.user, pk=pk)
    form = ProfileForm(request.POST or None, instance=Profile(name=profile.name, type=profile.type))
    fields = CustomFieldFormSet(
        request.POST or None, initial=CustomFieldFormSet.initial_from(profile.custom_fields), prefix="fields"
    )
    if request.method == "POST" and _save(request, form, fields, profile):
        messages.success(request, _("Profile saved."))
        return redirect("accounts:profile-edit", pk=profile.pk)
    return render(request, "accounts/profiles/edit.html", {"profile": profile, "form": form, "fields": fields})


@login_required
@require_POST
def profile_default(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    profile = profile_make_default(profile=profile_get_for_user(user=request.user, pk=pk))
    messages.success(request, _("“%(name)s” is now your default profile.") % {"name": profile.name})
    return redirect("accounts:profiles")


@login_required
@require_POST
def profile_remove(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    profile = profile_get_for_user(user=request.user, pk=pk)
    try:
        profile_delete(profile=profile)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Profile “%(name)s” deleted.") % {"name": profile.name})
    return redirect("accounts:profiles")
