"""Provider-facing HTTP: the notification endpoint and the sandbox's hosted page."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from .gateways.base import NotificationRejected, ProviderError
from .models import SandboxSession
from .sandbox import resolve_session
from .services import handle_notification

logger = logging.getLogger(__name__)


def sender_address(request: HttpRequest) -> str:
    """The notification's sender. Behind N trusted proxies it is the N-th address from the
    right of X-Forwarded-For: the leftmost entries are whatever the sender claimed."""
    proxies = settings.PAYMENT_TRUSTED_PROXIES
    if proxies <= 0:
        return str(request.META.get("REMOTE_ADDR", ""))
    chain = [item.strip() for item in request.headers.get("X-Forwarded-For", "").split(",")]
    chain = [item for item in chain if item]
    return chain[-proxies] if len(chain) >= proxies else ""


@csrf_exempt
@require_POST
def webhook(request: HttpRequest) -> HttpResponse:
    """Never raises past here: a notification we must not act on is a 400 and a log line; a
    provider we cannot reach while verifying is a 503, so the provider sends it again."""
    try:
        applied = handle_notification(
            body=request.body,
            headers=dict(request.headers),
            remote_addr=sender_address(request),
        )
    except NotificationRejected as error:
        logger.warning("payment notification rejected: %s", error.message)
        return JsonResponse({"code": error.code, "message": error.message}, status=400)
    except ProviderError as error:
        logger.warning("payment notification not verified: %s", error.message)
        return JsonResponse({"code": error.code, "message": error.message}, status=503)
    except Exception:
        # A bug must not make the provider retry for ever against a 500: it is logged with
        # its traceback and the event can be replayed from the provider's dashboard.
        logger.exception("payment notification failed")
        return JsonResponse({"code": "internal_error", "message": "not applied"}, status=400)
    return JsonResponse({"received": True, "duplicate": not applied})


@require_http_methods(["GET", "POST"])
def sandbox_pay(request: HttpRequest, reference: str) -> HttpResponse:
    if settings.PAYMENT_PROVIDER != "sandbox":
        raise Http404
    session = get_object_or_404(SandboxSession, reference=reference)
    if request.method == "POST":
        decision = request.POST.get("decision")
        if decision in {"approve", "decline"}:
            resolve_session(reference=reference, approved=decision == "approve")
            return redirect(session.return_url)
    return render(request, "payments/sandbox_pay.html", {"session": session})
