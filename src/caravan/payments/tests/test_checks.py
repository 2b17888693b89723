"""Payments deployment checks and the production settings' refusal of the sandbox."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import Error, Warning
from django.core.checks.registry import registry
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from caravan.payments.checks import check_payment_provider
from caravan.payments.gateways.registry import available_gateways, get_gateway
from caravan.payments.gateways.stripe import StripeGateway
from caravan.payments.gateways.yookassa import YooKassaGateway

DEFAULT_SECRET = "sandbox-webhook-secret"
REPOSITORY = Path(__file__).resolve().parents[4]


def ids(messages):
    return [message.id for message in messages]


@override_settings(
    PAYMENT_PROVIDER="sandbox", PAYMENT_ALLOW_SANDBOX=False, PAYMENT_WEBHOOK_SECRET=DEFAULT_SECRET
)
def test_the_sandbox_with_the_default_secret_is_two_errors():
    messages = check_payment_provider()

    assert messages == [
        Error(
            "PAYMENT_PROVIDER is 'sandbox': buyers would pay on a page Caravan serves itself "
            "and no money would move.",
            hint="Set PAYMENT_PROVIDER to yookassa or stripe and its credentials. "
            "For a demo, set PAYMENT_ALLOW_SANDBOX=1.",
            id="caravan.payments.E001",
        ),
        Error(
            "PAYMENT_WEBHOOK_SECRET is empty or the default published with Caravan: anyone "
            "could sign a 'payment succeeded' event for the sandbox.",
            hint="Set PAYMENT_WEBHOOK_SECRET to a long random value, or PAYMENT_ALLOW_SANDBOX=1 "
            "for a demo.",
            id="caravan.payments.E002",
        ),
    ]


@override_settings(
    PAYMENT_PROVIDER="sandbox", PAYMENT_ALLOW_SANDBOX=False, PAYMENT_WEBHOOK_SECRET="x" * 40
)
def test_the_sandbox_with_a_secret_of_its_own_is_still_an_error():
    assert ids(check_payment_provider()) == ["caravan.payments.E001"]


@override_settings(
    PAYMENT_PROVIDER="sandbox", PAYMENT_ALLOW_SANDBOX=False, PAYMENT_WEBHOOK_SECRET=""
)
def test_an_empty_webhook_secret_counts_as_the_default():
    assert ids(check_payment_provider()) == ["caravan.payments.E001", "caravan.payments.E002"]


@override_settings(
    PAYMENT_PROVIDER="sandbox", PAYMENT_ALLOW_SANDBOX=True, PAYMENT_WEBHOOK_SECRET=DEFAULT_SECRET
)
def test_the_sandbox_allowed_on_purpose_is_only_a_warning():
    assert check_payment_provider() == [
        Warning(
            "The sandbox payment provider is allowed with the default webhook secret "
            "(PAYMENT_ALLOW_SANDBOX): buyers pay nothing.",
            hint="Fine for a demo. Set PAYMENT_PROVIDER to yookassa or stripe and its credentials.",
            id="caravan.payments.W001",
        )
    ]


@override_settings(
    PAYMENT_PROVIDER="stripe",
    PAYMENT_ALLOW_SANDBOX=False,
    PAYMENT_WEBHOOK_SECRET="x" * 40,
    STRIPE_SECRET_KEY="sk_live_1",
    STRIPE_WEBHOOK_SECRET="",
)
def test_stripe_without_its_webhook_secret_is_an_error():
    assert check_payment_provider() == [
        Error(
            "PAYMENT_PROVIDER is Stripe, but STRIPE_WEBHOOK_SECRET is not set.",
            hint="Set STRIPE_WEBHOOK_SECRET from the Stripe dashboard.",
            id="caravan.payments.E003",
        )
    ]


@override_settings(
    PAYMENT_PROVIDER="stripe",
    PAYMENT_ALLOW_SANDBOX=False,
    PAYMENT_WEBHOOK_SECRET="x" * 40,
    STRIPE_SECRET_KEY="sk_live_1",
    STRIPE_WEBHOOK_SECRET="whsec_1",
)
def test_stripe_with_its_credentials_passes():
    assert check_payment_provider() == []


@override_settings(
    PAYMENT_PROVIDER="yookassa",
    PAYMENT_ALLOW_SANDBOX=False,
    PAYMENT_WEBHOOK_SECRET="x" * 40,
    YOOKASSA_SHOP_ID="",
    YOOKASSA_SECRET_KEY="",
)
def test_yookassa_without_credentials_is_an_error():
    assert check_payment_provider() == [
        Error(
            "PAYMENT_PROVIDER is YooKassa, but YOOKASSA_SHOP_ID and YOOKASSA_SECRET_KEY "
            "are not set.",
            hint="Set YOOKASSA_SHOP_ID, YOOKASSA_SECRET_KEY from the YooKassa dashboard.",
            id="caravan.payments.E004",
        )
    ]


@override_settings(
    PAYMENT_PROVIDER="yookassa",
    PAYMENT_ALLOW_SANDBOX=False,
    PAYMENT_WEBHOOK_SECRET=DEFAULT_SECRET,
    YOOKASSA_SHOP_ID="506751",
    YOOKASSA_SECRET_KEY="live_key",
)
def test_a_real_provider_does_not_need_the_sandbox_webhook_secret():
    # Notifications are parsed by the configured gateway only; the sandbox's secret is unused.
    assert check_payment_provider() == []


@override_settings(PAYMENT_PROVIDER="paypal", PAYMENT_WEBHOOK_SECRET="x" * 40)
def test_an_unknown_provider_is_an_error():
    assert check_payment_provider() == [
        Error(
            "PAYMENT_PROVIDER is 'paypal', which Caravan does not know.",
            hint="Set PAYMENT_PROVIDER to one of sandbox, stripe, yookassa.",
            id="caravan.payments.E005",
        )
    ]


def test_the_check_runs_only_with_deploy():
    assert check_payment_provider in registry.get_checks(include_deployment_checks=True)
    assert check_payment_provider not in registry.get_checks(include_deployment_checks=False)


def test_the_registry_names_every_gateway():
    assert available_gateways() == ["sandbox", "stripe", "yookassa"]


@override_settings(PAYMENT_PROVIDER="stripe")
def test_the_registry_builds_the_configured_gateway():
    assert isinstance(get_gateway(), StripeGateway)
    assert isinstance(get_gateway("yookassa"), YooKassaGateway)


def test_the_registry_refuses_an_unknown_name():
    with pytest.raises(ImproperlyConfigured, match="Unknown payment provider 'paypal'"):
        get_gateway("paypal")


def production_environment(**values):
    """A clean environment for the production settings: only what a test names."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PAYMENT_", "STRIPE_", "YOOKASSA_", "DJANGO_"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="caravan.config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="shop.test",
    )
    environment.update(values)
    return environment


def import_production(**values):
    return subprocess.run(
        [sys.executable, "-c", "import caravan.config.settings.production"],
        env=production_environment(**values),
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_the_sandbox_with_the_default_secret_without_the_flag():
    result = import_production()

    assert result.returncode == 1
    assert (
        "ImproperlyConfigured: PAYMENT_PROVIDER is 'sandbox', which takes no money, and "
        "PAYMENT_WEBHOOK_SECRET is empty or the default published with Caravan: set "
        "PAYMENT_PROVIDER to yookassa or stripe with its credentials, or "
        "PAYMENT_ALLOW_SANDBOX=1 to run the sandbox on purpose"
    ) in result.stderr


def test_production_refuses_the_sandbox_with_a_secret_of_its_own_without_the_flag():
    result = import_production(PAYMENT_WEBHOOK_SECRET="a-long-random-value")

    assert result.returncode == 1
    assert (
        "ImproperlyConfigured: PAYMENT_PROVIDER is 'sandbox', which takes no money: set "
        "PAYMENT_PROVIDER to yookassa or stripe with its credentials, or "
        "PAYMENT_ALLOW_SANDBOX=1 to run the sandbox on purpose"
    ) in result.stderr


@pytest.mark.parametrize(
    "values",
    [
        {"PAYMENT_ALLOW_SANDBOX": "1"},
        {"PAYMENT_PROVIDER": "stripe"},
        {"PAYMENT_PROVIDER": "yookassa"},
    ],
)
def test_production_starts_with_a_real_provider_or_the_flag(values):
    result = import_production(**values)

    assert (result.returncode, result.stderr) == (0, "")


def test_check_deploy_passes_with_the_sandbox_allowed_and_says_so():
    # Only the security checks: the others (URLs, models) belong to other apps' tests.
    script = (
        "import django; django.setup(); import caravan.payments.checks; "
        "from django.core.management import call_command; "
        "call_command('check', deploy=True, tags=['security'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=production_environment(PAYMENT_ALLOW_SANDBOX="1"),
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert "(caravan.payments.W001) The sandbox payment provider is allowed" in result.stdout + (
        result.stderr
    )
