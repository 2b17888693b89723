"""What a product's listing row says, computed from the offers, catalog and shipping facts
as they are now (no writes: search.projection writes it).

A listing row holds what cards, facets and sorts read: the buy-box winner (offers.buybox),
the counts of buyable offers and sellers, the winner's reference and landed prices, the
fastest delivery, the facet keys (offers.facets) and whether anything of it can be bought
(offers.selectors.buyable_offer_filter, through the buy box). Two digests tell the writer
what changed: `card_signature` covers what listings show and sort by, `detail_signature`
what only the product page shows (every live offer's terms and stock, the product's own
edits) and the search document.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from caravan.catalog.models import (
    AttributeValue,
    Category,
    CategoryTranslation,
    Product,
    ProductTranslation,
)
from caravan.fx.models import ExchangeRate
from caravan.offers.buybox import BuyBox, build_buy_box
from caravan.offers.facets import AttributeFact, OfferFacts, facet_keys
from caravan.offers.models import Offer
from caravan.shipping.quotes import ShippingQuote

# The product's columns a listing row is made from.
PRODUCT_FIELDS = (
    "id",
    "public_id",
    "category_id",
    "created_at",
    "updated_at",
    "original_language",
    "name_ru",
    "name_en",
    "brand",
    "is_active",
    "is_approved",
)

# The listing row's columns listing_fields computes (bulk_update writes these).
LISTING_FIELDS = (
    "best_offer",
    "offer_count",
    "seller_count",
    "min_reference_price_amount",
    "landed_reference_amount",
    "fastest_delivery_days",
    "facet_keys",
    "is_buyable",
    "product_created_at",
    "category_id",
    "card_signature",
)


@dataclass(frozen=True)
class CatalogFacts:
    """The catalog facts facet keys need for a batch of products, and their translations
    (what the cards and pages show in other languages): three queries. The search documents
    and the autocomplete's phrases are made from the same facts (search.projection)."""

    parents: dict[int, int | None]
    attributes: dict[int, list[AttributeFact]]
    translations: dict[int, list[tuple[str, str, str]]] = field(default_factory=dict)
    # Every category (a few hundred rows), for the documents' and phrases' category names.
    categories: dict[int, Category] = field(default_factory=dict)
    # The ids of each product's attribute values, in `attributes`' order.
    attribute_ids: dict[int, list[int]] = field(default_factory=dict)
    # Every category's names in the other languages (German, Chinese: CategoryTranslation),
    # so a query in those languages finds a product by its category as by its name.
    category_translations: dict[int, list[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, product_ids: Sequence[int]) -> CatalogFacts:
        attributes: dict[int, list[AttributeFact]] = {}
        attribute_ids: dict[int, list[int]] = {}
        for value_id, product_id, variant_id, code, value_ru, value_en in (
            AttributeValue.objects.filter(product_id__in=product_ids)
            .order_by("position", "id")
            .values_list(
                "id", "product_id", "variant_id", "attribute__code", "value_ru", "value_en"
            )
        ):
            attribute_ids.setdefault(product_id, []).append(value_id)
            attributes.setdefault(product_id, []).append(
                AttributeFact(
                    code=code, value_ru=value_ru, value_en=value_en, variant_id=variant_id
                )
            )
        translations: dict[int, list[tuple[str, str, str]]] = {}
        for product_id, language, name, description in (
            ProductTranslation.objects.filter(product_id__in=product_ids)
            .order_by("language")
            .values_list("product_id", "language", "name", "description")
        ):
            translations.setdefault(product_id, []).append((language, name, description))
        categories = {
            category.id: category
            for category in Category.objects.only("id", "parent_id", "slug", "name_ru", "name_en")
        }
        category_translations: dict[int, list[str]] = {}
        for category_id, name in CategoryTranslation.objects.order_by(
            "category_id", "language"
        ).values_list("category_id", "name"):
            category_translations.setdefault(category_id, []).append(name)
        return cls(
            {category_id: category.parent_id for category_id, category in categories.items()},
            attributes,
            translations,
            categories,
            attribute_ids,
            category_translations,
        )


@dataclass(frozen=True)
class ShippingFacts:
    """The shipping facts a batch of rows needs: each offer quoted (one unit) to the
    marketplace's country, which ranks the row's buy box as a visitor who has chosen no
    country sees it, and the countries each seller delivers to (the "ships to" facet)."""

    quotes: dict[int, ShippingQuote]  # by offer id
    ships_to: dict[int, frozenset[str]]  # by seller id


def listing_fields(
    *,
    product: Product,
    offers: list[Offer],
    shipping: ShippingFacts,
    rates: dict[str, ExchangeRate],
    facts: CatalogFacts,
) -> dict[str, Any]:
    """A product's listing row from its live offers (offers.buybox.list_live_offers_by_product)."""
    buy_box = build_buy_box(offers=offers, shipping=shipping.quotes, rates=rates)
    return _fields(product=product, buy_box=buy_box, facts=facts, shipping=shipping)


def _fields(
    *, product: Product, buy_box: BuyBox, facts: CatalogFacts, shipping: ShippingFacts
) -> dict[str, Any]:
    best = buy_box.winner.offer if buy_box.winner else None
    eligible = [row for row in buy_box.ranked if row.is_eligible]
    buyable = [row.offer for row in eligible]
    # An offer that does not deliver to the marketplace's country is not eligible there, but
    # a buyer elsewhere may buy it: its facts count for the "ships to" facet.
    deliverable = [
        row.offer
        for row in buy_box.ranked
        if row.is_eligible
        or (
            not row.shipping.ships
            and row.candidate.is_active
            and row.candidate.stock_quantity >= max(1, row.candidate.min_order_quantity)
        )
    ]
    seller_count = len({offer.seller_id for offer in buyable})
    search_text = f"{product.name_ru} {product.name_en} {product.brand}".lower()
    # Nobody delivers it to the marketplace's country, but buyers elsewhere may buy it (a
    # Berlin seller shipping within the EU): the row exists, priced with its cheapest such
    # offer, and the ships-to rule (search.selectors.delivers_to) keeps it out of the
    # listings of countries it does not reach; a card is re-picked for the buyer's. A seller
    # with no delivery at all makes nothing buyable.
    abroad = [offer for offer in deliverable if shipping.ships_to.get(offer.seller_id)]
    if best is None and abroad:
        best = min(abroad, key=lambda offer: (offer.reference_price_amount, offer.id))
    # The buy box only lets a buyable offer win (offers.selectors.is_buyable_offer).
    is_buyable = best is not None
    fields: dict[str, Any] = {
        "best_offer": best,
        "offer_count": len(buyable),
        "seller_count": seller_count,
        # The winner's price, so that sorting and filtering by price agree with the
        # price the card shows.
        "min_reference_price_amount": best.reference_price_amount if best else None,
        "landed_reference_amount": (
            buy_box.winner.candidate.landed_reference_amount if buy_box.winner else None
        ),
        "fastest_delivery_days": min(
            (
                row.candidate.delivery_days
                for row in eligible
                if row.candidate.delivery_days is not None
            ),
            default=None,
        ),
        "facet_keys": facet_keys(
            category_id=product.category_id,
            parents=facts.parents,
            offers=[
                OfferFacts(
                    seller_id=offer.seller_id,
                    ships_from=offer.ships_from,
                    condition=offer.condition,
                    variant_id=offer.variant_id,
                    ships_to=shipping.ships_to.get(offer.seller_id, frozenset()),
                )
                for offer in deliverable
            ],
            attributes=facts.attributes.get(product.id, []),
        ),
        "is_buyable": is_buyable,
        "product_created_at": product.created_at,
        "category_id": product.category_id,
    }
    shown = (
        fields["facet_keys"],
        fields["fastest_delivery_days"],
        str(fields["landed_reference_amount"]),
        best.id if best else None,
        len(buyable),
        seller_count,
        is_buyable,
        search_text,
        # A translation edit re-renders the product's cards and page in every language.
        product.original_language,
        tuple(facts.translations.get(product.id, [])),
        str(best.price_amount) if best else None,
        str(best.compare_at_amount) if best else None,
        best.handling_days if best else None,
        best.ships_from if best else None,
        # The card names the seller with its flag (an operator can rename it).
        (best.seller.name, best.seller.country) if best else None,
    )
    fields["card_signature"] = digest(shown)
    return fields


def detail_facts(
    *, product: Product, offers: list[Offer], shipping: ShippingFacts | None = None
) -> tuple[object, ...]:
    """What the product page shows beyond the card: every live offer's terms, stock and
    seller's name and flag, its delivery (methods, prices, dates to the marketplace's country, the countries it
    reaches: a profile edit re-renders the page) and the product's own last edit."""
    return (
        product.updated_at.isoformat() if product.updated_at else None,
        tuple(
            (
                offer.id,
                tuple(sorted(shipping.ships_to.get(offer.seller_id, frozenset()))),
                tuple(
                    (
                        option.method.id,
                        # Not str(Money): that formats for the locale (a tenth of a rebuild).
                        str(option.price.amount),
                        option.price.currency,
                        option.dates.earliest.isoformat(),
                        option.dates.latest.isoformat(),
                    )
                    for option in shipping.quotes[offer.id].options
                )
                if offer.id in shipping.quotes
                else (),
            )
            for offer in sorted(offers, key=lambda offer: offer.id)
        )
        if shipping is not None
        else (),
        tuple(
            (
                offer.id,
                str(offer.price_amount),
                str(offer.compare_at_amount),
                offer.stock_quantity,
                offer.handling_days,
                offer.ships_from,
                offer.condition,
                offer.min_order_quantity,
                offer.max_order_quantity,
                offer.seller.name,
                offer.seller.country,
            )
            for offer in sorted(offers, key=lambda offer: offer.id)
        ),
    )


def digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()
