"""Relationships from both sides: the client's "My therapists" and the therapist's
"My clients" (clients who may need attention first), with request, accept, end, block and
unblock — the last three after a confirmation page — and the client's request for an urgent
session. Another user's relationship is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import ApplicationError, error_text
from core.forms import form_errors_from
from core.http import AuthenticatedHttpRequest
from core.support import support_resources
from therapy.forms import UrgentSessionForm
from therapy.models import TherapyRelationship
from therapy.selectors.profiles import therapist_get_verified, therapist_profile_for_user
from therapy.selectors.relationships import relationship_get_for_user, relationship_list_for_user
from therapy.services.messages import urgent_session_request
from therapy.services.relationships import (
    relationship_accept,
    relationship_block,
    relationship_end,
    relationship_request,
    relationship_unblock,
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
    """The therapist's requests to answer, active clients (those who may need attention
    first, flagged), and ended or blocked ones. Two queries whatever the rows."""
    profile = therapist_profile_for_user(user=request.user)
    relationships = list(relationship_list_for_user(user=request.user, role="therapist"))
    active = [r for r in relationships if r.status == Status.ACTIVE]
    return render(
        request,
        "therapy/relationships/clients.html",
        {
            "profile": profile,
            "pending": [r for r in relationships if r.status == Status.PENDING],
            # Clients who asked for an urgent session or shared an entry that may need
            # attention come first.
            "active": sorted(active, key=lambda r: r.urgent_requested_at is None and r.distress_shared_at is None),
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
    "unblock": (
        relationship_unblock,
        gettext_lazy("The client is unblocked: the relationship stays ended, and they may ask you again."),
    ),
}
# Actions that take something away ask first, on a page of their own that says what follows
# (it works without script); their form posts ``confirm=yes``.
CONFIRMED_ACTIONS = frozenset({"end", "block", "unblock"})


def _back(request: AuthenticatedHttpRequest, relationship: TherapyRelationship) -> HttpResponse:
    return redirect("therapy:client-list" if relationship.therapist_id == request.user.pk else "therapy:my-therapists")


@login_required
@require_http_methods(["GET", "POST"])
def relationship_action(request: AuthenticatedHttpRequest, pk: str, action: str) -> HttpResponse:
    """Accept, end, block or unblock one of your relationships (anyone else's: 404). Ending,
    blocking and unblocking are never one tap: a GET (or a POST without ``confirm=yes``)
    shows what follows and asks to confirm. A refused change is shown with its reason; back
    to the side of the page it came from."""
    if action not in ACTIONS:
        raise Http404
    relationship = relationship_get_for_user(user=request.user, relationship_id=pk)
    if relationship is None:
        raise Http404(_("There is no such relationship among yours."))
    if action in CONFIRMED_ACTIONS and (request.method == "GET" or request.POST.get("confirm") != "yes"):
        is_therapist = relationship.therapist_id == request.user.pk
        context = {
            "relationship": relationship,
            "action": action,
            "is_therapist": is_therapist,
            "other": relationship.client if is_therapist else relationship.therapist,
        }
        return render(request, "therapy/relationships/confirm.html", context)
    if request.method == "GET":
        return _back(request, relationship)
    service, done = ACTIONS[action]
    try:
        service(relationship=relationship, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, str(done))
    return _back(request, relationship)


@login_required
@require_http_methods(["GET", "POST"])
def urgent_session_request_view(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """The client asks their therapist for an urgent session: a page that says what happens
    (the therapist is told at once and answers in the conversation; in danger, call the
    emergency number) with an optional note, then the request. A refusal (not active,
    already asked) is shown and nothing is stored. Anyone else's relationship: 404."""
    relationship = relationship_get_for_user(user=request.user, relationship_id=pk)
    if relationship is None or relationship.client_id != request.user.pk:
        raise Http404(_("There is no such relationship among yours."))
    form = UrgentSessionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                urgent_session_request(relationship=relationship, client=request.user, note=form.cleaned_data["note"])
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s is told at once. They will answer here, in your conversation.")
                    % {"name": relationship.therapist.display_name},
                )
                return redirect("therapy:conversation", pk=relationship.pk)
        status = 400
    context = {
        "relationship": relationship,
        "form": form,
        "support": support_resources(user=request.user, with_contacts=False),
    }
    return render(request, "therapy/relationships/urgent.html", context, status=status)
