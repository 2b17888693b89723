"""Customs writes and use cases: loading the shipped import rules and VAT rates
(customs.rule_data), and assessing the parcels of an order at placement."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models, transaction

from caravan.catalog.models import Product, Variant
from caravan.kernel.errors import NotFound
from caravan.kernel.money import Money

from . import rule_data
from .landed import LandedCost, landed_cost, no_border, parcel_line
from .models import Collection, ImportRule, VatRate
from .selectors import CustomsRate, customs_rate, rules_in_force
from .territories import same_customs_territory


@dataclass(frozen=True)
class LoadResult:
    rules: int
    vat_rates: int


def upsert_rows(
    model: type[models.Model], rows: Iterable[dict[str, Any]], *, keys: tuple[str, ...]
) -> int:
    """Create or update each row by its natural key. Shared with the data migration, which
    passes its historical model."""
    # A historical model may predate fields later added to rule_data: those are left out.
    known = {field.name for field in model._meta.get_fields()}
    count = 0
    for row in rows:
        row = {name: value for name, value in row.items() if name in known}
        lookup = {key: row[key] for key in keys}
        defaults = {name: value for name, value in row.items() if name not in keys}
        model._default_manager.update_or_create(defaults=defaults, **lookup)
        count += 1
    return count


@transaction.atomic
def load_customs_rules() -> LoadResult:
    """The shipped rules and rates, again: rows are found by their natural key and brought
    in line with rule_data; rows the operator added stay as they are."""
    return LoadResult(
        rules=upsert_rows(
            ImportRule,
            rule_data.IMPORT_RULES,
            keys=("destination", "regime", "effective_from"),
        ),
        vat_rates=upsert_rows(VatRate, rule_data.VAT_RATES, keys=("country", "effective_from")),
    )


@dataclass(frozen=True)
class GoodsLine:
    """One line of a seller order as the buyer pays it: the unit price in the buyer
    currency (what customs values), the product's classification and the variant's net
    weight."""

    variant: Variant
    product: Product
    unit_price: Money
    quantity: int


# Assessment failures that, under rules collecting only at delivery, leave the parcel's
# customs unknown rather than refuse the sale.
UNKNOWN_AT_DELIVERY = frozenset({"duty_rate_missing", "rate_missing", "rate_stale"})


class _Memo:
    """The rules and customs rates read once per placement, however many seller orders
    cross a border (a checkout's statements are budgeted, ADR 0006)."""

    def __init__(self) -> None:
        self.rules: dict[tuple[str, date], list[ImportRule]] = {}
        self.rates: dict[tuple[str, str, str, date], CustomsRate] = {}

    def rules_in_force(self, *, country: str, on: date) -> list[ImportRule]:
        key = (country, on)
        if key not in self.rules:
            self.rules[key] = rules_in_force(country=country, on=on)
        return self.rules[key]

    def customs_rate(self, *, base: str, quote: str, source: str, on: date) -> CustomsRate:
        key = (base, quote, source, on)
        if key not in self.rates:
            self.rates[key] = customs_rate(base=base, quote=quote, source=source, on=on)
        return self.rates[key]


@dataclass(frozen=True)
class SellerOrderParcel:
    lines: Sequence[GoodsLine]
    delivery: Money
    ships_from: str


def assess_seller_orders(
    parcels: Sequence[SellerOrderParcel], *, destination: str, on: date
) -> list[LandedCost]:
    """The landed cost of each seller order's parcel to a private buyer in `destination` on
    `on`, assessed in the buyer currency: customs values goods at the price the buyer pays,
    and the thresholds convert into that currency at the rate the rule prescribes (ADR
    0010). A parcel that crosses no customs border reads nothing and owes nothing; a
    cross-border one whose goods lack an HS code or a net weight is refused
    (`customs_details_missing`), as is one whose rule's rate is missing or stale, or whose
    value no rule's band covers; a destination with no rule in force at all is `is_unknown`
    (nothing collected, the buyer told the carrier may collect duties)."""
    memo = _Memo()
    costs: list[LandedCost] = []
    for parcel in parcels:
        goods = sum(
            (line.unit_price * line.quantity for line in parcel.lines),
            Money.zero(parcel.delivery.currency),
        )
        if same_customs_territory(parcel.ships_from, destination):
            costs.append(no_border(goods=goods, delivery=parcel.delivery))
        elif not memo.rules_in_force(country=destination, on=on):
            # No rule for the destination at all (none shipped or configured, China for one):
            # not refused; the buyer is told duties, if any, are collected at delivery.
            costs.append(no_border(goods=goods, delivery=parcel.delivery, unknown=True))
        else:
            costs.append(
                _assess_or_unknown(
                    parcel,
                    goods=goods,
                    destination=destination,
                    on=on,
                    memo=memo,
                )
            )
    return costs


def _only_at_delivery(rules: Sequence[ImportRule], code: str) -> bool:
    """Whether a failed assessment concerns only money the carrier collects (DAP), which we
    neither charge nor pay: a missing tariff line under rules that take duty at delivery, or
    a missing rate when every rule in force takes duty and VAT at delivery."""
    if code == "duty_rate_missing":
        return all(
            not Collection(rule.duty_collection).is_paid_now
            for rule in rules
            if rule.duty_rate is None
        )
    return all(
        not Collection(rule.duty_collection).is_paid_now
        and not Collection(rule.vat_collection).is_paid_now
        for rule in rules
    )


def _assess_or_unknown(
    parcel: SellerOrderParcel, *, goods: Money, destination: str, on: date, memo: _Memo
) -> LandedCost:
    try:
        return landed_cost(
            lines=[
                parcel_line(
                    product=line.product,
                    variant=line.variant,
                    unit_value=line.unit_price,
                    quantity=line.quantity,
                )
                for line in parcel.lines
            ],
            delivery=parcel.delivery,
            ships_from=parcel.ships_from,
            destination=destination,
            on=on,
            rules_reader=memo.rules_in_force,
            rate_reader=memo.customs_rate,
        )
    except NotFound as error:
        rules = memo.rules_in_force(country=destination, on=on)
        if error.code in UNKNOWN_AT_DELIVERY and _only_at_delivery(rules, error.code):
            # A US parcel (no tariff lines shipped, or paid in roubles, for which the ECB
            # publishes no rate): what the carrier will take is not known, nothing is ours
            # to collect, so the sale goes ahead and the buyer is told (ADR 0010).
            return no_border(goods=goods, delivery=parcel.delivery, unknown=True)
        raise
