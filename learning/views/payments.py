"""Payment pages: buy a paid course (off to Stripe Checkout), the pages Stripe sends the
buyer back to (success, cancel), the payment history of every kind, and Stripe's webhook
endpoint.

The success page never grants anything: only the verified webhook changes a payment."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from core.errors import ApplicationError, error_text
from core.http import AuthenticatedHttpRequest
from learning.models import Course
from learning.selectors.catalog import course_get_for_learner
from learning.selectors.payments import payment_get_by_checkout_session_for_user, payment_list_for_user
from learning.services.payments import checkout_start, webhook_event_apply

PAYMENTS_PER_PAGE = 20


def checkout_return_urls(request: HttpRequest, course: Course) -> tuple[str, str]:
    """The absolute success and cancel URLs Stripe sends the learner back to (the success
    one carries Stripe's ``{CHECKOUT_SESSION_ID}`` placeholder)."""
    success = request.build_absolute_uri(reverse("learning:payment-success")) + "?session_id={CHECKOUT_SESSION_ID}"
    cancel = request.build_absolute_uri(reverse("learning:payment-cancel")) + "?" + urlencode({"course": course.slug})
    return success, cancel


@login_required
@require_POST
def course_buy(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Buy a paid course: off to Stripe Checkout. A refusal (payments not configured, free
    course, already enrolled) goes back to the course page with the reason."""
    course = course_get_for_learner(user=request.user, slug=slug)
    if course is None:
        raise Http404(_("There is no such course."))
    success_url, cancel_url = checkout_return_urls(request, course)
    try:
        started = checkout_start(user=request.user, course=course, success_url=success_url, cancel_url=cancel_url)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("learning:course-detail", slug=course.slug)
    return redirect(started.checkout_url)


@login_required
@require_GET
def payment_success(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Where Stripe sends the learner after paying: the payment's status as we know it
    (the enrolment follows Stripe's confirmation, which may arrive a moment later)."""
    payment = payment_get_by_checkout_session_for_user(user=request.user, session_id=request.GET.get("session_id", ""))
    return render(request, "learning/payments/success.html", {"payment": payment})


@login_required
@require_GET
def payment_cancel(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Where Stripe sends the learner who turned back: nothing was charged."""
    course = course_get_for_learner(user=request.user, slug=request.GET.get("course", ""))
    return render(request, "learning/payments/cancel.html", {"course": course})


@login_required
@require_GET
def payment_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The signed-in buyer's payments of every kind, newest first: what was bought (linked to
    its page), the price breakdown, amount and refunds, status, date and receipts."""
    page = Paginator(payment_list_for_user(user=request.user), PAYMENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "learning/payments/list.html", {"page_obj": page, "payments": page.object_list})


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """Stripe's webhook: 200 once the event is applied (or was already), 400 when the
    signature does not verify (nothing changes). No sign-in: the signature is the proof."""
    try:
        signature = request.headers.get("Stripe-Signature", "")
        applied = webhook_event_apply(payload=request.body, signature_header=signature)
    except ValidationError as exc:
        return JsonResponse({"detail": error_text(exc)}, status=400)
    return JsonResponse({"received": True, "applied": applied})
