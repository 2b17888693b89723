"""A server-rendered SVG bar chart of daily sales: no chart library, no script."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format

from caravan.kernel.money import Money
from caravan.orders.selectors import DailySales

WIDTH = 720
HEIGHT = 180
LABEL_SPACE = 22
BAR_GAP = 2


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    title: str
    label: str


@dataclass(frozen=True)
class SalesChart:
    bars: list[Bar]
    width: int
    height: int
    baseline: int
    peak: Money
    total: Money
    orders: int


def build_sales_chart(*, days: list[DailySales], currency: str) -> SalesChart:
    """Bars for the seller's own currency; a day label under every seventh bar."""
    amounts = [day.totals.get(currency).amount for day in days]
    peak = max(amounts, default=Decimal(0))
    plot_height = HEIGHT - LABEL_SPACE
    slot = WIDTH // max(len(days), 1)
    bars = []
    for index, (day, amount) in enumerate(zip(days, amounts, strict=True)):
        height = int(amount / peak * (plot_height - 4)) if peak else 0
        if amount and height < 2:
            height = 2  # a sale is always visible
        money = Money(amount, currency)
        bars.append(
            Bar(
                x=index * slot + BAR_GAP // 2,
                y=plot_height - height,
                width=max(slot - BAR_GAP, 1),
                height=height,
                title=f"{date_format(day.day, 'MONTH_DAY_FORMAT')}: {money} ({day.orders})",
                label=date_format(day.day, "MONTH_DAY_FORMAT") if index % 7 == 0 else "",
            )
        )
    return SalesChart(
        bars=bars,
        width=WIDTH,
        height=HEIGHT,
        baseline=plot_height,
        peak=Money(peak, currency),
        total=Money(sum(amounts, Decimal(0)), currency),
        orders=sum(day.orders for day in days),
    )
