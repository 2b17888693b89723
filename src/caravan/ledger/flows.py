"""The posting rules of ADR 0006, each a function of plain values.

B is the buyer currency, S the seller currency. When B == S there are no FX legs and no
margin. Every flow is idempotent on its key (the business event) through `post_entry`; the
flows whose lines depend on a balance (release, refund after release) lock the accounts and
look for the key before reading it, so a replay returns the first entry unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from caravan.kernel.money import Money

from .models import Account, JournalEntry
from .services import (
    PLATFORM,
    AccountKey,
    LedgerError,
    Line,
    check_replay,
    get_entry_by_key,
    locked_balances,
    own_transaction,
    party_for_seller,
    post_entry,
    seller_order_reference,
)

Purpose = Account.Purpose
Kind = JournalEntry.Kind


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise LedgerError(message, code="invalid_amount")


def _not_negative(money: Money, name: str) -> None:
    _require(money.amount >= 0, f"{name} is negative: {money.amount} {money.currency}")


def _platform(purpose: str, money: Money) -> Line:
    return Line(purpose=purpose, party=PLATFORM, money=money)


def _escrow(*, seller_id: int, seller_order_id: int, money: Money) -> Line:
    return Line(
        purpose=Purpose.ESCROW,
        party=party_for_seller(seller_id),
        reference=seller_order_reference(seller_order_id),
        money=money,
    )


def _seller(purpose: str, seller_id: int, money: Money) -> Line:
    return Line(purpose=purpose, party=party_for_seller(seller_id), money=money)


def _seller_key(purpose: str, seller_id: int, currency: str) -> AccountKey:
    return (purpose, party_for_seller(seller_id), "", currency)


def _fx_legs(*, buyer_amount: Money, seller_amount: Money, fx_margin: Money) -> list[Line]:
    """What the platform books between the buyer's money and the seller's, for money coming
    in (a capture); a refund books the same legs negated. Empty in one currency."""
    if buyer_amount.currency == seller_amount.currency:
        _require(
            seller_amount == buyer_amount and fx_margin.is_zero,
            "in one currency the seller amount is the buyer amount and there is no FX margin",
        )
        return []
    _require(fx_margin.currency == buyer_amount.currency, "the FX margin is in the buyer currency")
    _require(fx_margin <= buyer_amount, "the FX margin exceeds the buyer amount")
    return [
        _platform(Purpose.FX_MARGIN_REVENUE, -fx_margin),
        _platform(Purpose.FX_POSITION, -(buyer_amount - fx_margin)),
        _platform(Purpose.FX_POSITION, seller_amount),
    ]


def _merged(lines: Sequence[Line]) -> list[Line]:
    """Platform legs of several shares merged per account; the seller-owned lines stay one
    per share so a seller's statement shows each of them."""
    merged: dict[AccountKey, Money] = {}
    kept: list[Line] = []
    for line in lines:
        if line.party != PLATFORM:
            kept.append(line)
            continue
        current = merged.get(line.account_key)
        merged[line.account_key] = line.money if current is None else current + line.money
    platform = [
        Line(purpose=purpose, party=party, reference=reference, money=money)
        for (purpose, party, reference, _currency), money in merged.items()
    ]
    return [*platform, *kept]


@dataclass(frozen=True)
class CaptureShare:
    """One seller order's part of a captured payment; `fx_margin` is in the buyer currency.

    `buyer_amount` is the goods and delivery (the seller's side); `duty` and `vat` are the
    customs duty and import VAT collected at checkout on top of it (DDP, ADR 0010), in the
    buyer currency, owed to the customs authority and never put in the seller's escrow."""

    seller_order_id: int
    seller_id: int
    buyer_amount: Money
    seller_amount: Money
    fx_margin: Money
    duty: Money | None = None
    vat: Money | None = None


def _customs_lines(*, duty: Money | None, vat: Money | None, sign: int) -> list[Line]:
    """The DDP duty and VAT legs: credited to their liability accounts when collected
    (sign -1), debited back when refunded (sign +1). Zero amounts post nothing."""
    lines: list[Line] = []
    for purpose, money in (
        (Purpose.CUSTOMS_DUTY_PAYABLE, duty),
        (Purpose.IMPORT_VAT_PAYABLE, vat),
    ):
        if money is None or money.is_zero:
            continue
        _not_negative(money, purpose)
        lines.append(_platform(purpose, money * sign))
    return lines


def _customs_total(lines: Sequence[Line], currency: str) -> Money:
    return sum((-line.money for line in lines), Money.zero(currency))


def post_capture(*, key: str, memo: str, shares: Sequence[CaptureShare]) -> JournalEntry:
    """The buyer's payment arrives at the provider and is held in escrow per seller order."""
    _require(bool(shares), "a capture needs at least one share")
    buyer_currency = shares[0].buyer_amount.currency
    lines: list[Line] = []
    for share in shares:
        _require(
            share.buyer_amount.currency == buyer_currency, "a capture is in one buyer currency"
        )
        _not_negative(share.buyer_amount, "buyer amount")
        _not_negative(share.seller_amount, "seller amount")
        _not_negative(share.fx_margin, "FX margin")
        customs = _customs_lines(duty=share.duty, vat=share.vat, sign=-1)
        for line in customs:
            _require(line.money.currency == buyer_currency, "customs are in the buyer currency")
        lines.append(
            _platform(
                Purpose.PROVIDER_CLEARING,
                share.buyer_amount + _customs_total(customs, buyer_currency),
            )
        )
        lines.extend(customs)
        lines.extend(
            _fx_legs(
                buyer_amount=share.buyer_amount,
                seller_amount=share.seller_amount,
                fx_margin=share.fx_margin,
            )
        )
        lines.append(
            _escrow(
                seller_id=share.seller_id,
                seller_order_id=share.seller_order_id,
                money=-share.seller_amount,
            )
        )
    # Each seller order's escrow account is opened by its capture.
    entry, _ = post_entry(
        key=key, kind=Kind.CAPTURE, memo=memo, lines=_merged(lines), accounts_new=True
    )
    return entry


def post_duplicate_capture(*, key: str, memo: str, buyer_amount: Money) -> JournalEntry:
    """A capture on an order already paid: the money is owed back to the buyer in full."""
    _not_negative(buyer_amount, "buyer amount")
    entry, _ = post_entry(
        key=key,
        kind=Kind.DUPLICATE_CAPTURE,
        memo=memo,
        lines=[
            _platform(Purpose.PROVIDER_CLEARING, buyer_amount),
            _platform(Purpose.REFUNDS_PAYABLE, -buyer_amount),
        ],
    )
    return entry


def _post_reading_balances(
    *,
    key: str,
    kind: str,
    memo: str,
    fixed: list[Line],
    read: list[AccountKey],
    more_lines: Callable[[dict[AccountKey, Decimal]], list[Line]],
) -> JournalEntry:
    """Post `fixed` plus lines computed from the locked balances of the `read` accounts."""
    with own_transaction():
        balances = locked_balances(keys=[*(line.account_key for line in fixed), *read])
        existing = get_entry_by_key(key=key)
        if existing is not None:
            check_replay(entry=existing, kind=kind, lines=fixed, partial=True)
            return existing
        entry, _ = post_entry(key=key, kind=kind, memo=memo, lines=[*fixed, *more_lines(balances)])
    return entry


def post_release(
    *,
    key: str,
    memo: str,
    seller_order_id: int,
    seller_id: int,
    escrow: Money,
    commission: Money,
) -> JournalEntry:
    """Escrow released to the seller, less commission; a receivable the seller owes from an
    earlier clawback is settled out of the payable first (as far as the payable covers it)."""
    currency = escrow.currency
    _not_negative(commission, "commission")
    _require(commission.currency == currency, "the commission is in the seller currency")
    _require(commission <= escrow, "the commission exceeds the escrow released")
    payable = escrow - commission
    fixed = [
        _escrow(seller_id=seller_id, seller_order_id=seller_order_id, money=escrow),
        _platform(Purpose.COMMISSION_REVENUE, -commission),
        _seller(Purpose.SELLER_PAYABLE, seller_id, -payable),
    ]
    return _post_reading_balances(
        key=key,
        kind=Kind.RELEASE,
        memo=memo,
        fixed=fixed,
        read=[_seller_key(Purpose.SELLER_RECEIVABLE, seller_id, currency)],
        more_lines=_settle_receivable(seller_id=seller_id, credited=payable),
    )


def _settle_receivable(
    *, seller_id: int, credited: Money
) -> Callable[[dict[AccountKey, Decimal]], list[Line]]:
    """Lines that settle what the seller owes (a receivable left by an earlier clawback) out
    of money just credited to their payable, as far as the payable then covers it."""
    currency = credited.currency
    payable_key = _seller_key(Purpose.SELLER_PAYABLE, seller_id, currency)
    receivable_key = _seller_key(Purpose.SELLER_RECEIVABLE, seller_id, currency)

    def settlement(balances: dict[AccountKey, Decimal]) -> list[Line]:
        owed_to_seller = credited.amount - balances[payable_key]
        owed_by_seller = balances[receivable_key]
        settled = Money(min(owed_to_seller, owed_by_seller), currency)
        if settled.amount <= 0:
            return []
        return [
            _seller(Purpose.SELLER_PAYABLE, seller_id, settled),
            _seller(Purpose.SELLER_RECEIVABLE, seller_id, -settled),
        ]

    return settlement


def _refund_legs(
    *,
    buyer_amount: Money,
    seller_amount: Money,
    fx_margin: Money,
    duty: Money | None,
    vat: Money | None,
) -> tuple[list[Line], str]:
    """`buyer_amount` is the goods and delivery part of the refund; the DDP duty and VAT
    returned with it (finance.refunds decides how much) come back out of their liability
    accounts and are owed to the buyer on top of it."""
    _not_negative(buyer_amount, "refund amount")
    _not_negative(seller_amount, "refund seller amount")
    _not_negative(fx_margin, "refunded FX margin")
    legs = _fx_legs(buyer_amount=buyer_amount, seller_amount=seller_amount, fx_margin=fx_margin)
    customs = _customs_lines(duty=duty, vat=vat, sign=1)
    for line in customs:
        _require(line.money.currency == buyer_amount.currency, "customs are in the buyer currency")
    returned = -_customs_total(customs, buyer_amount.currency)
    return [
        _platform(Purpose.REFUNDS_PAYABLE, -(buyer_amount + returned)),
        *customs,
        *(Line(purpose=leg.purpose, party=leg.party, money=-leg.money) for leg in legs),
    ], seller_amount.currency


def post_refund_from_escrow(
    *,
    key: str,
    memo: str,
    seller_order_id: int,
    seller_id: int,
    buyer_amount: Money,
    seller_amount: Money,
    fx_margin: Money,
    duty: Money | None = None,
    vat: Money | None = None,
) -> JournalEntry:
    """A refund before release: out of the seller order's escrow, FX margin returned, and
    the DDP duty and VAT returned with it out of their liability accounts.

    Refused with `insufficient_escrow` when the escrow (read locked) cannot cover it."""
    legs, _currency = _refund_legs(
        buyer_amount=buyer_amount,
        seller_amount=seller_amount,
        fx_margin=fx_margin,
        duty=duty,
        vat=vat,
    )
    lines = [
        *legs,
        _escrow(seller_id=seller_id, seller_order_id=seller_order_id, money=seller_amount),
    ]
    entry, _ = post_entry(key=key, kind=Kind.REFUND, memo=memo, lines=lines)
    return entry


def post_refund_from_payable(
    *,
    key: str,
    memo: str,
    seller_order_id: int,
    seller_id: int,
    buyer_amount: Money,
    seller_amount: Money,
    fx_margin: Money,
    commission_returned: Money,
    duty: Money | None = None,
    vat: Money | None = None,
) -> JournalEntry:
    """A refund after release (a clawback): the commission on it is returned, the rest is
    taken from the seller's payable as far as it goes and the shortfall becomes a receivable
    (the payable never goes to the debit side). DDP duty and VAT returned with it come out
    of their liability accounts, never from the seller."""
    legs, currency = _refund_legs(
        buyer_amount=buyer_amount,
        seller_amount=seller_amount,
        fx_margin=fx_margin,
        duty=duty,
        vat=vat,
    )
    _not_negative(commission_returned, "commission returned")
    _require(commission_returned.currency == currency, "the commission is in the seller currency")
    _require(commission_returned <= seller_amount, "the commission returned exceeds the refund")
    from_seller = seller_amount - commission_returned
    fixed = [*legs, _platform(Purpose.COMMISSION_REVENUE, commission_returned)]
    payable_key = _seller_key(Purpose.SELLER_PAYABLE, seller_id, currency)
    receivable_key = _seller_key(Purpose.SELLER_RECEIVABLE, seller_id, currency)

    def seller_side(balances: dict[AccountKey, Decimal]) -> list[Line]:
        available = max(-balances[payable_key], Decimal(0))
        taken = Money(min(available, from_seller.amount), currency)
        return [
            _seller(Purpose.SELLER_PAYABLE, seller_id, taken),
            _seller(Purpose.SELLER_RECEIVABLE, seller_id, from_seller - taken),
        ]

    # seller_order_id names the order for the caller's memo; the clawback's lines are on the
    # seller's own accounts, which are not split per seller order.
    return _post_reading_balances(
        key=key,
        kind=Kind.CLAWBACK,
        memo=memo,
        fixed=fixed,
        read=[payable_key, receivable_key],
        more_lines=seller_side,
    )


def post_refund_sent(*, key: str, memo: str, buyer_amount: Money) -> JournalEntry:
    """The provider paid a refund back to the buyer."""
    _not_negative(buyer_amount, "refund amount")
    entry, _ = post_entry(
        key=key,
        kind=Kind.REFUND_SENT,
        memo=memo,
        lines=[
            _platform(Purpose.REFUNDS_PAYABLE, buyer_amount),
            _platform(Purpose.PROVIDER_CLEARING, -buyer_amount),
        ],
    )
    return entry


def post_payout(*, key: str, memo: str, seller_id: int, amount: Money) -> JournalEntry:
    """A payout sent to the seller's bank; refused with `insufficient_payable` beyond the
    payable balance (read locked)."""
    _not_negative(amount, "payout amount")
    entry, _ = post_entry(
        key=key,
        kind=Kind.PAYOUT,
        memo=memo,
        lines=[
            _seller(Purpose.SELLER_PAYABLE, seller_id, amount),
            _seller(Purpose.PAYOUTS_IN_TRANSIT, seller_id, -amount),
        ],
    )
    return entry


def post_payout_settled(*, key: str, memo: str, seller_id: int, amount: Money) -> JournalEntry:
    """The bank confirmed the payout: it leaves the platform's payout bank account."""
    _not_negative(amount, "payout amount")
    entry, _ = post_entry(
        key=key,
        kind=Kind.PAYOUT_SETTLED,
        memo=memo,
        lines=[
            _seller(Purpose.PAYOUTS_IN_TRANSIT, seller_id, amount),
            _platform(Purpose.PAYOUT_BANK, -amount),
        ],
    )
    return entry


def post_payout_failed(*, key: str, memo: str, seller_id: int, amount: Money) -> JournalEntry:
    """The bank returned the payout: the money is available to the seller again, less what
    the seller owes the platform from an earlier clawback (settled first, as a release does)."""
    _not_negative(amount, "payout amount")
    return _post_reading_balances(
        key=key,
        kind=Kind.PAYOUT_FAILED,
        memo=memo,
        fixed=[
            _seller(Purpose.PAYOUTS_IN_TRANSIT, seller_id, amount),
            _seller(Purpose.SELLER_PAYABLE, seller_id, -amount),
        ],
        read=[_seller_key(Purpose.SELLER_RECEIVABLE, seller_id, amount.currency)],
        more_lines=_settle_receivable(seller_id=seller_id, credited=amount),
    )
