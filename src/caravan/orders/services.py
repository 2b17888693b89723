"""Order writes: creation at placement and every state transition (each one audited)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from caravan.accounts.models import Address, User
from caravan.catalog.translations import buyer_language
from caravan.commissions.book import CommissionBook, load_commission_book
from caravan.fx.models import ExchangeRate
from caravan.fx.quotes import Quote
from caravan.kernel.clock import now
from caravan.kernel.errors import InvalidTransition, ValidationFailed
from caravan.kernel.events import publish
from caravan.kernel.money import Money
from caravan.offers.models import Offer
from caravan.offers.services import announce_product_changes, release_stock
from caravan.sellers.models import Seller
from caravan.shipping.quotes import Destination, MethodQuote

from .customs import assess_parcels, collected_at_checkout, customs_records
from .events import (
    OrderCancelled,
    OrderPaid,
    OrderPlaced,
    SellerOrderCancelled,
    SellerOrderDelivered,
    SellerOrderShipped,
)
from .models import Order, OrderEvent, OrderLine, SellerOrder, SellerOrderCustoms
from .selectors import get_buyer_seller_order, get_seller_order


@dataclass(frozen=True)
class LineDraft:
    offer: Offer
    quantity: int


@dataclass(frozen=True)
class SellerOrderDraft:
    seller: Seller
    # The method the buyer chose (or the cheapest), as quoted for the destination at the
    # placement moment: price in the seller's currency and delivery dates.
    delivery: MethodQuote
    lines: Sequence[LineDraft]
    # The seller currency into the buyer's, checked fresh by the caller.
    quote: Quote


def _record(
    *,
    order: Order,
    to_status: str,
    from_status: str = "",
    seller_order: SellerOrder | None = None,
    actor: User | None = None,
    note: str = "",
) -> None:
    OrderEvent.objects.create(
        order=order,
        seller_order=seller_order,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        note=note[:255],
    )


def create_order(
    *,
    buyer: User,
    address: Address,
    currency: str,
    drafts: Sequence[SellerOrderDraft],
    number: str = "",
    placed_at: datetime | None = None,
    destination: Destination | None = None,
    rates: Mapping[str, dict[str, ExchangeRate]] | None = None,
) -> Order:
    """Freeze the buyer's agreement into rows: prices in both currencies, the conversion
    between them, the commission of every line and the delivery quoted at `placed_at` (the
    moment the drafts' dates count from) for `destination`. Runs inside the caller's
    transaction, after the caller has taken the stock."""
    if not drafts:
        raise ValidationFailed(_("Nothing to order"), code="cart_empty")
    placed = placed_at or now()
    buyer_today = placed.astimezone(
        ZoneInfo((destination or Destination(country=address.country)).buyer_timezone)
    ).date()
    book = load_commission_book(
        seller_ids={draft.seller.id for draft in drafts},
        category_ids={line.offer.product.category_id for draft in drafts for line in draft.lines},
    )
    # `rates`: the latest rates into some currencies, read by the caller with its own (the
    # cart reads those into the buyer's and the sellers' currencies in one query).
    book.add_rates(rates or {})
    book.preload_rates(currencies={draft.seller.currency for draft in drafts})
    frozen = [_freeze(draft, book=book, buyer_today=buyer_today) for draft in drafts]
    assessed_on = timezone.localdate(placed)
    landed = assess_parcels(
        [(item.seller_order, item.lines) for item in frozen],
        destination=address.country,
        on=assessed_on,
    )
    # The one charge: goods and delivery of every seller order, and the duty and VAT
    # collected at checkout (DDP); what is due at delivery is shown, never charged.
    order = Order.objects.create(
        **({"number": number} if number else {}),
        buyer=buyer,
        buyer_currency=currency,
        total_amount=sum(
            (
                item.buyer_total.amount + collected_at_checkout(cost).amount
                for item, cost in zip(frozen, landed, strict=True)
            ),
            Decimal(0),
        ),
        ship_to_name=address.full_name,
        ship_to_phone=address.phone,
        ship_to_country=address.country,
        ship_to_region=address.region,
        ship_to_city=address.city,
        ship_to_city_area=address.city_area,
        ship_to_postal_code=address.postal_code,
        ship_to_street=address.street,
        payment_deadline=placed + timedelta(minutes=settings.PAYMENT_DEADLINE_MINUTES),
    )
    seller_orders = []
    for index, (draft, item, cost) in enumerate(zip(drafts, frozen, landed, strict=True), start=1):
        item.seller_order.order = order
        item.seller_order.buyer_duty_collected_amount = cost.duty_collected.amount
        item.seller_order.buyer_vat_collected_amount = cost.vat_collected.amount
        item.seller_order.number = f"{order.number}-{index}"
        item.seller_order.ship_by = placed + timedelta(
            days=max(line.offer.handling_days for line in draft.lines) + 1
        )
        seller_orders.append(item.seller_order)
    # PostgreSQL and SQLite both return the new primary keys from a bulk insert.
    SellerOrder.objects.bulk_create(seller_orders)
    lines = []
    for item in frozen:
        for order_line in item.lines:
            order_line.seller_order = item.seller_order
            lines.append(order_line)
    OrderLine.objects.bulk_create(lines)
    SellerOrderCustoms.objects.bulk_create(
        customs_records(
            [
                (item.seller_order, item.lines, cost)
                for item, cost in zip(frozen, landed, strict=True)
            ],
            destination=address.country,
            on=assessed_on,
        )
    )
    OrderEvent.objects.bulk_create(
        [OrderEvent(order=order, to_status=order.status, actor=buyer, note="placed")]
        + [
            OrderEvent(order=order, seller_order=item, to_status=item.status, actor=buyer, note="")
            for item in seller_orders
        ]
    )
    transaction.on_commit(lambda: publish(OrderPlaced(order_id=order.id)), robust=True)
    return order


@dataclass
class _Frozen:
    seller_order: SellerOrder
    lines: list[OrderLine]
    buyer_total: Money


def _freeze(draft: SellerOrderDraft, *, book: CommissionBook, buyer_today: date) -> _Frozen:
    """One seller's part in both currencies, by the rounding rule of ADR 0006: each unit
    price and the delivery charge are converted and rounded, the rest are sums."""
    quote = draft.quote
    currency = draft.seller.currency
    subtotal = Money.zero(currency)
    buyer_subtotal = Money.zero(quote.quote)
    commission = Money.zero(currency)
    lines = []
    for line in draft.lines:
        line_total = (line.offer.price * line.quantity).rounded()
        buyer_unit = quote.to_buyer(line.offer.price)
        buyer_line_total = buyer_unit * line.quantity
        charge = book.commission_for(
            seller_id=draft.seller.id,
            category_id=line.offer.product.category_id,
            line_total=line_total,
        )
        subtotal += line_total
        buyer_subtotal += buyer_line_total
        commission += charge.amount
        lines.append(
            OrderLine(
                offer=line.offer,
                product_public_id=line.offer.product.public_id,
                product_name_ru=line.offer.product.name_ru,
                product_name_en=line.offer.product.name_en,
                variant_label_ru=line.offer.variant.label_ru,
                variant_label_en=line.offer.variant.label_en,
                buyer_language=buyer_language(),
                buyer_product_name=line.offer.product.name[:200],
                buyer_variant_label=line.offer.variant.label[:200],
                image=line.offer.product.cover_image,
                unit_price_amount=line.offer.price_amount,
                quantity=line.quantity,
                line_total_amount=line_total.amount,
                buyer_unit_price_amount=buyer_unit.amount,
                buyer_line_total_amount=buyer_line_total.amount,
                commission_rule=charge.rule_label[:160],
                commission_percent=charge.percent,
                commission_amount=charge.amount.amount,
            )
        )
    method = draft.delivery.method
    delivery = draft.delivery.price.rounded()
    buyer_delivery = quote.to_buyer(draft.delivery.price)
    total = subtotal + delivery
    buyer_total = buyer_subtotal + buyer_delivery
    dates = draft.delivery.dates
    seller_order = SellerOrder(
        seller=draft.seller,
        currency=currency,
        subtotal_amount=subtotal.amount,
        delivery_amount=delivery.amount,
        total_amount=total.amount,
        buyer_currency=quote.quote,
        buyer_subtotal_amount=buyer_subtotal.amount,
        buyer_delivery_amount=buyer_delivery.amount,
        buyer_total_amount=buyer_total.amount,
        fx_rate=quote.mid,
        fx_margin_bps=quote.margin_bps,
        fx_effective_rate=quote.effective,
        fx_source=quote.source,
        fx_rate_as_of=quote.as_of,
        fx_margin_amount=(buyer_total - quote.at_mid(total)).amount,
        commission_amount=commission.amount,
        delivery_method=method,
        delivery_method_name_ru=method.name_ru,
        delivery_method_name_en=method.name_en,
        delivery_carrier=method.carrier,
        delivery_service_level=method.service_level,
        delivery_earliest=dates.earliest,
        delivery_latest=dates.latest,
        delivery_days_min=max(0, (dates.earliest - buyer_today).days),
        delivery_days_max=max(0, (dates.latest - buyer_today).days),
    )
    return _Frozen(seller_order=seller_order, lines=lines, buyer_total=buyer_total)


def lock_order(*, order_id: int) -> tuple[Order, list[SellerOrder]]:
    """Lock in the house order: the order, then its seller orders by primary key. Callers
    that go on to lock payments and ledger accounts take this first."""
    return _lock(order_id)


def lock_order_named(*, order_ids: QuerySet[Any]) -> tuple[Order, list[SellerOrder]] | None:
    """lock_order for the order a subquery names (`.values("order_id")` of a caller's rows):
    one statement where reading the id first and then locking takes two. None when it names
    no order."""
    order = Order.objects.select_for_update().filter(id__in=order_ids).order_by("id").first()
    if order is None:
        return None
    seller_orders = list(SellerOrder.objects.select_for_update().filter(order=order).order_by("id"))
    return order, seller_orders


def _lock(order_id: int) -> tuple[Order, list[SellerOrder]]:
    """Lock in the house order: the order, then its seller orders by primary key."""
    order = Order.objects.select_for_update().get(id=order_id)
    seller_orders = list(SellerOrder.objects.select_for_update().filter(order=order).order_by("id"))
    return order, seller_orders


def _move_order(order: Order, target: str, *, actor: User | None, note: str = "") -> None:
    Order.TRANSITIONS.check(order.status, target)
    source, order.status = order.status, target
    _record(order=order, from_status=source, to_status=target, actor=actor, note=note)


def _move_seller_order(
    seller_order: SellerOrder, target: str, *, actor: User | None, note: str = ""
) -> None:
    SellerOrder.TRANSITIONS.check(seller_order.status, target)
    source, seller_order.status = seller_order.status, target
    _record(
        order=seller_order.order,
        seller_order=seller_order,
        from_status=source,
        to_status=target,
        actor=actor,
        note=note,
    )


@transaction.atomic
def mark_order_paid(*, order_id: int, note: str = "") -> Order:
    """Idempotent: a paid order stays paid; a cancelled one is not revived."""
    order, seller_orders = _lock(order_id)
    if order.status in {Order.Status.PAID, Order.Status.COMPLETED}:
        return order
    pay_locked_order(order=order, seller_orders=seller_orders, note=note)
    return order


def pay_locked_order(*, order: Order, seller_orders: list[SellerOrder], note: str) -> None:
    """The order and every seller order move to paid, audited, in three statements (this is
    on the checkout's path). The caller holds lock_order()."""
    if order.status != Order.Status.PENDING_PAYMENT:
        raise InvalidTransition(f"order {order.number} is {order.status} and cannot be paid")
    Order.TRANSITIONS.check(order.status, Order.Status.PAID)
    events = [
        OrderEvent(
            order=order, from_status=order.status, to_status=Order.Status.PAID, note=note[:255]
        )
    ]
    for seller_order in seller_orders:
        SellerOrder.TRANSITIONS.check(seller_order.status, SellerOrder.Status.AWAITING_SHIPMENT)
        events.append(
            OrderEvent(
                order=order,
                seller_order=seller_order,
                from_status=seller_order.status,
                to_status=SellerOrder.Status.AWAITING_SHIPMENT,
            )
        )
        seller_order.status = SellerOrder.Status.AWAITING_SHIPMENT
    OrderEvent.objects.bulk_create(events)
    order.status = Order.Status.PAID
    order.paid_at = now()
    order.save(update_fields=["status", "paid_at"])
    SellerOrder.objects.filter(id__in=[item.id for item in seller_orders]).update(
        status=SellerOrder.Status.AWAITING_SHIPMENT
    )
    transaction.on_commit(lambda: publish(OrderPaid(order_id=order.id)), robust=True)


@transaction.atomic
def cancel_unpaid_order(*, order_id: int, reason: str) -> Order:
    """Payment failed or expired: cancel and put the stock back. Safe to repeat."""
    order, seller_orders = _lock(order_id)
    if order.status == Order.Status.CANCELLED:
        return order
    if order.status != Order.Status.PENDING_PAYMENT:
        raise InvalidTransition(f"order {order.number} is {order.status}, not awaiting payment")
    _move_order(order, Order.Status.CANCELLED, actor=None, note=reason)
    order.save(update_fields=["status"])
    transaction.on_commit(lambda: publish(OrderCancelled(order.id, reason)), robust=True)
    product_ids: set[int] = set()
    for seller_order in seller_orders:
        seller_order.order = order
        _move_seller_order(seller_order, SellerOrder.Status.CANCELLED, actor=None, note=reason)
        seller_order.save(update_fields=["status"])
        for line in seller_order.lines.select_related("offer"):
            if line.offer_id is not None and line.offer is not None:
                release_stock(offer_id=line.offer_id, quantity=line.quantity)
                product_ids.add(line.offer.product_id)
    announce_product_changes(product_ids=product_ids)
    return order


@transaction.atomic
def ship_seller_order(
    *, seller: Seller, seller_order_public_id: str, carrier: str, tracking_number: str, actor: User
) -> SellerOrder:
    carrier, tracking_number = carrier.strip(), tracking_number.strip()
    if not carrier or not tracking_number:
        raise ValidationFailed(
            _("Carrier and tracking number are required"), code="tracking_required"
        )
    if len(tracking_number) > 64 or len(carrier) > 80:
        raise ValidationFailed(
            _("Carrier or tracking number is too long"), code="tracking_too_long"
        )
    seller_order = get_seller_order(seller=seller, public_id=seller_order_public_id)
    order, seller_orders = _lock(seller_order.order_id)
    seller_order = next(item for item in seller_orders if item.id == seller_order.id)
    mark_locked_seller_order_shipped(
        order=order,
        seller_order=seller_order,
        carrier=carrier,
        tracking_number=tracking_number,
        actor=actor,
    )
    return seller_order


def mark_locked_seller_order_shipped(
    *,
    order: Order,
    seller_order: SellerOrder,
    carrier: str,
    tracking_number: str,
    actor: User | None,
) -> None:
    """The shipped transition, audited and announced. The caller holds lock_order() and has
    checked what was handed to the carrier (parcels ships a seller order in several)."""
    seller_order.order = order
    _move_seller_order(seller_order, SellerOrder.Status.SHIPPED, actor=actor, note=tracking_number)
    seller_order.carrier = carrier[:80]
    seller_order.tracking_number = tracking_number[:64]
    seller_order.shipped_at = now()
    seller_order.save(update_fields=["status", "carrier", "tracking_number", "shipped_at"])
    transaction.on_commit(lambda: publish(SellerOrderShipped(seller_order.id)), robust=True)


@transaction.atomic
def confirm_delivery(*, buyer: User, seller_order_public_id: str) -> SellerOrder:
    seller_order = get_buyer_seller_order(buyer=buyer, public_id=seller_order_public_id)
    return _deliver(seller_order_id=seller_order.id, actor=buyer, note="")


@transaction.atomic
def confirm_delivery_automatically(
    *, seller_order_id: int, at: datetime | None = None
) -> SellerOrder:
    """Nobody confirmed a parcel long after its latest promised date: it counts as
    delivered at `at` (the release job's moment), and the buyer's protection window starts
    then."""
    return _deliver(
        seller_order_id=seller_order_id, actor=None, note="confirmed automatically", at=at
    )


def confirm_delivery_by_carrier(*, seller_order_id: int, at: datetime, note: str) -> SellerOrder:
    """The carrier reports every parcel of a shipped seller order delivered: the same
    transition as the buyer's confirmation (the protection window starts at `at`, escrow is
    released after it by the release job). Runs inside the caller's transaction."""
    return _deliver(seller_order_id=seller_order_id, actor=None, note=note, at=min(at, now()))


def _deliver(
    *, seller_order_id: int, actor: User | None, note: str, at: datetime | None = None
) -> SellerOrder:
    order_id = SellerOrder.objects.values_list("order_id", flat=True).get(id=seller_order_id)
    order, seller_orders = _lock(order_id)
    seller_order = next(item for item in seller_orders if item.id == seller_order_id)
    seller_order.order = order
    _move_seller_order(seller_order, SellerOrder.Status.DELIVERED, actor=actor, note=note)
    seller_order.delivered_at = at or now()
    # Frozen at delivery: a later change of the setting does not move a running window.
    seller_order.protection_ends_at = seller_order.delivered_at + timedelta(
        days=settings.ESCROW_PROTECTION_DAYS
    )
    seller_order.save(update_fields=["status", "delivered_at", "protection_ends_at"])
    transaction.on_commit(lambda: publish(SellerOrderDelivered(seller_order.id)), robust=True)
    _settle_order_status(order, seller_orders, actor=actor)
    return seller_order


def _settle_order_status(
    order: Order, seller_orders: list[SellerOrder], *, actor: User | None
) -> None:
    """A paid order ends when every parcel has: completed if any was delivered, cancelled
    if all were cancelled."""
    if order.status != Order.Status.PAID:
        return
    statuses = {item.status for item in seller_orders}
    if not statuses <= {SellerOrder.Status.DELIVERED, SellerOrder.Status.CANCELLED}:
        return
    target = (
        Order.Status.COMPLETED
        if SellerOrder.Status.DELIVERED in statuses
        else Order.Status.CANCELLED
    )
    _move_order(order, target, actor=actor)
    order.save(update_fields=["status"])


def cancel_paid_seller_order(
    *,
    order: Order,
    seller_orders: list[SellerOrder],
    seller_order: SellerOrder,
    actor: User | None,
    reason: str,
) -> None:
    """A paid parcel that has not shipped is cancelled and its stock returned. The caller
    holds the locks (lock_order) and refunds the buyer in the same transaction."""
    seller_order.order = order
    _move_seller_order(seller_order, SellerOrder.Status.CANCELLED, actor=actor, note=reason)
    seller_order.cancel_reason = reason[:255]
    seller_order.save(update_fields=["status", "cancel_reason"])
    event = SellerOrderCancelled(seller_order.id, reason[:255])
    transaction.on_commit(lambda: publish(event), robust=True)
    product_ids: set[int] = set()
    for line in seller_order.lines.select_related("offer"):
        if line.offer_id is not None and line.offer is not None:
            release_stock(offer_id=line.offer_id, quantity=line.quantity)
            product_ids.add(line.offer.product_id)
    announce_product_changes(product_ids=product_ids)
    _settle_order_status(order, seller_orders, actor=actor)
