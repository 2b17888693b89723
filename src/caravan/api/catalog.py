"""Catalog reads: categories, product listings and search, a product with every offer."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from caravan.catalog.models import Category, Product
from caravan.catalog.selectors import (
    attach_variant_labels,
    category_with_descendant_ids,
    get_category,
    get_product,
    list_category_tree,
)
from caravan.fx.quotes import QuoteTable, quote_table
from caravan.kernel.errors import NotFound, ValidationFailed
from caravan.offers.models import Offer, ProductOfferSummary
from caravan.offers.selectors import list_product_offers
from caravan.search.facet_groups import FacetGroup, describe_facets
from caravan.search.selectors import ProductQuery, Sort, list_products

from .schemas import (
    CategoryOut,
    FacetOptionOut,
    FacetOut,
    MoneyOut,
    OfferOut,
    ProductCardOut,
    ProductOut,
    ProductPageOut,
    SellerOut,
    SpecOut,
    VariantOut,
)

router = Router(tags=["catalog"])


def _media(name: str) -> str | None:
    return f"{settings.MEDIA_URL}{name}" if name else None


def _buyer_quotes(currency: str) -> QuoteTable | None:
    """The quote table into the asked buyer currency (one query), None when none is asked."""
    code = currency.strip().upper()[:8]
    if not code:
        return None
    if code not in settings.BUYER_CURRENCIES:
        raise ValidationFailed(
            _("Prices cannot be shown in %(currency)s; choose one of %(choices)s")
            % {"currency": code, "choices": ", ".join(settings.BUYER_CURRENCIES)},
            code="currency_unsupported",
        )
    return quote_table(currency=code)


def _buyer_price(offer: Offer, quotes: QuoteTable | None) -> MoneyOut | None:
    if quotes is None:
        return None
    try:
        return MoneyOut.of(quotes.to_buyer(offer.price))
    except NotFound as error:
        if error.code != "rate_missing":
            raise
        return None


def _offer(offer: Offer, quotes: QuoteTable | None = None) -> OfferOut:
    return OfferOut(
        id=offer.public_id,
        seller=SellerOut(name=offer.seller.name, country=offer.seller.country),
        variant_id=offer.variant.public_id,
        variant_label=offer.variant.label,
        price=MoneyOut.of(offer.price),
        stock_quantity=offer.stock_quantity,
        handling_days=offer.handling_days,
        ships_from=offer.ships_from,
        buyer_price=_buyer_price(offer, quotes),
    )


def _category(category: Category, children: list[Category]) -> CategoryOut:
    return CategoryOut(
        slug=category.slug,
        name=category.name,
        children=[CategoryOut(slug=child.slug, name=child.name) for child in children],
    )


@router.get("/categories", response=list[CategoryOut], summary="The category tree")
def categories(request: HttpRequest) -> list[CategoryOut]:
    return [_category(node.category, node.children) for node in list_category_tree()]


class ProductFilters(Schema):
    q: str = ""
    # A category's slug: the listing of that category and everything below it.
    category: str = ""
    # In `currency` (default: the marketplace currency), which is also the currency of every
    # offer's `buyer_price` (one of BUYER_CURRENCIES).
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    currency: str = ""
    ships_from: list[str] = []
    # Only products an offer of which is delivered to one of these countries (none: every
    # product, whoever delivers where).
    ships_to: list[str] = []
    seller: list[int] = []
    condition: list[str] = []
    delivery_within: int | None = None
    # "attribute-code:value", as the attribute facet's option values.
    attr: list[str] = []
    sort: str = Sort.RELEVANCE
    page: int = 1
    facets: bool = True


def _facets(groups: list[FacetGroup]) -> list[FacetOut]:
    return [
        FacetOut(
            name=group.name,
            title=group.title,
            kind=group.kind,
            options=[
                FacetOptionOut(
                    value=option.slug if group.name == "category" else option.value,
                    label=option.label,
                    count=option.count,
                    selected=option.selected,
                    price_min=option.low,
                    price_max=option.high,
                )
                for option in group.options
            ],
        )
        for group in groups
    ]


def _card(summary: ProductOfferSummary, quotes: QuoteTable | None) -> ProductCardOut:
    product: Product = summary.product
    best = summary.best_offer
    return ProductCardOut(
        id=product.public_id,
        name=product.name,
        brand=product.brand,
        category=product.category.slug,
        image_url=_media(product.cover_image),
        best_offer=_offer(best, quotes) if best else None,
        offer_count=summary.offer_count,
        seller_count=summary.seller_count,
    )


@router.get(
    "/products",
    response=ProductPageOut,
    summary="Products with their best offer: a category listing or a text search",
)
def products(request: HttpRequest, filters: Query[ProductFilters]) -> ProductPageOut:
    quotes = _buyer_quotes(filters.currency)
    category_ids: tuple[int, ...] = ()
    if filters.category:
        category_ids = tuple(
            category_with_descendant_ids(category=get_category(slug=filters.category))
        )
    query = ProductQuery(
        text=filters.q[:200],
        category_ids=category_ids,
        price_min=filters.price_min,
        price_max=filters.price_max,
        currency=filters.currency.upper()[:3],
        ships_from=tuple(code.upper()[:2] for code in filters.ships_from[:20]),
        ships_to=tuple(code.upper()[:2] for code in filters.ships_to[:20]),
        sellers=tuple(filters.seller[:30]),
        conditions=tuple(filters.condition[:5]),
        delivery_within=filters.delivery_within,
        attributes=tuple(value[:200] for value in filters.attr[:30] if ":" in value),
        sort=filters.sort if filters.sort in Sort.CHOICES else Sort.RELEVANCE,
        page=max(1, filters.page),
    )
    listing = list_products(query=query, facets=filters.facets)
    groups = (
        describe_facets(listing.facets, query, currency=listing.currency)
        if listing.facets is not None
        else []
    )
    return ProductPageOut(
        items=[_card(summary, quotes) for summary in listing.page.object_list],
        total=listing.total,
        page=listing.page.number,
        pages=listing.page.paginator.num_pages,
        currency=listing.currency,
        facets=_facets(groups),
    )


@router.get("/products/{product_id}", response=ProductOut, summary="A product and every offer")
def product(request: HttpRequest, product_id: str, currency: str = "") -> ProductOut:
    """With `currency` (one of BUYER_CURRENCIES), every offer's `buyer_price` is in it."""
    quotes = _buyer_quotes(currency)
    item = get_product(public_id=product_id[:16])
    offers = list_product_offers(product=item)
    values = list(item.attribute_values.all())
    variants = list(item.variants.all())
    # Labels in the request's language: one query for all of them (none in ru/en).
    attach_variant_labels([*variants, *(offer.variant for offer in offers)])
    return ProductOut(
        id=item.public_id,
        name=item.name,
        brand=item.brand,
        description=item.description,
        category=item.category.slug,
        images=[f"{settings.MEDIA_URL}{image.image.name}" for image in item.images.all()],
        specs=[
            SpecOut(attribute=value.attribute.name, value=value.value)
            for value in values
            if value.variant_id is None
        ],
        variants=[
            VariantOut(id=variant.public_id, label=variant.label, gtin=variant.gtin)
            for variant in variants
        ],
        offers=[_offer(offer, quotes) for offer in offers],
    )
