"""Customs at placement: each seller order's parcel assessed in the buyer currency and its
landed cost frozen on the order (docs/decisions/0010-customs.md).

`create_order` makes one call, `assess_parcels`, and stores what `customs_records` builds;
the charge adds the duty and VAT collected at checkout (DDP) to the seller orders' totals.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from caravan.customs.landed import LandedCost
from caravan.customs.models import Collection, ImportRule
from caravan.customs.services import GoodsLine, SellerOrderParcel, assess_seller_orders
from caravan.kernel.money import Money

from .models import OrderLine, SellerOrder, SellerOrderCustoms

# The rule's fields that decide a duty or a tax, copied onto the order as text.
RULE_TERMS = (
    "currency",
    "rate_source",
    "max_goods_value",
    "duty_free_value",
    "duty_free_weight_grams",
    "duty_base",
    "duty_rate",
    "duty_minimum_per_kg",
    "duty_per_heading",
    "vat_rate",
    "vat_above_allowance_only",
    "vat_includes_delivery",
    "effective_from",
    "effective_to",
)


def assess_parcels(
    parcels: Sequence[tuple[SellerOrder, Sequence[OrderLine]]], *, destination: str, on: date
) -> list[LandedCost]:
    """The landed cost of each (seller order, its lines) not yet saved, in the buyer
    currency: goods at the buyer's unit prices, the buyer's delivery charge."""
    return assess_seller_orders(
        [
            SellerOrderParcel(
                lines=[
                    GoodsLine(
                        variant=line.offer.variant,
                        product=line.offer.product,
                        unit_price=Money(line.buyer_unit_price_amount, seller_order.buyer_currency),
                        quantity=line.quantity,
                    )
                    for line in lines
                    if line.offer is not None
                ],
                delivery=seller_order.buyer_delivery,
                ships_from=seller_order.seller.country,
            )
            for seller_order, lines in parcels
        ],
        destination=destination,
        on=on,
    )


def collected_at_checkout(landed: LandedCost) -> Money:
    """The duty and VAT the buyer pays with the order (DDP), on top of goods and delivery."""
    return landed.paid_now - landed.goods - landed.delivery


def _regime(*, duty_collection: str, vat_collection: str) -> str:
    """By who collects, not by what is due: a parcel under the allowance owes nothing but
    its rule still says where duty and VAT would be paid."""
    duty_now = Collection(duty_collection).is_paid_now
    vat_now = Collection(vat_collection).is_paid_now
    if duty_now and vat_now:
        return SellerOrderCustoms.Regime.DDP
    if not duty_now and not vat_now:
        return SellerOrderCustoms.Regime.DAP
    return SellerOrderCustoms.Regime.MIXED


def _parcel_lines(lines: Sequence[OrderLine]) -> list[dict[str, str | int | None]]:
    return [
        {
            "product": line.product_name_en,
            "hs_code": line.offer.product.hs_code,
            "origin": line.offer.product.origin_country,
            "quantity": line.quantity,
            "unit_value": str(line.buyer_unit_price_amount),
            "net_weight_grams": line.offer.variant.net_weight_grams,
        }
        for line in lines
        if line.offer is not None
    ]


def _terms(rule: ImportRule) -> dict[str, str | None]:
    terms: dict[str, str | None] = {}
    for name in RULE_TERMS:
        value = getattr(rule, name)
        terms[name] = None if value is None else str(value)
    return terms


def customs_record(
    *,
    seller_order: SellerOrder,
    lines: Sequence[OrderLine],
    landed: LandedCost,
    destination: str,
    on: date,
) -> SellerOrderCustoms | None:
    """The row to freeze for a saved seller order; None for a parcel inside one customs
    territory (nothing is due, nothing to explain)."""
    rule, rate, allowance = landed.rule, landed.customs_rate, landed.allowance
    if rule is None or rate is None or allowance is None:
        return None
    assert landed.duty_collection is not None and landed.vat_collection is not None
    return SellerOrderCustoms(
        seller_order=seller_order,
        ships_from=seller_order.seller.country,
        destination=destination,
        assessed_on=on,
        regime=_regime(
            duty_collection=landed.duty_collection, vat_collection=landed.vat_collection
        ),
        rule=rule,
        rule_destination=rule.destination,
        rule_regime=rule.regime,
        rule_title=rule.title,
        rule_source_title=rule.source_title,
        rule_source_url=rule.source_url,
        rule_source_date=rule.source_date,
        rule_terms=_terms(rule),
        parcel_lines=_parcel_lines(lines),
        currency=landed.currency,
        goods_amount=landed.goods.amount,
        delivery_amount=landed.delivery.amount,
        allowance_amount=allowance.amount,
        above_allowance=landed.is_above_allowance,
        duty_amount=landed.duty.amount,
        duty_collection=landed.duty_collection,
        vat_rate=landed.vat_rate,
        vat_amount=landed.vat.amount,
        vat_collection=landed.vat_collection,
        customs_rate_base=rate.base,
        customs_rate=rate.rate,
        customs_rate_source=rate.source,
        customs_rate_date=rate.rate_date,
    )


def customs_records(
    parcels: Sequence[tuple[SellerOrder, Sequence[OrderLine], LandedCost]],
    *,
    destination: str,
    on: date,
) -> list[SellerOrderCustoms]:
    """The rows to freeze for the saved seller orders that cross a customs border."""
    records = [
        customs_record(
            seller_order=seller_order, lines=lines, landed=landed, destination=destination, on=on
        )
        for seller_order, lines, landed in parcels
    ]
    return [record for record in records if record is not None]
