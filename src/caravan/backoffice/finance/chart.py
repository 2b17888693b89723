"""The back office's money chart: GMV, commission and escrow held per day, as three small
server-rendered SVG bar charts in one currency, each on its own scale. No script."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from caravan.kernel.money import Money

from .selectors import DailyFinance

WIDTH = 720
HEIGHT = 110
LABEL_SPACE = 18
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
class Panel:
    name: str  # gmv, commission, escrow: the CSS class of its bars
    title: str
    summary: str
    bars: list[Bar]


@dataclass(frozen=True)
class FinanceChart:
    currency: str
    panels: list[Panel]
    width: int
    height: int
    baseline: int
    has_data: bool


def _bars(days: DailyFinance, amounts: list[Decimal]) -> list[Bar]:
    peak = max((abs(amount) for amount in amounts), default=Decimal(0))
    plot_height = HEIGHT - LABEL_SPACE
    slot = WIDTH // max(len(days.days), 1)
    bars = []
    for index, (day, amount) in enumerate(zip(days.days, amounts, strict=True)):
        # A day that took commission back (refunds after release) shows as an empty bar.
        height = int(max(amount, Decimal(0)) / peak * (plot_height - 4)) if peak else 0
        if amount > 0 and height < 2:
            height = 2
        bars.append(
            Bar(
                x=index * slot + BAR_GAP // 2,
                y=plot_height - height,
                width=max(slot - BAR_GAP, 1),
                height=height,
                title=f"{date_format(day, 'MONTH_DAY_FORMAT')}: {Money(amount, days.currency)}",
                label=date_format(day, "MONTH_DAY_FORMAT") if index % 7 == 0 else "",
            )
        )
    return bars


def build_finance_chart(days: DailyFinance) -> FinanceChart:
    currency = days.currency

    def total(amounts: list[Decimal]) -> Money:
        return Money(sum(amounts, Decimal(0)), currency)

    now_held = Money(days.escrow[-1] if days.escrow else Decimal(0), currency)
    panels = [
        Panel(
            "gmv",
            str(_("GMV charged to buyers")),
            str(_("%(total)s in %(days)d days"))
            % {"total": total(days.gmv), "days": len(days.days)},
            _bars(days, days.gmv),
        ),
        Panel(
            "commission",
            str(_("Commission earned")),
            str(_("%(total)s in %(days)d days"))
            % {"total": total(days.commission), "days": len(days.days)},
            _bars(days, days.commission),
        ),
        Panel(
            "escrow",
            str(_("Escrow held at the end of the day")),
            str(_("%(held)s now")) % {"held": now_held},
            _bars(days, days.escrow),
        ),
    ]
    has_data = any(
        any(amount for amount in series) for series in (days.gmv, days.commission, days.escrow)
    )
    return FinanceChart(
        currency=currency,
        panels=panels,
        width=WIDTH,
        height=HEIGHT,
        baseline=HEIGHT - LABEL_SPACE,
        has_data=has_data,
    )
