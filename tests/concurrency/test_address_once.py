"""Ten quick submits of one address save one row, on the real PostgreSQL server: each
submit runs in its own thread (its own connection), released together by a barrier."""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from django.test import Client

from caravan.accounts.models import Address
from caravan.accounts.services import add_address
from caravan.orders.models import Order
from tests.factories import build_market, fill_cart, make_user

SUBMITS = 10
JOIN_TIMEOUT_SECONDS = 60

pytestmark = pytest.mark.postgres

ADDRESS = {
    "full_name": "Anna Smirnova",
    "phone": "+79990001122",
    "country": "RU",
    "region": "Республика Татарстан",
    "city": "Kazan",
    "postal_code": "420000",
    "street": "Baumana 5, flat 1",
}


def _run_together(work) -> list[str]:
    barrier = threading.Barrier(SUBMITS)
    outcomes: list[str] = []

    def submit() -> None:
        try:
            barrier.wait(timeout=JOIN_TIMEOUT_SECONDS)
            outcomes.append(work())
        except Exception as error:  # recorded and asserted on: the test must see any surprise
            outcomes.append(f"unexpected {error!r}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _submit in range(SUBMITS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_TIMEOUT_SECONDS)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_saves_of_one_address_make_one_row():
    user = make_user()

    outcomes = _run_together(lambda: str(add_address(user=user, **ADDRESS).id))

    (only,) = Address.objects.filter(user=user)
    assert outcomes == [str(only.id)] * SUBMITS


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_checkout_submits_save_one_address_and_one_order():
    market = build_market()
    fill_cart(user=market.buyer, lines=[(market.offer_ru, 1)])
    form = {
        "address": "new",
        "checkout_key": "double-submit-key-1",
        **{f"address-{name}": value for name, value in ADDRESS.items()},
    }

    def post() -> str:
        client = Client()
        client.force_login(market.buyer)
        return str(client.post("/checkout/", form).status_code)

    outcomes = _run_together(post)

    assert outcomes == ["302"] * SUBMITS
    assert Address.objects.filter(user=market.buyer, street=ADDRESS["street"]).count() == 1
    assert Order.objects.filter(buyer=market.buyer).count() == 1
