"""The seller's home: what to ship next, how orders stand, revenue and stock to refill."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from caravan.kernel.clock import now
from caravan.kernel.money import Money
from caravan.offers.selectors import LOW_STOCK_THRESHOLD, list_low_stock_offers
from caravan.orders.models import SellerOrder
from caravan.orders.selectors import (
    count_overdue_seller_orders,
    count_seller_orders_by_status,
    list_seller_orders_to_ship,
    seller_daily_sales,
    seller_revenue,
)
from caravan.shipping.selectors import seller_has_active_method

from ..access import Permission, SellerRequest, forbidden, seller_view
from ..charts import build_sales_chart

CHART_DAYS = 30


@seller_view(None)
def dashboard(request: SellerRequest) -> HttpResponse:
    access = request.seller_access
    if not access.can(Permission.VIEW_DASHBOARD):
        # Catalog and fulfilment staff start where their work is.
        landing = access.landing_page()
        if landing is None:
            return forbidden(request, access)
        return redirect(landing)
    seller = access.seller
    moment = now()
    start_of_today = timezone.localtime(moment).replace(hour=0, minute=0, second=0, microsecond=0)
    counts = count_seller_orders_by_status(seller=seller)
    state_counts = [
        (status, label, counts.get(status, 0)) for status, label in SellerOrder.Status.choices
    ]
    return render(
        request,
        "seller_portal/dashboard.html",
        {
            "section": "dashboard",
            "to_ship": list_seller_orders_to_ship(seller=seller),
            "state_counts": state_counts,
            "to_ship_count": counts[SellerOrder.Status.AWAITING_SHIPMENT],
            "overdue_count": count_overdue_seller_orders(seller=seller, moment=moment),
            # One currency per seller today; MoneyTotals keeps it right if that ever changes.
            "revenue_today": seller_revenue(seller=seller, since=start_of_today).as_list()
            or [Money.zero(seller.currency)],
            "revenue_30_days": seller_revenue(
                seller=seller, since=moment - timedelta(days=30)
            ).as_list()
            or [Money.zero(seller.currency)],
            "low_stock": list_low_stock_offers(seller=seller),
            # Without one, none of the shop's offers can be bought.
            "no_active_delivery": not seller_has_active_method(seller=seller),
            "low_stock_threshold": LOW_STOCK_THRESHOLD,
            "chart": build_sales_chart(
                days=seller_daily_sales(
                    seller=seller, days=CHART_DAYS, today=timezone.localdate(moment)
                ),
                currency=seller.currency,
            ),
        },
    )
