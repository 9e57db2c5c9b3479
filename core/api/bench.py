"""The floor of the benchmarks (``make bench``): the cheapest authenticated DRF answer of a
given size. Mounted only when ``ASCEND_BENCH`` is set, never in a real deployment."""

from functools import lru_cache

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

MAX_BYTES = 5_000_000


@lru_cache(maxsize=64)
def _payload(size: int) -> dict:
    """A JSON object that renders to about ``size`` bytes (a paginated list's shape)."""
    overhead = len('{"count":0,"next":null,"previous":null,"results":[],"padding":""}')
    return {"count": 0, "next": None, "previous": None, "results": [], "padding": "x" * max(0, size - overhead)}


@extend_schema(exclude=True)
class BenchFloorApi(APIView):
    """``GET ?bytes=N``: a static payload of N bytes behind the same middleware,
    authentication, permissions and renderer as every endpoint — what an endpoint costs
    before it does any work of its own."""

    def get(self, request: Request) -> Response:
        try:
            size = min(max(int(request.query_params.get("bytes", "1000")), 0), MAX_BYTES)
        except ValueError:
            size = 1000
        return Response(_payload(size))
