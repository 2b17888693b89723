"""The one NinjaAPI: routers from the apps, and domain errors mapped to stable codes."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import Throttled

from caravan.accounts.throttling import Throttled as DoorThrottled
from caravan.kernel.errors import DomainError, NotFound, PermissionDenied

from . import catalog, orders, suggest, threads
from .throttles import DoorThrottle

api = NinjaAPI(
    title="Caravan API",
    version="1",
    description=(
        "Read the shared catalog (categories, products and every seller's offer) and, "
        "signed in, your orders. Money is a decimal string with an ISO 4217 currency."
    ),
    urls_namespace="api",
    throttle=[DoorThrottle()],
)
api.add_router("/", catalog.router)
api.add_router("/", orders.router)
api.add_router("/", suggest.router)
api.add_router("/", threads.router)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    status = (
        404 if isinstance(error, NotFound) else 403 if isinstance(error, PermissionDenied) else 400
    )
    return api.create_response(
        request, {"code": error.code, "message": error.message}, status=status
    )


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, error: Throttled) -> HttpResponse:
    """429 with a stable code and when to come back (ninja adds Retry-After)."""
    refusal = DoorThrottled(retry_after=int(error.wait or 60))
    return api.create_response(
        request, {"code": refusal.code, "message": refusal.message}, status=429
    )
