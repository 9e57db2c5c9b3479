"""Certificate pages: "My certificates" with signed PDF downloads (signed-in holders), and
the public verification (anyone): the number alone shows the state; with the certificate's
verification code, also the holder, course and dates; rate-limited per client address.
Thin: selectors in, templates out."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.http import AuthenticatedHttpRequest
from learning.forms import CertificateVerifyForm
from learning.models import Certificate
from learning.selectors.certificates import (
    CertificateFilter,
    certificate_get_for_user,
    certificate_list_for_user,
    certificate_number_clean,
    certificate_number_is_well_formed,
    certificate_pdf_url,
    certificate_verification,
)
from learning.services.certificates import certificate_number_format
from learning.throttling import certificate_verify_allowed

CERTIFICATES_PER_PAGE = 20
STATE_TABS = (("", gettext_lazy("All")), *Certificate.State.choices)


def _number_example() -> str:
    return certificate_number_format(year=timezone.now().year, sequence=42)


@login_required
@require_GET
def certificate_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The signed-in user's certificates, newest first, filterable by state: number,
    course, date of issue, state and a download link (or "being prepared")."""
    filterset = CertificateFilter(request.GET or None, queryset=certificate_list_for_user(user=request.user))
    certificates = filterset.qs if filterset.is_valid() else filterset.queryset
    page = Paginator(certificates, CERTIFICATES_PER_PAGE).get_page(request.GET.get("page"))
    state = request.GET.get("state", "") if filterset.is_valid() else ""
    return render(
        request,
        "learning/certificates/list.html",
        {
            "page_obj": page,
            "certificates": page.object_list,
            "state": state,
            "state_tabs": [(value, str(label)) for value, label in STATE_TABS],
            "filter_query": f"state={state}" if state else "",
        },
    )


@never_cache
@login_required
@require_GET
def certificate_download(request: AuthenticatedHttpRequest, pk: str) -> HttpResponseRedirect:
    """Redirect to a freshly signed URL of the user's own certificate PDF (another user's
    certificate is a 404); while the PDF is being prepared, back to the list with a note."""
    certificate = certificate_get_for_user(user=request.user, pk=pk)
    url = certificate_pdf_url(certificate=certificate)
    if url is None:
        messages.info(
            request,
            _("The PDF of certificate %(number)s is being prepared. Try again in a minute.")
            % {"number": certificate.number},
        )
        return redirect("learning:certificate-list")
    return redirect(url)


@require_GET
def certificate_verify(request: HttpRequest) -> HttpResponse:
    """Public: the form to check a certificate number (and, optionally, its verification
    code); a submitted number goes to its verification page, with the code when given. A
    blank or malformed number shows the form again (400)."""
    example = _number_example()
    form = CertificateVerifyForm(request.GET or None, example=example)
    if request.GET:
        if form.is_valid():
            number = certificate_number_clean(form.cleaned_data["number"])
            if certificate_number_is_well_formed(number):
                response = redirect("certificate-verify-detail", number=number)
                if form.cleaned_data["code"]:
                    response["Location"] += "?" + urlencode({"code": form.cleaned_data["code"]})
                return response
            form.add_error(
                "number",
                _("A certificate number has only letters, digits and dashes, e.g. %(example)s.") % {"example": example},
            )
        return render(request, "learning/certificates/verify.html", {"form": form, "example": example}, status=400)
    return render(request, "learning/certificates/verify.html", {"form": form, "example": example})


@never_cache
@require_GET
def certificate_verify_detail(request: HttpRequest, number: str) -> HttpResponse:
    """Public: what a certificate number stands for — valid, revoked or expired. With the
    certificate's verification code (``?code=``, as in the URL printed on it and its QR
    code) also the holder, course and date of issue, and the date it was revoked (the
    reason only to staff) or expired. An unknown number, or a wrong code, answers 404 with
    the same page saying it was not found. Too many look-ups from one address: 429 with
    ``Retry-After`` and a message, nothing looked up."""
    example = _number_example()
    form = CertificateVerifyForm(initial={"number": number}, example=example)
    allowed, wait = certificate_verify_allowed(request)
    if not allowed:
        response = render(
            request,
            "learning/certificates/verify.html",
            {"form": form, "example": example, "retry_after": wait},
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response
    verification = certificate_verification(number=number, code=request.GET.get("code"))
    context = {
        "form": form,
        "example": example,
        "number": number,
        "certificate": verification.certificate if verification else None,
        "with_details": bool(verification and verification.with_details),
        "show_reason": bool(request.user.is_authenticated and request.user.is_staff),
    }
    return render(request, "learning/certificates/verify.html", context, status=200 if verification else 404)
