"""The payouts queue: run the payouts, download each batch's bank file, settle or fail a
payout one by one (a failure needs a reason), import the bank's statement line by line."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from caravan.accounts.models import User
from caravan.kernel.errors import DomainError, NotFound
from caravan.kernel.money import CURRENCY_CHOICES
from caravan.payouts.models import Payout
from caravan.payouts.selectors import get_batch_file, list_batches, list_payouts
from caravan.payouts.services import fail_payout, run_payouts, settle_payout
from caravan.payouts.statements import StatementResult, import_bank_statement

from ..access import operator_required
from .forms import ReasonForm, StatementUploadForm, query_without_page

PER_PAGE = 30
BATCHES_SHOWN = 10


def _operator(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _page(
    request: HttpRequest,
    *,
    upload_form: StatementUploadForm | None = None,
    statement: StatementResult | None = None,
    fail_errors: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    state = request.GET.get("status", Payout.Status.IN_TRANSIT)
    if state not in Payout.Status.values and state != "all":
        state = Payout.Status.IN_TRANSIT
    currency = request.GET.get("currency", "")
    if currency not in dict(CURRENCY_CHOICES):
        currency = ""
    payouts = list_payouts(status=None if state == "all" else state, currency=currency or None)
    context: dict[str, Any] = {
        "page": Paginator(payouts, PER_PAGE).get_page(request.GET.get("page")),
        "query": query_without_page(request.GET),
        "state": state,
        "currency": currency,
        "statuses": Payout.Status.choices,
        "batches": list_batches()[:BATCHES_SHOWN],
        "upload_form": upload_form or StatementUploadForm(),
        "statement": statement,
        "fail_errors": fail_errors or {},
    }
    return render(request, "backoffice/finance/payouts.html", context, status=status)


@require_GET
@operator_required
def finance_payouts(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
@operator_required
def finance_payouts_run(request: HttpRequest) -> HttpResponse:
    result = run_payouts(actor=_operator(request))
    if result.payouts:
        messages.success(
            request,
            ngettext(
                "%(count)d payout created, in %(batches)d bank file.",
                "%(count)d payouts created, in %(batches)d bank files.",
                len(result.payouts),
            )
            % {"count": len(result.payouts), "batches": len(result.batches)},
        )
    else:
        messages.info(request, _("Nothing to pay out: no seller has an available balance."))
    for skipped in result.skipped:
        messages.warning(
            request,
            _("%(seller)s (%(amount)s) was not paid: %(reason)s")
            % {
                "seller": skipped.seller_name,
                "amount": skipped.available,
                "reason": skipped.reason,
            },
        )
    return redirect("backoffice:finance_payouts")


@require_POST
@operator_required
def finance_payout_settle(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        payout = settle_payout(payout_public_id=public_id, actor=_operator(request))
    except NotFound as error:
        raise Http404(error.message) from error
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Payout %(id)s is settled.") % {"id": payout.public_id})
    return redirect("backoffice:finance_payouts")


@require_POST
@operator_required
def finance_payout_fail(request: HttpRequest, public_id: str) -> HttpResponse:
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _page(
            request,
            fail_errors={public_id: _("Say why the payout failed.")},
            status=400,
        )
    try:
        payout = fail_payout(
            payout_public_id=public_id,
            reason=form.cleaned_data["reason"],
            actor=_operator(request),
        )
    except NotFound as error:
        raise Http404(error.message) from error
    except DomainError as error:
        return _page(request, fail_errors={public_id: error.message}, status=400)
    messages.success(
        request,
        _("Payout %(id)s failed: its money is back in the seller's available balance.")
        % {"id": payout.public_id},
    )
    return redirect("backoffice:finance_payouts")


@require_POST
@operator_required
def finance_payouts_import(request: HttpRequest) -> HttpResponse:
    form = StatementUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, upload_form=form, status=400)
    try:
        result = import_bank_statement(
            content=form.cleaned_data["file"].read(), actor=_operator(request)
        )
    except DomainError as error:
        form.add_error("file", error.message)
        return _page(request, upload_form=form, status=400)
    return _page(request, statement=result)


@require_GET
@operator_required
def finance_batch_file(request: HttpRequest, batch_id: int) -> HttpResponse:
    try:
        document = get_batch_file(batch_id=batch_id)
    except NotFound as error:
        raise Http404(error.message) from error
    response = HttpResponse(document.content, content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
