"""The customs declaration of a cross-border parcel (UPU forms CN22 and CN23): its contents
from the order lines in the parcel and the catalog's customs details, and which form it is.

CN22 goes with items up to 300 SDR, CN23 above. The parcel's value is converted into
roubles at the CBR rate of its shipping day (customs.selectors.customs_rate: the rate
customs itself uses, refused when missing or stale) and into SDR at the CBR's roubles per
SDR of that day (sdr.sdr_rate_on). Rounding: SDR to the hundredth, half up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from caravan.customs.selectors import CustomsRate, customs_rate
from caravan.kernel.countries import country_name
from caravan.kernel.errors import ValidationFailed
from caravan.kernel.money import Money

from .models import Parcel
from .routes import ships_from
from .sdr import sdr_rate_on

CN22_LIMIT_SDR = Decimal(300)
CATEGORY = "sale of goods"


@dataclass(frozen=True)
class DeclarationLine:
    description: str
    quantity: int
    hs_code: str
    origin_country: str
    net_weight_grams: int | None  # for the quantity; None when the seller has not given it
    value: Money  # for the quantity, in the seller's currency


@dataclass(frozen=True)
class Party:
    name: str
    street: str
    city: str
    postal_code: str
    country: str
    phone: str
    # The state, province or oblast (Address.region): a US or Chinese address needs it.
    region: str = ""


@dataclass(frozen=True)
class Declaration:
    form: str  # "CN22" or "CN23"
    category: str
    parcel: Parcel
    lines: list[DeclarationLine]
    total_value: Money
    total_net_weight_grams: int | None
    value_in_rub: Money
    value_in_sdr: Decimal
    rub_rate: CustomsRate
    rub_per_sdr: Decimal
    sdr_rate_date: date
    sdr_rate_source: str
    sender: Party
    recipient: Party
    # What the seller should complete before printing (an empty HS code, no weight).
    gaps: list[str]

    @property
    def rub_rate_text(self) -> str:
        """The rate as published (11.0542), not as stored (11.05420000)."""
        return format(self.rub_rate.rate.normalize(), "f")


def build_declaration(parcel: Parcel) -> Declaration:
    """The caller has fetched the parcel through a scoped selector."""
    seller_order = parcel.seller_order
    order = seller_order.order
    seller = seller_order.seller
    origin = ships_from(seller_order)
    if origin == order.ship_to_country:
        raise ValidationFailed(
            _("This parcel does not cross a border: it needs no customs declaration."),
            code="declaration_not_needed",
        )
    currency = seller_order.currency
    lines: list[DeclarationLine] = []
    gaps: list[str] = []
    for item in parcel.lines.select_related("order_line__offer__variant__product"):
        order_line = item.order_line
        offer = order_line.offer
        variant = offer.variant if offer is not None else None
        product = variant.product if variant is not None else None
        weight = variant.net_weight_grams if variant is not None else None
        hs_code = product.hs_code if product is not None else ""
        description = order_line.product_name_en or order_line.product_name_ru
        if order_line.variant_label_en:
            description = f"{description}, {order_line.variant_label_en}"
        if not hs_code:
            gaps.append(_("%(item)s has no HS code.") % {"item": description})
        if weight is None:
            gaps.append(_("%(item)s has no net weight.") % {"item": description})
        lines.append(
            DeclarationLine(
                description=description,
                quantity=item.quantity,
                hs_code=hs_code,
                origin_country=(product.origin_country if product is not None else "") or "",
                net_weight_grams=weight * item.quantity if weight is not None else None,
                value=(Money(order_line.unit_price_amount, currency) * item.quantity).rounded(),
            )
        )
    total = sum((line.value for line in lines), Money.zero(currency))
    weights = [line.net_weight_grams for line in lines]
    day = timezone.localdate(parcel.shipped_at)
    rub_rate = customs_rate(
        base=currency, quote="RUB", source=settings.CUSTOMS_DECLARATION_RATE_SOURCE, on=day
    )
    value_in_rub = Money(total.amount * rub_rate.rate, "RUB").rounded()
    sdr = sdr_rate_on(day)
    value_in_sdr = (value_in_rub.amount / sdr.rub_per_sdr).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return Declaration(
        form="CN22" if value_in_sdr <= CN22_LIMIT_SDR else "CN23",
        category=CATEGORY,
        parcel=parcel,
        lines=lines,
        total_value=total,
        total_net_weight_grams=sum(w for w in weights if w is not None)
        if all(w is not None for w in weights)
        else None,
        value_in_rub=value_in_rub,
        value_in_sdr=value_in_sdr,
        rub_rate=rub_rate,
        rub_per_sdr=sdr.rub_per_sdr,
        sdr_rate_date=sdr.rate_date,
        sdr_rate_source=sdr.source,
        sender=Party(
            name=seller.legal_name or seller.name,
            street=seller.return_street,
            city=seller.return_city,
            postal_code=seller.return_postal_code,
            country=str(country_name(seller.return_country or origin)),
            phone=seller.phone,
        ),
        recipient=Party(
            name=order.ship_to_name,
            street=order.ship_to_street,
            city=order.ship_to_city,
            postal_code=order.ship_to_postal_code,
            country=str(country_name(order.ship_to_country)),
            phone=order.ship_to_phone,
            region=order.ship_to_region,
        ),
        gaps=gaps,
    )
