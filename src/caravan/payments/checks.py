"""Deployment checks for payments (`manage.py check --deploy`).

The sandbox takes no money and its webhook secret is in the source code, so anyone could sign
a "paid" event with it: a deployment running it must say so on purpose (PAYMENT_ALLOW_SANDBOX),
and a real provider must have its credentials.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from caravan.payments.gateways.registry import available_gateways

SANDBOX_IN_USE = "caravan.payments.E001"
DEFAULT_WEBHOOK_SECRET = "caravan.payments.E002"
STRIPE_NOT_CONFIGURED = "caravan.payments.E003"
YOOKASSA_NOT_CONFIGURED = "caravan.payments.E004"
UNKNOWN_PROVIDER = "caravan.payments.E005"
SANDBOX_ALLOWED = "caravan.payments.W001"

REAL_PROVIDER_HINT = "Set PAYMENT_PROVIDER to yookassa or stripe and its credentials."


@register(Tags.security, deploy=True)
def check_payment_provider(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    provider = settings.PAYMENT_PROVIDER
    if provider == "sandbox":
        return _sandbox_messages()
    if provider == "stripe":
        return _missing(
            {
                "STRIPE_SECRET_KEY": settings.STRIPE_SECRET_KEY,
                "STRIPE_WEBHOOK_SECRET": settings.STRIPE_WEBHOOK_SECRET,
            },
            "Stripe",
            STRIPE_NOT_CONFIGURED,
        )
    if provider == "yookassa":
        return _missing(
            {
                "YOOKASSA_SHOP_ID": settings.YOOKASSA_SHOP_ID,
                "YOOKASSA_SECRET_KEY": settings.YOOKASSA_SECRET_KEY,
            },
            "YooKassa",
            YOOKASSA_NOT_CONFIGURED,
        )
    return [
        Error(
            f"PAYMENT_PROVIDER is {provider!r}, which Caravan does not know.",
            hint=f"Set PAYMENT_PROVIDER to one of {', '.join(available_gateways())}.",
            id=UNKNOWN_PROVIDER,
        )
    ]


def _sandbox_messages() -> list[CheckMessage]:
    secret = settings.PAYMENT_WEBHOOK_SECRET
    default_secret = not secret or secret == settings.DEFAULT_PAYMENT_WEBHOOK_SECRET
    if settings.PAYMENT_ALLOW_SANDBOX:
        detail = " with the default webhook secret" if default_secret else ""
        return [
            Warning(
                f"The sandbox payment provider is allowed{detail} (PAYMENT_ALLOW_SANDBOX): "
                "buyers pay nothing.",
                hint="Fine for a demo. " + REAL_PROVIDER_HINT,
                id=SANDBOX_ALLOWED,
            )
        ]
    messages: list[CheckMessage] = [
        Error(
            "PAYMENT_PROVIDER is 'sandbox': buyers would pay on a page Caravan serves itself "
            "and no money would move.",
            hint=REAL_PROVIDER_HINT + " For a demo, set PAYMENT_ALLOW_SANDBOX=1.",
            id=SANDBOX_IN_USE,
        )
    ]
    if default_secret:
        messages.append(
            Error(
                "PAYMENT_WEBHOOK_SECRET is empty or the default published with Caravan: anyone "
                "could sign a 'payment succeeded' event for the sandbox.",
                hint="Set PAYMENT_WEBHOOK_SECRET to a long random value, or "
                "PAYMENT_ALLOW_SANDBOX=1 for a demo.",
                id=DEFAULT_WEBHOOK_SECRET,
            )
        )
    return messages


def _missing(values: dict[str, str], provider: str, check_id: str) -> list[CheckMessage]:
    missing = [name for name, value in values.items() if not value]
    if not missing:
        return []
    return [
        Error(
            f"PAYMENT_PROVIDER is {provider}, but {' and '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} not set.",
            hint=f"Set {', '.join(missing)} from the {provider} dashboard.",
            id=check_id,
        )
    ]
