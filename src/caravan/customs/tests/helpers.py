"""Parcels and rates for the customs tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from caravan.customs.landed import LandedCost, ParcelLine, landed_cost
from caravan.customs.services import load_customs_rules
from caravan.fx.services import record_rate
from caravan.kernel.money import Money

LAST_DAY_OLD_EAEU = date(2026, 6, 30)
FIRST_DAY_NEW_RULES = date(2026, 7, 1)


def rules_and_rates(*, on: date) -> None:
    """The shipped rules, and rates that make the sums easy: 1 EUR = 100 RUB (CBR) and
    1 EUR = 8 CNY (ECB), both published for `on`."""
    load_customs_rules()
    record_rate(base="EUR", quote="RUB", rate=Decimal("100"), source="cbr", rate_date=on)
    record_rate(base="EUR", quote="CNY", rate=Decimal("8"), source="ecb", rate_date=on)


def line(
    amount: str,
    currency: str,
    *,
    hs_code: str = "610910",
    quantity: int = 1,
    grams: int = 1000,
    origin: str = "CN",
) -> ParcelLine:
    return ParcelLine(
        hs_code=hs_code,
        origin_country=origin,
        unit_value=Money(amount, currency),
        quantity=quantity,
        net_weight_grams=grams,
    )


def quote(
    *lines: ParcelLine,
    delivery: str = "0",
    destination: str,
    on: date,
    ships_from: str = "CN",
) -> LandedCost:
    return landed_cost(
        lines=list(lines),
        delivery=Money(delivery, lines[0].unit_value.currency),
        ships_from=ships_from,
        destination=destination,
        on=on,
    )
