"""One seller order's money for the operator: found by number, every figure from its own
rows (buyer and seller sides, FX, commission, refunds, escrow, journal entries), and the
operator's refund in full or in part, also after release."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from caravan.accounts.models import User
from caravan.finance.refunds import refundable
from caravan.finance.services import refund_by_operator
from caravan.kernel.errors import DomainError, NotFound
from caravan.kernel.money import Money
from caravan.ledger.models import Account, JournalEntry
from caravan.orders.models import OrderLine, SellerOrder

from ..access import operator_required
from .forms import RefundForm
from .selectors import (
    find_seller_order,
    get_operator_seller_order,
    list_seller_order_entries,
    seller_order_escrow,
    settling_payment,
)


def _operator(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@require_GET
@operator_required
def finance_order_find(request: HttpRequest) -> HttpResponse:
    number = request.GET.get("number", "").strip()[:40]
    error = ""
    if number:
        try:
            seller_order = find_seller_order(number=number)
        except NotFound as not_found:
            error = not_found.message
        else:
            return redirect("backoffice:finance_order", public_id=seller_order.public_id)
    return render(
        request,
        "backoffice/finance/order_find.html",
        {"number": number, "error": error},
        status=404 if error else 200,
    )


@dataclass(frozen=True)
class PostingRow:
    account: str
    party: str
    reference: str
    debit: Money | None
    credit: Money | None


@dataclass(frozen=True)
class EntryRow:
    entry: JournalEntry
    kind: str
    postings: list[PostingRow]


def _entry_rows(entries: list[JournalEntry]) -> list[EntryRow]:
    purposes = dict(Account.Purpose.choices)
    kinds = dict(JournalEntry.Kind.choices)
    return [
        EntryRow(
            entry=entry,
            kind=str(kinds.get(entry.kind, entry.kind)),
            postings=[
                PostingRow(
                    account=str(purposes.get(posting.account.purpose, posting.account.purpose)),
                    party=posting.account.party,
                    reference=posting.account.reference,
                    debit=posting.money if posting.amount > 0 else None,
                    credit=-posting.money if posting.amount < 0 else None,
                )
                for posting in entry.postings.all()
            ],
        )
        for entry in entries
    ]


@dataclass(frozen=True)
class LineRow:
    line: OrderLine
    unit_price: Money
    commission: Money


def _context(seller_order: SellerOrder, form: RefundForm) -> dict[str, Any]:
    currency = seller_order.currency
    left = refundable(seller_order)
    return {
        "seller_order": seller_order,
        "order": seller_order.order,
        "lines": [
            LineRow(
                line=line,
                unit_price=Money(line.unit_price_amount, currency),
                commission=Money(line.commission_amount, currency),
            )
            for line in seller_order.lines.all()
        ],
        "refunds": seller_order.refunds.all(),
        "refundable": left,
        "refunded_total": seller_order.buyer_total - left,
        "escrow": seller_order_escrow(seller_order),
        "payment": settling_payment(seller_order),
        "entries": _entry_rows(list_seller_order_entries(seller_order)),
        "form": form,
    }


def _get(public_id: str) -> SellerOrder:
    try:
        return get_operator_seller_order(public_id=public_id)
    except NotFound as error:
        raise Http404(error.message) from error


@require_GET
@operator_required
def finance_order(request: HttpRequest, public_id: str) -> HttpResponse:
    seller_order = _get(public_id)
    return render(
        request,
        "backoffice/finance/order.html",
        _context(seller_order, RefundForm(seller_order=seller_order)),
    )


@require_POST
@operator_required
def finance_order_refund(request: HttpRequest, public_id: str) -> HttpResponse:
    seller_order = _get(public_id)
    form = RefundForm(request.POST, seller_order=seller_order)
    if form.is_valid():
        try:
            refund = refund_by_operator(
                seller_order_public_id=seller_order.public_id,
                reason=form.cleaned_data["reason"],
                actor=_operator(request),
                amount=form.cleaned_data["amount"],
                lines=form.cleaned_data["lines"],
            )
        except DomainError as error:
            field = "amount" if error.code.startswith("refund_amount") else None
            if error.code == "refund_exceeds_payment":
                field = "amount" if form.cleaned_data["amount"] is not None else None
            form.add_error(field, error.message)
        else:
            messages.success(
                request,
                _("Refund of %(amount)s recorded; it is sent to the payment provider.")
                % {"amount": refund.money},
            )
            return redirect("backoffice:finance_order", public_id=seller_order.public_id)
    seller_order = _get(public_id)
    form.seller_order = seller_order
    return render(
        request, "backoffice/finance/order.html", _context(seller_order, form), status=400
    )
