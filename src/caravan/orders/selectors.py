"""Order reads, always scoped to the buyer or the seller asking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from caravan.accounts.models import User
from caravan.kernel.errors import NotFound
from caravan.kernel.money import Money, MoneyTotals
from caravan.sellers.models import Seller

from .models import Order, OrderEvent, OrderLine, SellerOrder


def list_buyer_orders(*, buyer: User) -> QuerySet[Order]:
    return Order.objects.filter(buyer=buyer).prefetch_related(
        Prefetch(
            "seller_orders",
            queryset=SellerOrder.objects.select_related("seller").order_by("id"),
        )
    )


def get_buyer_order(*, buyer: User, number: str) -> Order:
    try:
        return (
            Order.objects.filter(buyer=buyer)
            .prefetch_related(
                Prefetch(
                    "seller_orders",
                    queryset=SellerOrder.objects.select_related("seller", "customs")
                    .prefetch_related("lines")
                    .order_by("id"),
                )
            )
            .get(number=number)
        )
    except Order.DoesNotExist as error:
        raise NotFound(_("order not found")) from error


def list_payable_orders(*, buyer: User, at: datetime) -> list[Order]:
    """The buyer's orders still waiting for payment before their deadline, newest first:
    their items are reserved there, not in the cart (ADR 0006, "Declined is not the end")."""
    return list(
        Order.objects.filter(
            buyer=buyer, status=Order.Status.PENDING_PAYMENT, payment_deadline__gt=at
        ).order_by("-placed_at", "-id")[:5]
    )


def get_cancellation_note(*, order: Order) -> str:
    """Why an order was cancelled as a whole (the note of its move to cancelled); empty for
    an order that is not cancelled."""
    if order.status != Order.Status.CANCELLED:
        return ""
    note = (
        OrderEvent.objects.filter(order=order, seller_order=None, to_status=Order.Status.CANCELLED)
        .order_by("-id")
        .values_list("note", flat=True)
        .first()
    )
    return note or ""


def get_buyer_seller_order(*, buyer: User, public_id: str) -> SellerOrder:
    try:
        return SellerOrder.objects.select_related("order").get(
            order__buyer=buyer, public_id=public_id
        )
    except SellerOrder.DoesNotExist as error:
        raise NotFound(_("order not found")) from error


def list_seller_orders(*, seller: Seller, status: str | None = None) -> QuerySet[SellerOrder]:
    seller_orders = SellerOrder.objects.filter(seller=seller).select_related("order")
    if status:
        seller_orders = seller_orders.filter(status=status)
    return seller_orders.order_by("-created_at", "-id")


def list_seller_order_rows(*, seller: Seller, status: str | None = None) -> QuerySet[SellerOrder]:
    """The seller's order list with each row's item count, still one query per page."""
    item_count = (
        OrderLine.objects.filter(seller_order=OuterRef("pk"))
        .values("seller_order")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    return list_seller_orders(seller=seller, status=status).annotate(
        item_count=Coalesce(Subquery(item_count), 0)
    )


def count_seller_orders_by_status(*, seller: Seller) -> dict[str, int]:
    """Every status of the seller order machine, with zero for those the seller has none in."""
    counts = dict.fromkeys(SellerOrder.Status.values, 0)
    rows = (
        SellerOrder.objects.filter(seller=seller)
        .values("status")
        .annotate(count=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[row["status"]] = row["count"]
    return counts


def list_seller_orders_to_ship(*, seller: Seller, limit: int = 20) -> list[SellerOrder]:
    """Paid seller orders not yet shipped, the most urgent ship-by deadline first."""
    return list(
        SellerOrder.objects.filter(seller=seller, status=SellerOrder.Status.AWAITING_SHIPMENT)
        .select_related("order")
        .order_by("ship_by", "id")[:limit]
    )


def count_overdue_seller_orders(*, seller: Seller, moment: datetime) -> int:
    return SellerOrder.objects.filter(
        seller=seller, status=SellerOrder.Status.AWAITING_SHIPMENT, ship_by__lt=moment
    ).count()


# A seller order earns revenue once its order is paid, unless it was cancelled afterwards.
EARNING_STATUSES = (
    SellerOrder.Status.AWAITING_SHIPMENT,
    SellerOrder.Status.SHIPPED,
    SellerOrder.Status.DELIVERED,
)


def seller_revenue(*, seller: Seller, since: datetime) -> MoneyTotals:
    """Totals of the seller orders paid since the given moment, one per currency."""
    rows = (
        SellerOrder.objects.filter(
            seller=seller, status__in=EARNING_STATUSES, order__paid_at__gte=since
        )
        .values("currency")
        .annotate(revenue=Sum("total_amount"))
        .order_by("currency")
    )
    return MoneyTotals(Money(row["revenue"], row["currency"]) for row in rows)


def get_seller_order(*, seller: Seller, public_id: str) -> SellerOrder:
    try:
        return (
            SellerOrder.objects.select_related("order", "order__buyer", "customs")
            .prefetch_related(
                Prefetch("lines", queryset=OrderLine.objects.order_by("id")),
                Prefetch("events", queryset=OrderEvent.objects.select_related("actor")),
            )
            .get(seller=seller, public_id=public_id)
        )
    except SellerOrder.DoesNotExist as error:
        raise NotFound(_("order not found")) from error


def list_expired_unpaid_order_ids(*, before) -> list[int]:  # type: ignore[no-untyped-def]
    return list(
        Order.objects.filter(
            status=Order.Status.PENDING_PAYMENT, payment_deadline__lt=before
        ).values_list("id", flat=True)
    )


@dataclass(frozen=True)
class DailySales:
    day: date
    totals: MoneyTotals
    orders: int


def seller_daily_sales(*, seller: Seller, days: int, today: date) -> list[DailySales]:
    """Revenue and order count per day (the buyer's payment day, in the marketplace's time
    zone) for the last `days` days up to `today`, every day present, in one query."""
    first = today - timedelta(days=days - 1)
    zone = timezone.get_current_timezone()
    rows = (
        SellerOrder.objects.filter(
            seller=seller,
            status__in=EARNING_STATUSES,
            order__paid_at__gte=datetime.combine(first, time.min, tzinfo=zone),
        )
        .annotate(day=TruncDate("order__paid_at", tzinfo=zone))
        .values("day", "currency")
        .annotate(revenue=Sum("total_amount"), orders=Count("id"))
        .order_by("day", "currency")
    )
    by_day: dict[date, DailySales] = {}
    for row in rows:
        entry = by_day.setdefault(row["day"], DailySales(row["day"], MoneyTotals(), 0))
        entry.totals.add(Money(row["revenue"], row["currency"]))
        by_day[row["day"]] = DailySales(entry.day, entry.totals, entry.orders + row["orders"])
    return [
        by_day.get(day, DailySales(day, MoneyTotals(), 0))
        for day in (first + timedelta(days=offset) for offset in range(days))
    ]


@dataclass(frozen=True)
class MarketplaceActivity:
    paid_orders: int
    gmv: MoneyTotals
    awaiting_payment: int
    overdue_shipments: int


def marketplace_activity(*, since: datetime, moment: datetime) -> MarketplaceActivity:
    """The operator's pulse: orders paid since `since`, their value per currency (GMV: goods
    and delivery of seller orders still earning), unpaid orders, shipments past their date."""
    earning = SellerOrder.objects.filter(status__in=EARNING_STATUSES, order__paid_at__gte=since)
    gmv = MoneyTotals(
        Money(row["value"], row["currency"])
        for row in earning.values("currency").annotate(value=Sum("total_amount")).order_by()
    )
    return MarketplaceActivity(
        paid_orders=Order.objects.filter(paid_at__gte=since).count(),
        gmv=gmv,
        awaiting_payment=Order.objects.filter(status=Order.Status.PENDING_PAYMENT).count(),
        overdue_shipments=SellerOrder.objects.filter(
            status=SellerOrder.Status.AWAITING_SHIPMENT, ship_by__lt=moment
        ).count(),
    )
