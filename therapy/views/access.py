""" "Who viewed my records": the client's access log page."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.http import AuthenticatedHttpRequest
from therapy.selectors.access import access_log_describe, access_log_list_for_client

VIEWS_PER_PAGE = 30


@login_required
@require_GET
def access_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every time a therapist (or an administrator) opened one of the user's journal
    entries, session notes or messages: who, what, when; newest first, pages of 30.
    Constant queries."""
    page = Paginator(access_log_list_for_client(client=request.user), VIEWS_PER_PAGE).get_page(request.GET.get("page"))
    views = access_log_describe(entries=list(page.object_list))
    return render(request, "therapy/access/list.html", {"page_obj": page, "views": views})
