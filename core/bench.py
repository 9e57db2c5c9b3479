"""The HTML floor of the benchmarks (``make bench``): the cheapest signed-in page of a given
size. Mounted only when ``ASCEND_BENCH`` is set, never in a real deployment (see
``config/urls.py``); its API twin is :mod:`core.api.bench`."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

MAX_BYTES = 5_000_000
# What the template adds around the padding (core/bench_floor.html), in bytes.
TEMPLATE_BYTES = 165


@login_required
@require_GET
def bench_floor_page(request: HttpRequest) -> HttpResponse:
    """``GET ?bytes=N``: a static template of about N bytes behind the same middleware,
    session, sign-in check and CSP as every page — what a page costs before its own work.
    Not translated: nobody but the benchmark reads it."""
    try:
        size = min(max(int(request.GET.get("bytes", "1000")), 0), MAX_BYTES)
    except ValueError:
        size = 1000
    return render(request, "core/bench_floor.html", {"padding": "x" * max(0, size - TEMPLATE_BYTES)})
