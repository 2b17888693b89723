"""Landed cost of one parcel: goods + delivery + duties + import VAT, and who pays what when.

Rounding happens at three named points, each half-up to the parcel currency's minor unit
(docs/decisions/0010-customs.md):

1. a rule's amount converted into the parcel currency (its duty-free allowance and its value
   ceiling): `round(amount * customs rate)`;
2. the parcel's duty, once: `round(max(ad valorem, minimum per kg) + flat duty per heading)`;
3. the import VAT, once: `round(vat rate * (goods [+ delivery] + duty))`.

A figure shown in the buyer's currency goes through the fx quote's own rounding point
(fx.quotes.Quote.to_buyer), figure by figure; totals are sums of rounded figures.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from caravan.catalog.classification import hs_code_error, normalize_code
from caravan.catalog.models import Product, Variant
from caravan.fx.quotes import Quote
from caravan.kernel.errors import NotFound, ValidationFailed
from caravan.kernel.money import Money

from .models import Collection, DutyBase, ImportRule
from .selectors import (
    CustomsRate,
    customs_rate,
    match_tariff_rate,
    rules_in_force,
    tariff_rates_for,
    vat_rate_for,
)
from .territories import same_customs_territory

GRAMS_PER_KG = Decimal(1000)


@dataclass(frozen=True)
class ParcelLine:
    hs_code: str
    origin_country: str
    unit_value: Money
    quantity: int
    net_weight_grams: int  # of one unit


@dataclass(frozen=True)
class LandedCost:
    goods: Money
    delivery: Money
    duty: Money
    vat: Money
    # Who collects the duty and the VAT (customs.models.Collection); None when nothing is due
    # because the parcel crosses no customs border.
    duty_collection: str | None
    vat_collection: str | None
    rule: ImportRule | None
    # The rule's duty-free allowance in the parcel currency, and the rate it converted at.
    allowance: Money | None
    customs_rate: CustomsRate | None
    vat_rate: Decimal
    is_above_allowance: bool
    # The destination has no import rule at all (none configured for that country): what
    # is due is not known to us, and the buyer is told the carrier may collect it.
    is_unknown: bool = False

    @property
    def currency(self) -> str:
        return self.goods.currency

    @property
    def is_cross_border(self) -> bool:
        return self.rule is not None

    @property
    def total(self) -> Money:
        return self.goods + self.delivery + self.duty + self.vat

    def _is_now(self, collection: str | None) -> bool:
        return collection is None or Collection(collection).is_paid_now

    @property
    def paid_now(self) -> Money:
        """What the buyer pays at checkout (DDP part): goods, delivery, and the duties and
        taxes the marketplace or the seller collects."""
        now = self.goods + self.delivery
        if self._is_now(self.duty_collection):
            now += self.duty
        if self._is_now(self.vat_collection):
            now += self.vat
        return now

    # The names the pages share with orders.SellerOrderCustoms (one template shows both).
    @property
    def landed_total(self) -> Money:
        return self.total

    @property
    def rule_title(self) -> str:
        return self.rule.title if self.rule is not None else ""

    @property
    def duty_paid_now(self) -> bool:
        return self._is_now(self.duty_collection)

    @property
    def vat_paid_now(self) -> bool:
        return self._is_now(self.vat_collection)

    @property
    def vat_percent(self) -> Decimal:
        return (self.vat_rate * 100).normalize()

    @property
    def duty_collected(self) -> Money:
        """The duty taken with the order (DDP); zero when the carrier takes it."""
        zero = Money.zero(self.currency)
        return self.duty if self._is_now(self.duty_collection) else zero

    @property
    def vat_collected(self) -> Money:
        zero = Money.zero(self.currency)
        return self.vat if self._is_now(self.vat_collection) else zero

    @property
    def due_at_delivery(self) -> Money:
        """What the buyer pays the carrier or customs on receipt (DAP part)."""
        return self.total - self.paid_now

    def in_currency(self, quote: Quote) -> LandedCost:
        """Every figure in the quote's currency, each rounded on its own (fx's rounding
        point); the allowance and the customs rate stay as customs converted them."""
        return replace(
            self,
            goods=quote.to_buyer(self.goods),
            delivery=quote.to_buyer(self.delivery),
            duty=quote.to_buyer(self.duty),
            vat=quote.to_buyer(self.vat),
        )


def no_border(*, goods: Money, delivery: Money, unknown: bool = False) -> LandedCost:
    """A parcel inside one customs territory: goods and delivery, nothing more. With
    `unknown`, a parcel to a country no rule covers: nothing that we know of or collect."""
    zero = Money.zero(goods.currency)
    return LandedCost(
        goods, delivery, zero, zero, None, None, None, None, None, Decimal(0), False, unknown
    )


def parcel_line_for(*, variant: Variant, unit_value: Money, quantity: int) -> ParcelLine:
    """A parcel line from a catalog variant (its product's HS code and origin, its own net
    weight). A cross-border sale without them cannot be quoted: the error says what is
    missing, for the seller to fill in."""
    return parcel_line(
        product=variant.product, variant=variant, unit_value=unit_value, quantity=quantity
    )


def parcel_line(
    *, product: Product, variant: Variant, unit_value: Money, quantity: int
) -> ParcelLine:
    """As parcel_line_for, with the product already at hand (no query for it)."""
    missing = [
        str(label)
        for label, present in (
            (_("HS code"), bool(product.hs_code)),
            (_("net weight"), variant.net_weight_grams is not None),
        )
        if not present
    ]
    if missing:
        raise ValidationFailed(
            _("%(product)s lacks customs details: %(missing)s.")
            % {"product": product.name, "missing": ", ".join(missing)},
            code="customs_details_missing",
        )
    assert variant.net_weight_grams is not None
    return ParcelLine(
        hs_code=product.hs_code,
        origin_country=product.origin_country,
        unit_value=unit_value,
        quantity=quantity,
        net_weight_grams=variant.net_weight_grams,
    )


def _check_lines(lines: Sequence[ParcelLine], *, currency: str, cross_border: bool) -> None:
    if not lines:
        raise ValidationFailed(_("A parcel needs at least one line."), code="parcel_empty")
    for line in lines:
        if line.unit_value.currency != currency:
            raise ValidationFailed(
                _("Every line and the delivery charge of a parcel are in one currency."),
                code="currency_mismatch",
            )
        if line.quantity <= 0 or line.net_weight_grams <= 0 or line.unit_value.amount < 0:
            raise ValidationFailed(
                _("A parcel line needs a positive quantity and weight and a value."),
                code="parcel_line_invalid",
            )
        if cross_border and (message := hs_code_error(normalize_code(line.hs_code))):
            raise ValidationFailed(message, code="invalid_hs_code")


def _convert(amount: Decimal, rate: CustomsRate) -> Money:
    """Named rounding point 1: a rule's amount in the parcel currency."""
    return Money(amount * rate.rate, rate.quote).rounded()


RulesReader = Callable[..., list[ImportRule]]
RateReader = Callable[..., CustomsRate]


def _choose_rule(
    rules: Sequence[ImportRule], *, goods: Money, on: date, rate_reader: RateReader
) -> tuple[ImportRule, CustomsRate]:
    rates: dict[tuple[str, str], CustomsRate] = {}
    for rule in rules:
        key = (rule.currency, rule.rate_source)
        if key not in rates:
            rates[key] = rate_reader(
                base=rule.currency, quote=goods.currency, source=rule.rate_source, on=on
            )
        rate = rates[key]
        if rule.max_goods_value is None or goods <= _convert(rule.max_goods_value, rate):
            return rule, rate
    raise NotFound(
        _("No import rule covers a parcel of this value on %(day)s.") % {"day": on.isoformat()},
        code="no_import_rule",
    )


def _ad_valorem(
    rule: ImportRule, *, lines: Sequence[ParcelLine], goods: Money, base: Money
) -> Decimal:
    """The duty rate times the base (unrounded); by tariff line when the rule has no single
    rate, each line's rate weighted by its share of the goods."""
    if rule.duty_rate is not None:
        return base.amount * rule.duty_rate
    if goods.is_zero:
        return Decimal(0)
    tariff = tariff_rates_for(rule=rule)
    weighted = Decimal(0)
    for line in lines:
        hs_code = normalize_code(line.hs_code)
        rate = match_tariff_rate(tariff, hs_code=hs_code, origin_country=line.origin_country)
        if rate is None:
            raise NotFound(
                _(
                    "No duty rate is configured for HS %(hs_code)s from %(origin)s under "
                    "%(rule)s: the duty depends on the tariff line."
                )
                % {"hs_code": hs_code, "origin": line.origin_country or "?", "rule": rule.title},
                code="duty_rate_missing",
            )
        weighted += line.unit_value.amount * line.quantity * rate.rate
    return weighted * base.amount / goods.amount


def landed_cost(
    *,
    lines: Sequence[ParcelLine],
    delivery: Money,
    ships_from: str,
    destination: str,
    on: date,
    rules_reader: RulesReader = rules_in_force,
    rate_reader: RateReader = customs_rate,
) -> LandedCost:
    """The landed cost of one parcel shipped from `ships_from` to a private buyer in
    `destination` on `on`, in the currency of its lines and delivery charge. The readers
    of rules and rates may be memoised by a caller assessing several parcels at once."""
    currency = delivery.currency
    cross_border = not same_customs_territory(ships_from, destination)
    _check_lines(lines, currency=currency, cross_border=cross_border)
    goods = sum((line.unit_value * line.quantity for line in lines), Money.zero(currency))
    zero = Money.zero(currency)
    if not cross_border:
        return no_border(goods=goods, delivery=delivery)
    rules = rules_reader(country=destination, on=on)
    if not rules:
        raise NotFound(
            _("No import rule is configured for %(country)s on %(day)s.")
            % {"country": destination, "day": on.isoformat()},
            code="no_import_rule",
        )
    rule, rate = _choose_rule(rules, goods=goods, on=on, rate_reader=rate_reader)
    allowance = _convert(rule.duty_free_value, rate)
    weight_grams = sum(line.net_weight_grams * line.quantity for line in lines)
    free_weight = rule.duty_free_weight_grams
    above_weight = free_weight is not None and weight_grams > free_weight
    is_above = goods > allowance or above_weight
    duty_amount = Decimal(0)
    if is_above:
        if rule.duty_base == DutyBase.WHOLE:
            value_base, weight_base = goods, weight_grams
        else:
            value_base = goods - allowance if goods > allowance else zero
            weight_base = weight_grams - free_weight if above_weight and free_weight else 0
        ad_valorem = _ad_valorem(rule, lines=lines, goods=goods, base=value_base)
        minimum = rule.duty_minimum_per_kg * Decimal(weight_base) / GRAMS_PER_KG * rate.rate
        duty_amount = max(ad_valorem, minimum)
    headings = {normalize_code(line.hs_code)[:6] for line in lines}
    duty_amount += rule.duty_per_heading * len(headings) * rate.rate
    duty = Money(duty_amount, currency).rounded()  # named rounding point 2
    vat, vat_rate = zero, Decimal(0)
    if is_above or not rule.vat_above_allowance_only:
        vat_rate = (
            rule.vat_rate
            if rule.vat_rate is not None
            else vat_rate_for(country=destination, on=on).rate
        )
        vat_base = goods + duty + (delivery if rule.vat_includes_delivery else zero)
        vat = Money(vat_base.amount * vat_rate, currency).rounded()  # named rounding point 3
    return LandedCost(
        goods=goods,
        delivery=delivery,
        duty=duty,
        vat=vat,
        duty_collection=rule.duty_collection,
        vat_collection=rule.vat_collection,
        rule=rule,
        allowance=allowance,
        customs_rate=rate,
        vat_rate=vat_rate,
        is_above_allowance=is_above,
    )
