"""Checkout: place the order and open its payment, idempotently (docs/decisions/0006).

The order and its pending payment are committed in one transaction; the provider is called
after the commit, outside any transaction; its session is recorded in a second one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from caravan.accounts.models import Address, User
from caravan.kernel.clock import now
from caravan.kernel.errors import ValidationFailed
from caravan.kernel.ids import order_number
from caravan.orders.models import Order
from caravan.payments.gateways.base import ProviderError
from caravan.payments.models import Payment
from caravan.payments.services import create_payment, open_session

from .models import Cart, CheckoutAttempt
from .services import commit_without_waiting_for_the_disk, place_order_in_transaction

KEY_LIFETIME = timedelta(hours=24)
MAX_KEY_LENGTH = 64


@dataclass(frozen=True)
class CheckoutResult:
    order: Order
    payment: Payment
    # Empty when the provider could not be reached: the order waits, "Pay" retries.
    redirect_url: str
    replayed: bool = False
    provider_error: str = ""


def fingerprint(*, address_id: int, currency: str) -> str:
    """What identifies one checkout request besides its key (the cart is emptied by the
    first, so its contents cannot tell a repeat from a new request)."""
    body = json.dumps({"address": address_id, "currency": currency}, sort_keys=True)
    return hashlib.sha256(body.encode()).hexdigest()


def check_out(
    *,
    cart: Cart,
    buyer: User,
    address: Address,
    currency: str,
    idempotency_key: str,
    return_url: Callable[[Order], str],
) -> CheckoutResult:
    """Place the cart as one order charged in `currency` and open its payment.

    The same key with the same request replays the first answer (one order, one provider
    call); the same key with another request is refused with `idempotency_conflict`."""
    key = idempotency_key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValidationFailed(
            _("A checkout needs an idempotency key of 1 to 64 characters."),
            code="idempotency_key_invalid",
        )
    if currency not in settings.BUYER_CURRENCIES:
        raise ValidationFailed(
            _("Payments in %(currency)s are not accepted.") % {"currency": currency},
            code="currency_unsupported",
        )
    print_ = fingerprint(address_id=address.id, currency=currency)
    replayed, payment = _place_once(
        cart=cart, buyer=buyer, address=address, currency=currency, key=key, print_=print_
    )
    return _answer(payment, replayed=replayed, return_url=return_url)


def _answer(
    payment: Payment, *, replayed: bool, return_url: Callable[[Order], str]
) -> CheckoutResult:
    """Where the buyer goes next: the provider's page for a pending payment (opened now, or
    the one already open), nowhere for a payment that has ended."""
    if payment.status != Payment.Status.PENDING:
        return CheckoutResult(payment.order, payment, "", replayed=replayed)
    try:
        opened = open_session(payment=payment, return_url=return_url(payment.order))
    except ProviderError as error:
        return CheckoutResult(
            payment.order, payment, "", replayed=replayed, provider_error=error.message
        )
    return CheckoutResult(payment.order, opened.payment, opened.redirect_url, replayed=replayed)


def _place_once(
    *, cart: Cart, buyer: User, address: Address, currency: str, key: str, print_: str
) -> tuple[bool, Payment]:
    try:
        with transaction.atomic():
            # The order is made durable by the payment's session claim, the next commit
            # (open_session): that durable commit flushes this one before the provider is
            # called or the buyer answered, and this one releases the stock's row lock
            # without waiting for the disk (a rush on one offer queues on that lock). A
            # crash in between loses the order whole, before anyone outside heard of it.
            commit_without_waiting_for_the_disk()
            # Concurrent requests with one key queue on this row's unique index: the first
            # places the order; the others wait for its commit, then fail the insert and
            # replay below.
            attempt = CheckoutAttempt.objects.create(
                buyer=buyer, key=key, fingerprint=print_, order_number=order_number()
            )
            payments: list[Payment] = []
            place_order_in_transaction(
                cart=cart,
                buyer=buyer,
                address=address,
                currency=currency,
                number=attempt.order_number,
                also=lambda order: payments.append(create_payment(order=order)),
            )
            return False, payments[0]
    except IntegrityError:
        attempt_or_none = CheckoutAttempt.objects.filter(buyer=buyer, key=key).first()
        if attempt_or_none is None:
            raise  # not a repeated key: some other constraint refused the order
        attempt = attempt_or_none
    if attempt.created_at < now() - KEY_LIFETIME:
        # An expired key starts afresh, as if it had been purged.
        CheckoutAttempt.objects.filter(id=attempt.id).delete()
        return _place_once(
            cart=cart, buyer=buyer, address=address, currency=currency, key=key, print_=print_
        )
    if attempt.fingerprint != print_:
        raise ValidationFailed(
            _("This checkout key was already used for another request."),
            code="idempotency_conflict",
        )
    payment = _attempt_payment(buyer=buyer, attempt=attempt)
    # The attempt row commits with its order and payment, so a visible attempt has both.
    assert payment is not None
    return True, payment


def _attempt_payment(*, buyer: User, attempt: CheckoutAttempt) -> Payment | None:
    """The payment that answers a checkout attempt: the one that paid its order, else the
    newest attempt."""
    return (
        Payment.objects.select_related("order")
        .filter(order__number=attempt.order_number, order__buyer=buyer)
        .order_by("-settles_order", "-id")
        .first()
    )


def replay_checkout(
    *,
    buyer: User,
    idempotency_key: str,
    address_id: int,
    currency: str,
    return_url: Callable[[Order], str],
) -> CheckoutResult | None:
    """The answer to a checkout already made with this key (a resubmitted form whose cart
    the first submission emptied), or None when the key is new."""
    attempt = CheckoutAttempt.objects.filter(
        buyer=buyer, key=idempotency_key.strip(), created_at__gte=now() - KEY_LIFETIME
    ).first()
    if attempt is None:
        return None
    if attempt.fingerprint != fingerprint(address_id=address_id, currency=currency):
        raise ValidationFailed(
            _("This checkout key was already used for another request."),
            code="idempotency_conflict",
        )
    payment = _attempt_payment(buyer=buyer, attempt=attempt)
    if payment is None:
        return None
    return _answer(payment, replayed=True, return_url=return_url)


def purge_checkout_attempts() -> int:
    """Keys are kept 24 hours; after that the same key starts a new checkout."""
    deleted, _rows = CheckoutAttempt.objects.filter(created_at__lt=now() - KEY_LIFETIME).delete()
    return deleted
