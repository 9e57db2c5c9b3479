"""Relationships from both sides: the client's "My therapists" and the therapist's
"My clients", with request, accept, end and block. Another user's relationship is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import ApplicationError, error_text
from core.http import AuthenticatedHttpRequest
from therapy.models import TherapyRelationship
from therapy.selectors.profiles import therapist_get_verified, therapist_profile_for_user
from therapy.selectors.relationships import relationship_get_for_user, relationship_list_for_user
from therapy.services.relationships import (
    relationship_accept,
    relationship_block,
    relationship_end,
    relationship_request,
)

Status = TherapyRelationship.Status


@login_required
@require_http_methods(["GET"])
def therapy_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Therapists land on their clients, everyone else on their therapists."""
    profile = therapist_profile_for_user(user=request.user)
    if profile is not None and profile.is_verified:
        return redirect("therapy:client-list")
    return redirect("therapy:my-therapists")


@login_required
@require_http_methods(["GET"])
def my_therapists(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The client's relationships: current (active and pending) and past. One query."""
    relationships = list(relationship_list_for_user(user=request.user, role="client"))
    return render(
        request,
        "therapy/relationships/my_therapists.html",
        {
            "current": [r for r in relationships if r.status in (Status.ACTIVE, Status.PENDING)],
            "past": [r for r in relationships if r.status in (Status.ENDED, Status.BLOCKED)],
        },
    )


@login_required
@require_http_methods(["GET"])
def client_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The therapist's requests to answer, active clients, and ended or blocked ones. Two
    queries whatever the rows."""
    profile = therapist_profile_for_user(user=request.user)
    relationships = list(relationship_list_for_user(user=request.user, role="therapist"))
    return render(
        request,
        "therapy/relationships/clients.html",
        {
            "profile": profile,
            "pending": [r for r in relationships if r.status == Status.PENDING],
            "active": [r for r in relationships if r.status == Status.ACTIVE],
            "closed": [r for r in relationships if r.status in (Status.ENDED, Status.BLOCKED)],
        },
    )


@login_required
@require_POST
def relationship_request_view(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """Ask the directory's therapist ``pk`` to work with you; a refusal (blocked, already
    asked, not accepting) is shown and nothing is stored."""
    profile = therapist_get_verified(therapist_profile_id=pk)
    if profile is None:
        raise Http404(_("There is no such therapist."))
    try:
        relationship_request(client=request.user, therapist_profile=profile)
    except (ApplicationError, ValidationError) as exc:
        messages.error(request, error_text(exc))
        return redirect("therapy:therapist-list")
    messages.success(
        request,
        _("Your request is sent to %(name)s. You will be notified when they answer.")
        % {"name": profile.user.display_name},
    )
    return redirect("therapy:my-therapists")


ACTIONS = {
    "accept": (relationship_accept, gettext_lazy("The client is accepted; you can now exchange messages.")),
    "end": (relationship_end, gettext_lazy("The relationship is ended.")),
    "block": (relationship_block, gettext_lazy("The client is blocked: they can no longer message you or ask again.")),
}


@login_required
@require_POST
def relationship_action(request: AuthenticatedHttpRequest, pk: str, action: str) -> HttpResponse:
    """Accept, end or block one of your relationships (anyone else's: 404); a refused change
    is shown with its reason. Back to the side of the page it came from."""
    if action not in ACTIONS:
        raise Http404
    relationship = relationship_get_for_user(user=request.user, relationship_id=pk)
    if relationship is None:
        raise Http404(_("There is no such relationship among yours."))
    service, done = ACTIONS[action]
    try:
        service(relationship=relationship, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, str(done))
    return redirect("therapy:client-list" if relationship.therapist_id == request.user.pk else "therapy:my-therapists")
