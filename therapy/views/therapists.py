"""The therapist directory (clients choose whom to ask) and the therapist application."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.forms import form_errors_from
from core.http import AuthenticatedHttpRequest
from therapy.forms import TherapistApplicationForm
from therapy.selectors.profiles import (
    TherapistFilter,
    relationship_statuses_for_client,
    therapist_list_verified,
    therapist_profile_for_user,
)
from therapy.services.profiles import therapist_profile_save

THERAPISTS_PER_PAGE = 12


@login_required
@require_http_methods(["GET"])
def therapist_directory(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Verified therapists filtered by specialization, text, language; each with the
    signed-in user's relationship status (the request button). Invalid filters are shown as
    errors and ignored. Constant queries whatever the rows."""
    filterset = TherapistFilter(request.GET or None, queryset=therapist_list_verified())
    valid = filterset.is_valid() if request.GET else True
    queryset = filterset.qs if request.GET and valid else therapist_list_verified()
    page = Paginator(queryset, THERAPISTS_PER_PAGE).get_page(request.GET.get("page"))
    statuses = relationship_statuses_for_client(client=request.user)
    therapists = list(page.object_list)
    for profile in therapists:
        profile.my_status = statuses.get(profile.user_id)
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {
        "filter_form": filterset.form,
        "page_obj": page,
        "therapists": therapists,
        "query": query.urlencode(),
    }
    return render(request, "therapy/therapists/directory.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def therapist_apply(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Apply to work as a therapist (or edit the profile): shows the verification status and,
    once rejected, the reason. Invalid input shows the form again (400), nothing stored."""
    profile = therapist_profile_for_user(user=request.user)
    if request.method == "POST":
        form = TherapistApplicationForm(request.POST)
        if form.is_valid():
            try:
                therapist_profile_save(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(
                    request, _("Your profile is saved.") if profile is not None else _("Your application is sent.")
                )
                return redirect("therapy:apply")
        status = 400
    else:
        initial = (
            {
                "specialization": profile.specialization,
                "credentials": profile.credentials,
                "bio": profile.bio,
                "languages": ", ".join(profile.languages),
                "accepting_clients": profile.accepting_clients,
            }
            if profile is not None
            else None
        )
        form = TherapistApplicationForm(initial=initial)
        status = 200
    return render(request, "therapy/therapists/apply.html", {"form": form, "profile": profile}, status=status)
