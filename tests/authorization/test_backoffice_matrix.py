"""Every back office URL is for operator staff only, proven URL by URL.

The URL patterns are read from the resolver, so a new back office page is checked without
being listed: anonymous visitors are sent to sign in, a signed-in user who is not staff (a
buyer, a seller's owner) is refused with 403, and a refused request changes nothing. Routes
that change something answer POST only and are listed in `WRITES`, which must match.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from caravan.commissions.models import CommissionRule
from caravan.payments.models import PaymentAnomaly, Refund
from caravan.payouts.models import Payout
from caravan.sellers.models import Seller
from tests.factories import make_seller, make_user

WRITES = {
    "product_bulk",
    "product_approve",
    "product_reject",
    "seller_bulk",
    "seller_review",
    "seller_approve",
    "seller_reject",
    "seller_suspend",
    "seller_reinstate",
    "seller_close",
    "finance_order_refund",
    "finance_refund_retry",
    "finance_anomaly_resolve",
    "finance_reconcile",
    "finance_payouts_run",
    "finance_payouts_import",
    "finance_payout_settle",
    "finance_payout_fail",
    "finance_commission_toggle",
    "search_synonym_delete",
}


def _patterns(patterns: list[Any], prefix: str = "") -> list[tuple[str, str]]:
    """(name, route) of every pattern, through includes."""
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            found.append((pattern.name, prefix + str(pattern.pattern)))
    return found


def backoffice_routes() -> dict[str, str]:
    namespace = get_resolver().namespace_dict["backoffice"][1]
    return dict(_patterns(namespace.url_patterns))


def url_for(name: str) -> str:
    route = backoffice_routes()[name]
    kwargs: dict[str, Any] = {}
    for part in route.split("<")[1:]:
        converter, _, rest = part.partition(":")
        kwargs[rest.partition(">")[0]] = 1 if converter == "int" else "missing"
    return reverse(f"backoffice:{name}", kwargs=kwargs or None)


def call(client: Any, name: str) -> Any:
    method = client.post if name in WRITES else client.get
    return method(url_for(name), {"reason": "x", "amount": "1", "percent": "1"})


def fingerprint() -> tuple[object, ...]:
    return (
        tuple(Seller.objects.order_by("id").values_list("id", "status")),
        tuple(Refund.objects.order_by("id").values_list("id", "status")),
        tuple(Payout.objects.order_by("id").values_list("id", "status")),
        tuple(PaymentAnomaly.objects.order_by("id").values_list("id", "resolved_at")),
        tuple(CommissionRule.objects.order_by("id").values_list("id", "is_active", "percent")),
    )


ROUTE_NAMES = sorted(backoffice_routes())


def test_every_write_is_a_backoffice_route():
    assert set(WRITES) <= set(ROUTE_NAMES)
    assert {name for name in ROUTE_NAMES if name.startswith("finance")} >= {
        "finance",
        "finance_fx",
        "finance_order",
        "finance_payouts",
        "finance_refunds",
        "finance_anomalies",
        "finance_commissions",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("name", ROUTE_NAMES)
def test_anonymous_visitors_are_sent_to_sign_in(client, name):
    before = fingerprint()

    response = call(client, name)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("storefront:login"))
    assert fingerprint() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", ROUTE_NAMES)
def test_a_seller_owner_who_is_not_staff_is_refused(client, name):
    owner = make_user()
    make_seller(owner=owner)
    before = fingerprint()
    client.force_login(owner)

    response = call(client, name)

    assert response.status_code == 403
    assert fingerprint() == before
