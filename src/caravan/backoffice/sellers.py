"""Operator pages for sellers: the queue of applications, one seller's full record with its
documents and history, the decisions (review, approve, reject, suspend, reinstate, close)
and bulk moderation. Documents are streamed from private storage to operators only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from caravan.accounts.models import User
from caravan.kernel.errors import DomainError, NotFound
from caravan.sellers.models import Seller
from caravan.sellers.selectors import (
    get_payout_details,
    get_seller,
    get_seller_document,
    list_application_queue,
    list_documents,
    list_members,
    list_seller_events,
    list_sellers,
    list_sellers_by_public_ids,
)
from caravan.sellers.services.lifecycle import (
    MAX_REASON_LENGTH,
    approve_seller,
    bulk_moderate,
    close_seller,
    reinstate_seller,
    reject_seller,
    start_review,
    suspend_seller,
)

from .access import operator_required

PER_PAGE = 25
MAX_BULK = 100
S = Seller.Status


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason the seller will read"),
        max_length=MAX_REASON_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _operator(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@require_GET
@operator_required
def seller_queue(request: HttpRequest) -> HttpResponse:
    """Applications waiting for a decision; with ?status= or ?q=, any sellers."""
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()[:100]
    if status not in S.values:
        status = ""
    browsing = bool(status or query)
    sellers = list_sellers(status=status, query=query) if browsing else list_application_queue()
    page = Paginator(sellers, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "backoffice/sellers/queue.html",
        {
            "page": page,
            "status": status,
            "query": query,
            "browsing": browsing,
            "statuses": S.choices,
        },
    )


@require_POST
@operator_required
def seller_bulk(request: HttpRequest) -> HttpResponse:
    public_ids = request.POST.getlist("seller")[:MAX_BULK]
    action = request.POST.get("action", "")
    sellers = list_sellers_by_public_ids(public_ids=public_ids)
    try:
        moved = bulk_moderate(
            sellers=sellers, actor=_operator(request), action=action, site_url=_site_url(request)
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(count)d applications: %(status)s.")
            % {"count": len(moved), "status": S(moved[-1].status).label},
        )
    return redirect("backoffice:seller_queue")


@require_GET
@operator_required
def seller_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        seller = get_seller(public_id=public_id)
    except NotFound as error:
        raise Http404(error.message) from error
    return render(request, "backoffice/sellers/detail.html", _detail_context(seller, ReasonForm()))


def _detail_context(seller: Seller, form: ReasonForm) -> dict[str, Any]:
    return {
        "seller": seller,
        "payout": get_payout_details(seller=seller),
        "documents": list_documents(seller=seller),
        "members": list_members(seller=seller),
        "events": list_seller_events(seller=seller),
        "form": form,
        "can_review": seller.status == S.SUBMITTED,
        "can_decide": seller.status in (S.SUBMITTED, S.UNDER_REVIEW),
        "can_suspend": seller.status == S.ACTIVE,
        "can_reinstate": seller.status == S.SUSPENDED,
        "can_close": seller.status != S.CLOSED,
    }


ACTIONS = {
    "review": lambda seller, actor, reason, site: start_review(
        seller=seller, actor=actor, site_url=site
    ),
    "approve": lambda seller, actor, reason, site: approve_seller(
        seller=seller, actor=actor, site_url=site
    ),
    "reject": lambda seller, actor, reason, site: reject_seller(
        seller=seller, actor=actor, reason=reason, site_url=site
    ),
    "suspend": lambda seller, actor, reason, site: suspend_seller(
        seller=seller, actor=actor, reason=reason, site_url=site
    ),
    "reinstate": lambda seller, actor, reason, site: reinstate_seller(
        seller=seller, actor=actor, reason=reason, site_url=site
    ),
    "close": lambda seller, actor, reason, site: close_seller(
        seller=seller, actor=actor, reason=reason, site_url=site
    ),
}


@require_POST
@operator_required
def seller_action(request: HttpRequest, public_id: str, action: str) -> HttpResponse:
    try:
        seller = get_seller(public_id=public_id)
    except NotFound as error:
        raise Http404(error.message) from error
    if action not in ACTIONS:
        raise Http404("unknown action")
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            moved = ACTIONS[action](
                seller, _operator(request), form.cleaned_data["reason"], _site_url(request)
            )
        except DomainError as error:
            form.add_error("reason" if error.code.startswith("reason") else None, error.message)
        else:
            messages.success(
                request,
                _("%(name)s is now %(status)s.")
                % {"name": moved, "status": moved.get_status_display()},
            )
            return redirect("backoffice:seller_detail", public_id=seller.public_id)
    seller.refresh_from_db()
    return render(
        request, "backoffice/sellers/detail.html", _detail_context(seller, form), status=400
    )


@require_GET
@operator_required  # type: ignore[arg-type]  # a streamed file, not an HttpResponse
def seller_document(request: HttpRequest, public_id: str, document_id: str) -> FileResponse:
    """The file itself, for operators only; it has no URL anywhere else."""
    try:
        seller = get_seller(public_id=public_id)
        document = get_seller_document(seller=seller, public_id=document_id)
    except NotFound as error:
        raise Http404(error.message) from error
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("The file is missing from storage.")) from error
    response = FileResponse(
        handle,
        content_type=document.content_type,
        as_attachment=request.GET.get("download") == "1",
        filename=document.original_name,
    )
    # A PDF or picture opened in the browser must not run anything on the back office origin.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    response["Cache-Control"] = "private, no-store"
    return response
