"""Provider-facing HTTP: the webhook endpoint and the sandbox's hosted page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from .models import SandboxSession
from .provider import SIGNATURE_HEADER, WebhookRejected
from .sandbox import resolve_session
from .services import handle_webhook


@csrf_exempt
@require_POST
def webhook(request: HttpRequest) -> HttpResponse:
    signature = request.headers.get(SIGNATURE_HEADER, "")
    try:
        applied = handle_webhook(body=request.body, signature=signature)
    except WebhookRejected as error:
        return JsonResponse({"code": error.code, "message": error.message}, status=400)
    return JsonResponse({"received": True, "duplicate": not applied})


@require_http_methods(["GET", "POST"])
def sandbox_pay(request: HttpRequest, reference: str) -> HttpResponse:
    session = get_object_or_404(SandboxSession, reference=reference)
    if request.method == "POST":
        decision = request.POST.get("decision")
        if decision in {"approve", "decline"}:
            resolve_session(reference=reference, approved=decision == "approve")
            return redirect(session.return_url)
    return render(request, "payments/sandbox_pay.html", {"session": session})
