"""Receipt PDF downloads from the payment history: the buyer only, through a freshly signed
short-lived URL (anyone else gets a 404; staff use admin)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.http import AuthenticatedHttpRequest
from learning.selectors.receipts import receipt_get_for_user, receipt_pdf_url


@never_cache
@login_required
@require_GET
def receipt_download(request: AuthenticatedHttpRequest, pk: str) -> HttpResponseRedirect:
    """Redirect to a freshly signed URL of the user's own receipt PDF; while the PDF is being
    prepared, back to the payment history with a note."""
    receipt = receipt_get_for_user(user=request.user, pk=pk)
    url = receipt_pdf_url(receipt=receipt)
    if url is None:
        messages.info(
            request,
            _("The PDF of receipt %(number)s is being prepared. Try again in a minute.") % {"number": receipt.number},
        )
        return redirect("learning:payment-list")
    return redirect(url)
