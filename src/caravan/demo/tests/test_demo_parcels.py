import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from caravan.demo.parcels import watched_ship_time
from caravan.orders.models import Order
from caravan.parcels.carriers.sandbox import SandboxCarrier
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
    # Seeded five hours or more after the shipping: the sandbox has scanned the first at least
    # twice; the second is on its way, its next scan a few minutes ahead (the next test).
    first = list(parcels[1].events.order_by("occurred_at").values_list("status", flat=True))
    assert first[:2] == ["accepted", "in_transit"]
    for parcel in parcels[1:]:
        assert set(parcel.events.values_list("source", flat=True)) == {"sandbox"}
    assert parcels[2].status != "delivered"


@pytest.mark.django_db
def test_the_second_shenzhen_parcel_is_scanned_again_a_few_minutes_after_the_seed(seeded):
    parcel = Parcel.objects.get(tracking_number="SBX0000000002CN")
    scans = list(parcel.events.order_by("occurred_at").values_list("status", flat=True))

    next_scan = parcel.shipped_at + SandboxCarrier().scan_offset(len(scans))

    # Two scans unless the suite runs in the small hours (demo.parcels.WATCHED_SCANS_DONE).
    assert scans == ["accepted", "in_transit"][: len(scans)]
    assert timezone.now() < next_scan <= timezone.now() + timedelta(minutes=3)


def test_the_watched_parcel_leaves_so_its_customs_scan_comes_three_minutes_after_the_seed():
    placed = datetime(2026, 12, 5, 18, 30, tzinfo=UTC)
    seeded_at = datetime(2026, 12, 6, 15, 0, tzinfo=UTC)

    shipped = watched_ship_time(placed=placed, seeded_at=seeded_at)

    # Six-hour steps: accepted at +1 h, left the country at +7 h, customs at +13 h.
    assert shipped == datetime(2026, 12, 6, 2, 3, tzinfo=UTC)


def test_seeded_soon_after_the_order_the_watched_parcel_has_fewer_scans_behind_it():
    placed = datetime(2026, 12, 5, 18, 30, tzinfo=UTC)

    one_scan = watched_ship_time(placed=placed, seeded_at=datetime(2026, 12, 6, 2, 10, tzinfo=UTC))
    no_scan = watched_ship_time(placed=placed, seeded_at=datetime(2026, 12, 5, 20, 30, tzinfo=UTC))
    too_soon = watched_ship_time(placed=placed, seeded_at=datetime(2026, 12, 5, 19, 0, tzinfo=UTC))

    assert one_scan == datetime(2026, 12, 5, 19, 13, tzinfo=UTC)  # + 7 h: 02:13, left the country
    assert no_scan == datetime(2026, 12, 5, 19, 33, tzinfo=UTC)  # + 1 h: 20:33, accepted
    assert too_soon == datetime(2026, 12, 5, 19, 5, tzinfo=UTC)  # right after the first parcel


@pytest.mark.django_db
def test_the_shenzhen_parcels_have_a_declaration_to_print(seeded):
    parcel = Parcel.objects.get(tracking_number="SBX0000000001CN")

    declaration = build_declaration(parcel)

    assert declaration.form in {"CN22", "CN23"}
    assert declaration.form == ("CN22" if declaration.value_in_sdr <= 300 else "CN23")
    assert declaration.recipient.name == parcel.seller_order.order.ship_to_name
    assert [line.quantity for line in declaration.lines] == [1]
    assert declaration.gaps == []
