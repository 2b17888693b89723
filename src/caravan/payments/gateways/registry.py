"""Which payment gateway Caravan talks to: PAYMENT_PROVIDER names it, settings configure it."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from .base import PaymentGateway
from .stripe import StripeGateway
from .yookassa import YooKassaGateway


def _sandbox() -> PaymentGateway:
    # Imported when asked for: the sandbox lives with the payments models, which the real
    # adapters never need.
    gateway_class = import_string("caravan.payments.sandbox.SandboxGateway")
    gateway: PaymentGateway = gateway_class()
    return gateway


GATEWAYS: dict[str, Callable[[], PaymentGateway]] = {
    "sandbox": _sandbox,
    "stripe": StripeGateway.from_settings,
    "yookassa": YooKassaGateway.from_settings,
}


def available_gateways() -> list[str]:
    return sorted(GATEWAYS)


def get_gateway(name: str | None = None) -> PaymentGateway:
    """The gateway called `name`, or the configured one (settings.PAYMENT_PROVIDER)."""
    chosen = settings.PAYMENT_PROVIDER if name is None else name
    factory = GATEWAYS.get(chosen)
    if factory is None:
        raise ImproperlyConfigured(
            f"Unknown payment provider {chosen!r}: PAYMENT_PROVIDER must be one of "
            f"{', '.join(available_gateways())}"
        )
    return factory()
