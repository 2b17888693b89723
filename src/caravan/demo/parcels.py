"""Parcels for the demo: Anna's latest order, shipped in parcels with timelines to look at.

Gadget House (Moscow) sent its part by Russian Post and typed the post office's scans in
itself; Shenzhen TechDirect split its two units into two parcels with the sandbox carrier,
moving along as the sandbox reports (the scheduler of `caravan runserver` asks it every
minute in the demo, or `caravan track-parcels`), each with its customs declaration to print.
The second parcel's next scan (customs) falls a few minutes after the seed, so whoever opens
the order right after `make demo` sees it move. Played through the services on a moved
clock, like the money history (it reuses that module's cast and checkout), after it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from caravan.cart.checkout import check_out
from caravan.cart.services import add_to_cart, choose_delivery, get_or_create_cart
from caravan.fx.importing import load_snapshot
from caravan.orders.models import Order
from caravan.parcels.carriers.sandbox import SandboxCarrier
from caravan.parcels.sdr import load_snapshot_sdr_rate
from caravan.parcels.services import add_tracking_event, ship_parcel
from caravan.parcels.tracking import poll_parcels
from caravan.payments.gateways.registry import get_gateway
from caravan.payments.sandbox import SandboxGateway, resolve_session

from .money_history import ANNA, MOSCOW, SHENZHEN, _cast, clock_at, moment_of

KEY = "demo-parcels-1"
# The watched parcel's next sandbox scan comes WATCHED_SCAN_LEAD after the seed; by then it
# has been scanned twice (accepted, left the country), so the next is customs, unless the
# order is too recent for that (a seed in the small hours): then once, or not yet.
WATCHED_SCAN_LEAD = timedelta(minutes=3)
WATCHED_SCANS_DONE = (2, 1, 0)


def watched_ship_time(*, placed: datetime, seeded_at: datetime) -> datetime:
    """When the second Shenzhen parcel left: so that its next sandbox scan falls a few
    minutes after `seeded_at`, and after the first parcel left."""
    carrier = SandboxCarrier()
    earliest = placed + timedelta(minutes=35)
    for scans_done in WATCHED_SCANS_DONE:
        shipped = seeded_at + WATCHED_SCAN_LEAD - carrier.scan_offset(scans_done)
        if shipped >= earliest:
            return shipped
    # Only when seeded within the hour after the order, which the demo never is (the order is
    # yesterday's): right after the first parcel.
    return earliest


def seed_parcels(*, today: date) -> Order | None:
    """Returns the order (None when payments are not the sandbox's or the catalog is too
    small). Call it outside any transaction, after the money history."""
    if get_gateway().name != SandboxGateway.name:
        return None
    cast = _cast()
    if not all(cast.offers.values()):
        return None
    # The CBR's roubles per SDR for the days the parcels ship on (CN22 or CN23).
    for days_ago in (3, 0):
        load_snapshot_sdr_rate(on_date=today - timedelta(days=days_ago))
    # Placed the day of the history's last order, after it: that day's rates are the
    # newest recorded then, so the order converts at the rate of its own day.
    placed = moment_of((1, "18:30"), today=today)
    buyer = cast.buyers[ANNA]
    moscow_offer, shenzhen_offer = cast.next_offer(MOSCOW), cast.next_offer(SHENZHEN)
    with clock_at(placed):
        cart = get_or_create_cart(token=None, user=buyer)
        add_to_cart(cart=cart, offer_public_id=moscow_offer.public_id, quantity=1)
        add_to_cart(cart=cart, offer_public_id=shenzhen_offer.public_id, quantity=2)
        for slug in (MOSCOW, SHENZHEN):
            method = cast.methods[slug][-1]
            choose_delivery(cart=cart, seller_id=cast.sellers[slug].id, method_id=method.id)
        load_snapshot(on_date=timezone.localdate(timezone.now()))
        address = buyer.addresses.order_by("id").first()
        assert address is not None  # every demo buyer has a saved address
        order = check_out(
            cart=cart,
            buyer=buyer,
            address=address,
            currency="RUB",
            idempotency_key=KEY,
            return_url=lambda order: "/",
        ).order
    with clock_at(placed + timedelta(minutes=3)):
        resolve_session(reference=order.payments.get().provider_reference, approved=True)
    moscow = order.seller_orders.get(seller=cast.sellers[MOSCOW])
    shenzhen = order.seller_orders.get(seller=cast.sellers[SHENZHEN])
    shenzhen_line = shenzhen.lines.get()
    # Two units, two parcels: the first half an hour after the order, the second later.
    for shipped_at, number in (
        (placed + timedelta(minutes=30), "SBX0000000001CN"),
        (watched_ship_time(placed=placed, seeded_at=timezone.now()), "SBX0000000002CN"),
    ):
        with clock_at(shipped_at):
            ship_parcel(
                seller=cast.sellers[SHENZHEN],
                seller_order_public_id=shenzhen.public_id,
                carrier="sandbox",
                tracking_number=number,
                quantities={shenzhen_line.id: 1},
                actor=cast.owners[SHENZHEN],
            )
    with clock_at(placed + timedelta(hours=1)):
        parcel = ship_parcel(
            seller=cast.sellers[MOSCOW],
            seller_order_public_id=moscow.public_id,
            carrier="russian_post",
            tracking_number="RA644000012RU",
            quantities={line.id: line.quantity for line in moscow.lines.all()},
            actor=cast.owners[MOSCOW],
        )
    # The post office's scans as Gadget House typed them in (Russian Post has no adapter).
    for after, status, place, note in (
        (
            timedelta(hours=1, minutes=20),
            "accepted",
            "Moscow 101000",
            "Handed in at the post office",
        ),
        (timedelta(hours=5), "in_transit", "Moscow sorting centre", "Left the sorting centre"),
    ):
        with clock_at(placed + after):
            add_tracking_event(
                seller=cast.sellers[MOSCOW],
                parcel_id=parcel.id,
                status=status,
                occurred_at=placed + after,
                location=place,
                description=note,
            )
    # What the sandbox carrier has reported by now (the beat task does this every 15 min).
    poll_parcels()
    return order
