"""Reads of payouts: the back office sees them all, a seller only their own.

A batch file holds every seller's bank details, so it is for the operator only; a seller gets
a remittance advice for one of their own payouts instead.
"""

from __future__ import annotations

from typing import NamedTuple

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from caravan.kernel.countries import country_name
from caravan.kernel.errors import NotFound
from caravan.sellers.models import Seller

from .files import encode_batch
from .models import Payout, PayoutBatch, PayoutEvent


class DownloadFile(NamedTuple):
    filename: str
    content: bytes
    content_type: str


def list_payouts(
    *,
    status: str | None = None,
    currency: str | None = None,
    batch_id: int | None = None,
) -> QuerySet[Payout]:
    """Every seller's payouts, newest first (back office only)."""
    payouts = Payout.objects.select_related("seller", "batch").order_by("-created_at", "-id")
    if status is not None:
        payouts = payouts.filter(status=status)
    if currency is not None:
        payouts = payouts.filter(currency=currency)
    if batch_id is not None:
        payouts = payouts.filter(batch_id=batch_id)
    return payouts


def get_payout(*, public_id: str) -> Payout:
    """Any payout by its public id (back office only)."""
    payout = Payout.objects.select_related("seller", "batch").filter(public_id=public_id).first()
    if payout is None:
        raise NotFound(_("Payout not found"), code="payout_not_found")
    return payout


def list_payout_events(*, payout: Payout) -> QuerySet[PayoutEvent]:
    return payout.events.select_related("actor").order_by("created_at", "id")


def list_batches(*, currency: str | None = None) -> QuerySet[PayoutBatch]:
    batches = PayoutBatch.objects.order_by("-created_at", "-id")
    if currency is not None:
        batches = batches.filter(currency=currency)
    return batches


def get_batch_file(*, batch_id: int) -> DownloadFile:
    """A batch's bank file as the bank takes it (back office only)."""
    batch = PayoutBatch.objects.filter(pk=batch_id).first()
    if batch is None or not batch.file_name:
        raise NotFound(_("Payout file not found"), code="payout_file_not_found")
    content, content_type = encode_batch(batch=batch)
    return DownloadFile(batch.file_name, content, content_type)


def list_seller_payouts(
    *, seller: Seller, status: str | None = None, currency: str | None = None
) -> QuerySet[Payout]:
    """The seller's own payouts, newest first."""
    payouts = Payout.objects.filter(seller=seller).order_by("-created_at", "-id")
    if status is not None:
        payouts = payouts.filter(status=status)
    if currency is not None:
        payouts = payouts.filter(currency=currency)
    return payouts


def get_seller_payout(*, seller: Seller, public_id: str) -> Payout:
    """One of the seller's payouts; another seller's looks like one that does not exist."""
    payout = Payout.objects.filter(seller=seller, public_id=public_id).first()
    if payout is None:
        raise NotFound(_("Payout not found"), code="payout_not_found")
    return payout


def _masked(account: str) -> str:
    return f"•••• {account[-4:]}" if len(account) > 4 else account


def get_seller_remittance(*, seller: Seller, public_id: str) -> DownloadFile:
    """A plain-text remittance advice for one of the seller's payouts, in the active
    language: what was sent, when, to which account (masked) and with what purpose."""
    payout = get_seller_payout(seller=seller, public_id=public_id)
    status = str(Payout.Status(payout.status).label)
    rows = [
        (_("Payout"), payout.public_id),
        (_("Date"), f"{timezone.localtime(payout.created_at):%Y-%m-%d}"),
        (_("Amount"), str(payout.money)),
        (_("Status"), status),
        (_("Account holder"), payout.account_holder),
        (_("Bank"), payout.bank_name),
        (_("Bank country"), country_name(payout.bank_country) if payout.bank_country else ""),
        (_("Account"), _masked(payout.iban or payout.account_number)),
        (_("BIK") if payout.bik else _("BIC (SWIFT)"), payout.bik or payout.bic),
        (_("Payment purpose"), payout.purpose),
    ]
    if payout.settled_at:
        rows.append((_("Settled"), f"{timezone.localtime(payout.settled_at):%Y-%m-%d}"))
    if payout.failure_reason:
        rows.append((_("Failure reason"), payout.failure_reason))
    lines = [_("Remittance advice"), ""]
    lines += [f"{label}: {value}" for label, value in rows if value]
    content = ("\n".join(lines) + "\n").encode("utf-8")
    return DownloadFile(f"payout-{payout.public_id}.txt", content, "text/plain; charset=utf-8")
