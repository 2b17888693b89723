"""The customs declaration of a cross-border parcel (UPU forms CN22 and CN23): its contents
from the order lines in the parcel and the catalog's customs details, and which form it is.

CN22 goes with items up to 300 SDR, CN23 above. The parcel's value is converted into
roubles at the CBR rate of its shipping day (customs.selectors.customs_rate: the rate
customs itself uses, refused when missing or stale) and into SDR at the CBR's roubles per
SDR of that day (sdr.sdr_rate_on). Rounding: SDR to the hundredth, half up.

The form's "postal charges/fees" are the parcel's share of the seller order's delivery
charge (postal_charges). The first print without gaps freezes what the catalog gave (HS
code, origin, net weight) and that share on the parcel (declare_parcel): a reprint after
the seller edits the product prints the same form. The names come from the order lines,
which froze them at placement."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from caravan.customs.selectors import CustomsRate, customs_rate
from caravan.kernel.clock import now
from caravan.kernel.countries import country_name
from caravan.kernel.errors import ValidationFailed
from caravan.kernel.money import Money
from caravan.orders.models import SellerOrder
from caravan.sellers.models import Seller

from .models import Parcel, ParcelLine
from .routes import ships_from
from .sdr import sdr_rate_on
from .selectors import get_seller_parcel

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
    # The parcel's share of the seller order's delivery charge (postal_charges).
    postal_charges: Money
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
        hs_code, origin_country, weight = _customs_details(item, frozen=parcel.declared_at)
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
                origin_country=origin_country,
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
        postal_charges=(
            Money(parcel.declared_postal_charges_amount, currency)
            if parcel.declared_postal_charges_amount is not None
            else postal_charges(parcel)
        ),
        total_net_weight_grams=sum(w for w in weights if w is not None)
        if all(w is not None for w in weights)
        else None,
        value_in_rub=value_in_rub,
        value_in_sdr=value_in_sdr,
        rub_rate=rub_rate,
        rub_per_sdr=sdr.rub_per_sdr,
        sdr_rate_date=sdr.rate_date,
        sdr_rate_source=sdr.source,
        sender=(
            Party(**parcel.declared_sender)
            if parcel.declared_at is not None and parcel.declared_sender
            else Party(
                name=seller.legal_name or seller.name,
                street=seller.return_street,
                city=seller.return_city,
                postal_code=seller.return_postal_code,
                country=_english_country(seller.return_country or origin),
                phone=seller.phone,
            )
        ),
        recipient=Party(
            name=order.ship_to_name,
            street=order.ship_to_street,
            city=order.ship_to_city,
            postal_code=order.ship_to_postal_code,
            country=_english_country(order.ship_to_country),
            phone=order.ship_to_phone,
            region=order.ship_to_region,
        ),
        gaps=gaps,
    )


def _english_country(code: str) -> str:
    # The form is in English whatever the seller's language (parcels.pdf): "China", not "Китай".
    with translation.override("en"):
        return str(country_name(code))


def _customs_details(item: ParcelLine, *, frozen: object) -> tuple[str, str, int | None]:
    """(HS code, origin, net grams per unit): as frozen at the first print, else the
    catalog's now."""
    if frozen is not None:
        return (
            item.declared_hs_code,
            item.declared_origin_country,
            item.declared_unit_net_weight_grams,
        )
    offer = item.order_line.offer
    variant = offer.variant if offer is not None else None
    product = variant.product if variant is not None else None
    if product is None or variant is None:
        return "", "", None
    return product.hs_code, product.origin_country or "", variant.net_weight_grams


def postal_charges(parcel: Parcel) -> Money:
    """The parcel's share of its seller order's delivery charge, in that order's currency.

    The rule: the charge is shared in proportion to the goods' value (order-line prices) the
    parcels carry, parcels taken in shipping order, each getting the rounded share of the
    value shipped up to and including it less the rounded share before it. A parcel's share
    depends only on itself and the parcels shipped before it, so it never changes when a
    later one ships, and the shares of a fully shipped order add up to the charge exactly."""
    seller_order: SellerOrder = parcel.seller_order
    currency = seller_order.currency
    charge = Money(seller_order.delivery_amount, currency)
    goods = seller_order.subtotal_amount
    if charge.amount == 0 or goods <= 0:
        return Money.zero(currency)
    shipped_before = Decimal(0)
    value = Decimal(0)
    for item in (
        ParcelLine.objects.filter(parcel__seller_order=seller_order)
        .select_related("parcel", "order_line")
        .order_by("parcel__shipped_at", "parcel_id", "id")
    ):
        line_value = item.order_line.unit_price_amount * item.quantity
        if item.parcel_id == parcel.id:
            value += line_value
        elif (item.parcel.shipped_at, item.parcel_id) < (parcel.shipped_at, parcel.id):
            shipped_before += line_value
    before = Money(charge.amount * shipped_before / goods, currency).rounded()
    through = Money(charge.amount * min(shipped_before + value, goods) / goods, currency).rounded()
    return through - before


def declare_parcel(*, seller: Seller, parcel_id: int) -> Declaration:
    """The declaration to print; the first one without gaps is frozen on the parcel (one short
    transaction, the parcel locked, so two prints at once freeze once). A declaration with
    gaps is printed as it is and frozen later, once the seller has filled them in."""
    parcel = get_seller_parcel(seller=seller, parcel_id=parcel_id)
    declaration = build_declaration(parcel)
    if parcel.declared_at is not None or declaration.gaps:
        return declaration
    with transaction.atomic():
        locked = Parcel.objects.select_for_update().get(id=parcel.id)
        if locked.declared_at is not None:
            return build_declaration(get_seller_parcel(seller=seller, parcel_id=parcel_id))
        lines = list(
            locked.lines.select_related("order_line__offer__variant__product").order_by("id")
        )
        for item in lines:
            hs_code, origin_country, weight = _customs_details(item, frozen=None)
            item.declared_hs_code = hs_code
            item.declared_origin_country = origin_country
            item.declared_unit_net_weight_grams = weight
        ParcelLine.objects.bulk_update(
            lines,
            ["declared_hs_code", "declared_origin_country", "declared_unit_net_weight_grams"],
        )
        locked.declared_at = now()
        locked.declared_postal_charges_amount = declaration.postal_charges.amount
        locked.declared_sender = asdict(declaration.sender)
        locked.save(
            update_fields=["declared_at", "declared_postal_charges_amount", "declared_sender"]
        )
    # Read back as frozen: what every later print will show.
    return build_declaration(get_seller_parcel(seller=seller, parcel_id=parcel_id))
