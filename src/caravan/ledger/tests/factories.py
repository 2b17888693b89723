"""Plain-value builders and readers for ledger tests."""

from __future__ import annotations

from decimal import Decimal

from caravan.kernel.money import Money
from caravan.ledger.flows import CaptureShare, post_capture, post_release
from caravan.ledger.models import Account, JournalEntry, Posting

CENT = Decimal("0.01")


def rub(amount: str) -> Money:
    return Money(amount, "RUB")


def cny(amount: str) -> Money:
    return Money(amount, "CNY")


def postings(entry: JournalEntry) -> list[tuple[str, str, str, str, str]]:
    """(purpose, party, reference, currency, amount) of an entry's postings, sorted."""
    return sorted(
        (purpose, party, reference, currency, str(amount))
        for purpose, party, reference, currency, amount in entry.postings.values_list(
            "account__purpose",
            "account__party",
            "account__reference",
            "currency",
            "amount",
        )
    )


def ledger_state() -> tuple[int, int, int, list[tuple[int, Decimal]]]:
    """Counts of accounts, entries and postings, and every cached balance."""
    return (
        Account.objects.count(),
        JournalEntry.objects.count(),
        Posting.objects.count(),
        list(Account.objects.order_by("pk").values_list("pk", "balance_amount")),
    )


def cross_share(
    *,
    seller_order_id: int = 30,
    seller_id: int = 3,
    buyer: str = "1268.75",
    seller: str = "100.00",
    margin: str = "18.75",
) -> CaptureShare:
    """A CNY seller's order paid in RUB: 100 CNY at mid 12.5 plus a 1.5 % margin."""
    return CaptureShare(
        seller_order_id=seller_order_id,
        seller_id=seller_id,
        buyer_amount=rub(buyer),
        seller_amount=cny(seller),
        fx_margin=rub(margin),
    )


def same_share(*, seller_order_id: int = 40, seller_id: int = 4, amount: str = "500.00"):
    return CaptureShare(
        seller_order_id=seller_order_id,
        seller_id=seller_id,
        buyer_amount=rub(amount),
        seller_amount=rub(amount),
        fx_margin=rub("0"),
    )


def captured_and_released(
    *, seller_order_id: int = 30, seller_id: int = 3, escrow: str = "100.00", commission: str
) -> None:
    """A CNY seller order captured in RUB and released, leaving its payable."""
    post_capture(
        key=f"capture:{seller_order_id}",
        memo="",
        shares=[
            cross_share(
                seller_order_id=seller_order_id,
                seller_id=seller_id,
                buyer=str((Decimal(escrow) * Decimal("12.6875")).quantize(CENT)),
                seller=escrow,
                margin=str((Decimal(escrow) * Decimal("0.1875")).quantize(CENT)),
            )
        ],
    )
    post_release(
        key=f"release:{seller_order_id}",
        memo="",
        seller_order_id=seller_order_id,
        seller_id=seller_id,
        escrow=cny(escrow),
        commission=cny(commission),
    )
