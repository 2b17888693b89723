import io
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import transaction

from caravan.orders.models import Order
from caravan.parcels.declarations import build_declaration
from caravan.parcels.models import Parcel


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> Iterator[str]:
    """One seeding for the whole module, rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = io.StringIO()
        call_command("seed_demo", products=12, stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_annas_latest_order_ships_in_three_parcels_with_timelines(seeded):
    order = Order.objects.filter(buyer__email="buyer@caravan.demo").order_by("-placed_at")[0]
    parcels = list(Parcel.objects.filter(seller_order__order=order).order_by("tracking_number"))

    assert [(parcel.carrier, parcel.tracking_number) for parcel in parcels] == [
        ("russian_post", "RA644000012RU"),
        ("sandbox", "SBX0000000001CN"),
        ("sandbox", "SBX0000000002CN"),
    ]
    assert [
        (event.source, event.status) for event in parcels[0].events.order_by("occurred_at")
    ] == [("seller", "accepted"), ("seller", "in_transit")]
    # Seeded five hours or more after the shipping: the sandbox has scanned both at least
    # twice, and the second cannot be delivered yet (31 hours).
    for parcel in parcels[1:]:
        statuses = list(parcel.events.order_by("occurred_at").values_list("status", flat=True))
        assert statuses[:2] == ["accepted", "in_transit"]
        assert set(parcel.events.values_list("source", flat=True)) == {"sandbox"}
    assert parcels[2].status != "delivered"


@pytest.mark.django_db
def test_the_shenzhen_parcels_have_a_declaration_to_print(seeded):
    parcel = Parcel.objects.get(tracking_number="SBX0000000001CN")

    declaration = build_declaration(parcel)

    assert declaration.form in {"CN22", "CN23"}
    assert declaration.form == ("CN22" if declaration.value_in_sdr <= 300 else "CN23")
    assert declaration.recipient.name == parcel.seller_order.order.ship_to_name
    assert [line.quantity for line in declaration.lines] == [1]
    assert declaration.gaps == []
