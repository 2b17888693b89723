"""Paying sellers out: the run that creates payouts and their bank files, and the back
office's settle and fail.

The ledger holds the money (ADR 0006): a payout moves a seller's payable balance to
`payouts_in_transit`; settling moves it out to the platform's payout bank, failing moves it
back to the payable, where the next run picks it up again. Every move is keyed by the payout,
so a retried call posts nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from caravan.accounts.models import User
from caravan.kernel.clock import now
from caravan.kernel.errors import DomainError, NotFound, ValidationFailed
from caravan.kernel.events import publish
from caravan.kernel.money import Money
from caravan.ledger.flows import post_payout, post_payout_failed, post_payout_settled
from caravan.ledger.models import Account
from caravan.ledger.services import party_for_seller
from caravan.sellers.models import Seller

from .beneficiary import Beneficiary, beneficiary_for
from .events import PayoutSettled
from .files import configured_payer, file_name_for, format_for, render_batch
from .models import PAYOUT_TRANSITIONS, Payout, PayoutBatch, PayoutEvent

SELLER_PARTY_PREFIX = party_for_seller(0).removesuffix("0")
REASON_MAX_LENGTH = 500


def ledger_key(payout: Payout, event: str) -> str:
    """The journal key of a payout's move: "payout:<id>", "payout_settled:<id>"..."""
    return f"{event}:{payout.public_id}"


def payout_purpose(*, public_id: str, currency: str) -> str:
    # The bank's wording, not the interface's: a Russian payment order's purpose is read by
    # the tax authority in Russian whatever language the operator uses, so it is not
    # translated; other currencies go abroad in English.
    if currency == "RUB":
        return f"Выплата по договору оферты, выплата {public_id}, без НДС"
    return f"Marketplace payout {public_id} under the seller agreement"


@dataclass(frozen=True)
class SkippedPayout:
    seller_id: int
    seller_name: str
    available: Money
    code: str
    reason: str


@dataclass(frozen=True)
class BatchSummary:
    batch_id: int
    currency: str
    file_name: str
    count: int
    total: Money


@dataclass
class PayoutRunResult:
    batches: list[BatchSummary] = field(default_factory=list)
    payouts: list[Payout] = field(default_factory=list)
    skipped: list[SkippedPayout] = field(default_factory=list)

    @property
    def below_minimum(self) -> list[SkippedPayout]:
        return [item for item in self.skipped if item.code == "below_minimum"]


def payout_minimum(currency: str) -> Money | None:
    """The smallest balance paid out in the currency; None: anything above zero."""
    configured = getattr(settings, "PAYOUT_MINIMUMS", {}).get(currency)
    return None if configured is None else Money(str(configured), currency)


def _available_balances() -> list[tuple[int, Money]]:
    """(seller id, available balance) of every seller payable holding money, by seller."""
    found: list[tuple[int, Money]] = []
    accounts = Account.objects.filter(
        purpose=Account.Purpose.SELLER_PAYABLE,
        party__startswith=SELLER_PARTY_PREFIX,
        reference="",
        balance_amount__lt=0,
    ).order_by("party", "currency")
    for party, currency, balance in accounts.values_list("party", "currency", "balance_amount"):
        seller_id = party.removeprefix(SELLER_PARTY_PREFIX)
        # A seller's payable always keeps its balance (only the platform's are NULL, ADR 0006).
        if seller_id.isdigit() and balance is not None:
            # A credit balance: the payable is negative while the seller is owed money.
            found.append((int(seller_id), Money(-balance, currency).rounded()))
    return sorted(found, key=lambda item: (item[0], item[1].currency))


def run_payouts(*, at: datetime | None = None, actor: User | None = None) -> PayoutRunResult:
    """Pay every seller's available balance per currency out, at or above the currency's
    minimum, to their payout details; one batch and file per currency.

    Each seller and currency is its own transaction, so one refused payout (details missing,
    the balance changed underneath) skips that seller only. Running again finds nothing new:
    what was paid out is no longer in the payable balance.
    """
    moment = at or now()
    result = PayoutRunResult()
    balances = _available_balances()
    sellers = Seller.objects.select_related("payout_details").in_bulk(
        {seller_id for seller_id, _available in balances}
    )
    batches: dict[str, PayoutBatch] = {}
    try:
        _pay_everyone(
            balances=balances,
            sellers=sellers,
            batches=batches,
            result=result,
            moment=moment,
            actor=actor,
        )
    finally:
        # An unexpected failure stops the run, but what was already paid out (committed per
        # seller) still gets its bank file.
        for currency in sorted(batches):
            result.batches.append(write_batch_file(batch_id=batches[currency].pk))
    return result


def _pay_everyone(
    *,
    balances: list[tuple[int, Money]],
    sellers: dict[int, Seller],
    batches: dict[str, PayoutBatch],
    result: PayoutRunResult,
    moment: datetime,
    actor: User | None,
) -> None:
    for seller_id, available in balances:
        seller = sellers.get(seller_id)
        if seller is None:
            continue
        try:
            beneficiary = _payable_to(seller=seller, available=available)
            payout = _pay_out(
                seller=seller,
                available=available,
                beneficiary=beneficiary,
                batches=batches,
                moment=moment,
                actor=actor,
            )
        except DomainError as error:
            result.skipped.append(
                SkippedPayout(
                    seller_id=seller.id,
                    seller_name=str(seller),
                    available=available,
                    code=error.code,
                    reason=error.message,
                )
            )
            continue
        result.payouts.append(payout)


def _payable_to(*, seller: Seller, available: Money) -> Beneficiary:
    minimum = payout_minimum(available.currency)
    if minimum is not None and available < minimum:
        raise ValidationFailed(
            _("%(available)s is below the payout minimum of %(minimum)s")
            % {"available": available, "minimum": minimum},
            code="below_minimum",
        )
    if seller.status == Seller.Status.SUSPENDED:
        # A suspension is often a fraud or quality case: what the seller is owed waits for the
        # operator's decision. A closed seller is paid what remains.
        raise ValidationFailed(
            _("The seller is suspended: payouts wait until the suspension is lifted"),
            code="seller_suspended",
        )
    return beneficiary_for(seller=seller, currency=available.currency)


def _pay_out(
    *,
    seller: Seller,
    available: Money,
    beneficiary: Beneficiary,
    batches: dict[str, PayoutBatch],
    moment: datetime,
    actor: User | None,
) -> Payout:
    currency = available.currency
    batch = batches.get(currency)
    with transaction.atomic():
        if batch is None:
            # Made with the first payout it holds, so a run that pays nobody leaves no batch.
            batch = PayoutBatch.objects.create(
                currency=currency, created_at=moment, file_format=format_for(currency)
            )
        payout = Payout(
            seller=seller,
            batch=batch,
            currency=currency,
            amount=available.amount,
            created_at=moment,
            account_holder=beneficiary.account_holder,
            inn=beneficiary.inn,
            bik=beneficiary.bik,
            account_number=beneficiary.account_number,
            iban=beneficiary.iban,
            bic=beneficiary.bic,
            bank_name=beneficiary.bank_name,
            bank_country=beneficiary.bank_country,
        )
        payout.purpose = payout_purpose(public_id=payout.public_id, currency=currency)
        payout.save()
        PayoutEvent.objects.create(
            payout=payout, actor=actor, to_status=payout.status, created_at=now()
        )
        # Refused (insufficient_payable) when the balance shrank since it was read: the
        # payout and a batch made for it roll back with it.
        post_payout(
            key=ledger_key(payout, "payout"),
            memo=f"payout {payout.public_id}",
            seller_id=seller.id,
            amount=available,
        )
    batches[currency] = batch
    return payout


@transaction.atomic
def write_batch_file(*, batch_id: int) -> BatchSummary:
    """(Re)write a batch's bank file from its payouts; a run calls it once per currency."""
    batch = PayoutBatch.objects.select_for_update().get(pk=batch_id)
    payouts = list(batch.payouts.order_by("id"))
    batch.file_name = file_name_for(batch=batch)
    batch.file_content = render_batch(batch=batch, payouts=payouts, payer=configured_payer())
    figures = batch.payouts.aggregate(count=Count("id"), total=Sum("amount"))
    batch.payout_count = figures["count"]
    batch.total_amount = figures["total"] or Decimal(0)
    batch.save(update_fields=["file_name", "file_content", "payout_count", "total_amount"])
    return BatchSummary(
        batch_id=batch.pk,
        currency=batch.currency,
        file_name=batch.file_name,
        count=batch.payout_count,
        total=batch.total.rounded(),
    )


def _locked_payout(public_id: str) -> Payout:
    payout = Payout.objects.select_for_update().filter(public_id=public_id).first()
    if payout is None:
        raise NotFound(_("Payout not found"), code="payout_not_found")
    return payout


def _move(payout: Payout, *, to_status: str, actor: User | None, note: str = "") -> None:
    PayoutEvent.objects.create(
        payout=payout,
        actor=actor,
        from_status=payout.status,
        to_status=to_status,
        note=note,
        created_at=now(),
    )
    payout.status = to_status


@transaction.atomic
def settle_payout(*, payout_public_id: str, actor: User | None) -> Payout:
    """The bank paid it. Settling a settled payout again changes nothing; a failed one
    cannot be settled (InvalidTransition): its money is back in the seller's balance."""
    payout = _locked_payout(payout_public_id)
    if payout.status == Payout.Status.SETTLED:
        return payout
    PAYOUT_TRANSITIONS.check(payout.status, Payout.Status.SETTLED)
    post_payout_settled(
        key=ledger_key(payout, "payout_settled"),
        memo=f"payout {payout.public_id} settled",
        seller_id=payout.seller_id,
        amount=payout.money,
    )
    _move(payout, to_status=Payout.Status.SETTLED, actor=actor)
    payout.settled_at = now()
    payout.save(update_fields=["status", "settled_at"])
    transaction.on_commit(lambda: publish(PayoutSettled(payout.id)), robust=True)
    return payout


@transaction.atomic
def fail_payout(*, payout_public_id: str, reason: str, actor: User | None) -> Payout:
    """The bank refused or returned it: the money goes back to the seller's payable balance
    for the next run. Failing a failed payout again changes nothing; a settled one cannot
    fail (InvalidTransition)."""
    text = " ".join(reason.split())
    if not text:
        raise ValidationFailed(_("Say why the payout failed"), code="reason_required")
    if len(text) > REASON_MAX_LENGTH:
        raise ValidationFailed(_("The reason is at most 500 characters"), code="reason_too_long")
    payout = _locked_payout(payout_public_id)
    if payout.status == Payout.Status.FAILED:
        return payout
    PAYOUT_TRANSITIONS.check(payout.status, Payout.Status.FAILED)
    post_payout_failed(
        key=ledger_key(payout, "payout_failed"),
        memo=f"payout {payout.public_id} failed",
        seller_id=payout.seller_id,
        amount=payout.money,
    )
    _move(payout, to_status=Payout.Status.FAILED, actor=actor, note=text)
    payout.failure_reason = text
    payout.failed_at = now()
    payout.save(update_fields=["status", "failure_reason", "failed_at"])
    return payout
