"""Why a payment attempt failed, in words a buyer understands.

Providers name the reason in their own codes: the sandbox says `card_declined`, Stripe's
Checkout Session events `expired` or `async_payment_failed`, YooKassa `party:reason` from its
`cancellation_details` (`yoo_money:expired_on_confirmation`, `payment_network:
insufficient_funds`...). The buyer sees one sentence; the code stays on the payment row for
the operator.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The notes an unpaid order is cancelled with (its OrderEvent), read back by the order page.
EXPIRY_REASON = "payment deadline passed"
BUYER_CANCEL_REASON = "cancelled by the buyer"

GENERIC = _("The payment provider declined the payment.")

# By the reason's last segment (YooKassa prefixes the party that cancelled).
PLAIN_WORDS: dict[str, Promise] = {
    "card_declined": _("Your bank declined the card."),
    "general_decline": _("Your bank declined the card."),
    "call_issuer": _("Your bank declined the card. Your bank can tell you why."),
    "insufficient_funds": _("There was not enough money on the card."),
    "card_expired": _("The card has expired."),
    "invalid_card_number": _("The card number was not accepted."),
    "invalid_csc": _("The card's security code was not accepted."),
    "3d_secure_failed": _("The bank's confirmation (3-D Secure) did not go through."),
    "issuer_unavailable": _("Your bank did not answer in time."),
    "internal_timeout": _("The payment provider did not answer in time."),
    "payment_method_limit_exceeded": _("The card's spending limit was reached."),
    "payment_method_restricted": _("This card cannot be used for this payment."),
    "country_forbidden": _("Cards from this country are not accepted."),
    "fraud_suspected": _("The payment was stopped by the bank's fraud checks."),
    "permission_revoked": _("The payment permission was withdrawn."),
    "identification_required": _("The wallet needs to be identified before it can pay."),
    # Abandoned: the buyer left the provider's page or took too long there.
    "expired_on_confirmation": _("The payment was not completed on the payment page in time."),
    "expired": _("The payment was not completed on the payment page in time."),
    "canceled_by_merchant": _("The payment attempt was cancelled."),
    "async_payment_failed": _("The bank transfer did not go through."),
}


def describe_failure(reason: str) -> str:
    """One sentence for the buyer about a failed attempt's `failure_reason`."""
    code = reason.rsplit(":", 1)[-1].strip().lower()
    return str(PLAIN_WORDS.get(code, GENERIC))
