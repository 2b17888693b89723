"""Offer reads. A seller's offers are only ever fetched scoped to that seller."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypedDict

from django.db import router
from django.db.models import Max, Q, QuerySet
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _

from caravan.catalog.models import Product, Variant
from caravan.kernel.errors import NotFound
from caravan.kernel.statements import CompiledReads, columns_of
from caravan.sellers.models import Seller

from .models import Offer, ProductOfferSummary


def buyable_offer_filter() -> Q:
    """The one statement of what a buyer can buy: an active offer of an active seller on a
    product buyers can see (active and approved by moderation). is_buyable_offer is the
    same rule for one offer already loaded."""
    return Q(
        is_active=True,
        seller__status=Seller.Status.ACTIVE,
        product__is_active=True,
        product__is_approved=True,
    )


def is_buyable_offer(offer: Offer) -> bool:
    """buyable_offer_filter for an offer already loaded (with its seller and product)."""
    return (
        offer.is_active
        and offer.seller.status == Seller.Status.ACTIVE
        and offer.product.is_active
        and offer.product.is_approved
    )


# A product page's offers with their sellers and variants, one statement per product that
# this process compiles once (ADR 0027): the page is read on every visit, and building and
# compiling the three-table read cost Django more than the database's answer.
_product_offer_reads = CompiledReads(Offer, limit=4096)
_OFFER_COLUMNS = columns_of(Offer)
# What a product page and the API's product read of a seller (its name and country, its
# currency and id for delivery, its status for the buy box): not its legal details, return
# address or description, which any other read would load one seller at a time.
_SELLER_COLUMNS = columns_of(
    Seller, {"id", "public_id", "slug", "name", "country", "currency", "status"}
)
_VARIANT_COLUMNS = columns_of(Variant)
_OFFER_SELLER = _OFFER_COLUMNS.index("seller_id")
_OFFER_PRODUCT = _OFFER_COLUMNS.index("product_id")


def forget_statements() -> None:
    _product_offer_reads.forget()


class ProductOffers:
    """A product's live offers as read (product_offer_rows): each offer's row of its own,
    its seller's public and its variant's columns and the product's `updated_at`, equal
    rows for equal offers (a key for what follows from one offer alone), and the model of
    each built when asked for (for_product), one seller and one variant instance per
    distinct row."""

    def __init__(self, *, rows: list[tuple[Any, ...]], product: Product | None = None) -> None:
        self.rows = rows
        self.product = product
        self._alias = router.db_for_read(Offer)
        self._sellers: dict[tuple[Any, ...], Seller] = {}
        self._variants: dict[tuple[Any, ...], Variant] = {}

    @property
    def version(self) -> tuple[int, dt.datetime] | None:
        """The product's id and `updated_at` as read with its offers (None without an
        offer): catalog.selectors.product_version's answer, with no query of its own."""
        if not self.rows:
            return None
        first = self.rows[0]
        return first[_OFFER_PRODUCT], first[-1]

    def for_product(self, product: Product) -> ProductOffers:
        """The same rows, their offers built with this product (the caller's, already read)."""
        return ProductOffers(rows=self.rows, product=product)

    def offer(self, row: tuple[Any, ...]) -> Offer:
        if self.product is None:
            raise ValueError("ProductOffers.offer needs the product: for_product first")
        sellers_at = len(_OFFER_COLUMNS)
        variants_at = sellers_at + len(_SELLER_COLUMNS)
        offer = Offer.from_db(self._alias, _OFFER_COLUMNS, row[:sellers_at])
        seller_row = row[sellers_at:variants_at]
        variant_row = row[variants_at : variants_at + len(_VARIANT_COLUMNS)]
        # A seller with offers on several variants, a variant several sellers offer: one
        # instance each (a popular product's twenty offers come from a few of both).
        seller = self._sellers.get(seller_row)
        if seller is None:
            seller = Seller.from_db(self._alias, _SELLER_COLUMNS, seller_row)
            self._sellers[seller_row] = seller
        variant = self._variants.get(variant_row)
        if variant is None:
            variant = Variant.from_db(self._alias, _VARIANT_COLUMNS, variant_row)
            self._variants[variant_row] = variant
        offer.seller, offer.variant = seller, variant
        offer.product = self.product
        return offer

    def offers(self) -> list[Offer]:
        return [self.offer(row) for row in self.rows]

    @staticmethod
    def seller_id(row: tuple[Any, ...]) -> int:
        return row[_OFFER_SELLER]  # type: ignore[no-any-return]


def product_offer_rows(*, public_id: str) -> ProductOffers:
    """Every live offer on the product, cheapest first (by the marketplace reference price),
    as rows, with the product's version (ProductOffers.version: one statement for both,
    the product page's two reads); offers.buybox ranks them for the product page."""
    rows = _product_offer_reads.rows(
        public_id,
        lambda: (
            Offer.objects.filter(buyable_offer_filter(), product__public_id=public_id)
            .order_by("reference_price_amount", "handling_days", "id")
            .values_list(
                *_OFFER_COLUMNS,
                *(f"seller__{column}" for column in _SELLER_COLUMNS),
                *(f"variant__{column}" for column in _VARIANT_COLUMNS),
                "product__updated_at",
            )
        ),
    )
    return ProductOffers(rows=rows)


def list_product_offers(*, product: Product) -> list[Offer]:
    """Every live offer on the product, cheapest first (by the marketplace reference price);
    offers.buybox ranks them for the product page. Each with its variant and its seller
    (the seller's public fields only: _SELLER_COLUMNS)."""
    return product_offer_rows(public_id=product.public_id).for_product(product).offers()


def get_buyable_offer(*, public_id: str) -> Offer:
    """An offer a buyer may put in the cart: live, by an active seller, on a product buyers
    can see (approved by moderation and not hidden)."""
    try:
        return Offer.objects.select_related("seller", "variant", "product").get(
            buyable_offer_filter(), public_id=public_id
        )
    except Offer.DoesNotExist as error:
        raise NotFound(_("offer not found")) from error


def list_seller_offers(*, seller: Seller) -> QuerySet[Offer]:
    return (
        Offer.objects.filter(seller=seller)
        .select_related("product", "variant")
        .order_by("-updated_at", "id")
    )


def get_seller_offer(*, seller: Seller, public_id: str, for_update: bool = False) -> Offer:
    offers = Offer.objects.filter(seller=seller, public_id=public_id)
    if for_update:
        offers = offers.select_for_update()
    try:
        return offers.select_related("product", "variant").get()
    except Offer.DoesNotExist as error:
        raise NotFound(_("offer not found")) from error


LOW_STOCK_THRESHOLD = 3


class OfferFilter:
    ALL = "all"
    ACTIVE = "active"
    INACTIVE = "inactive"
    LOW_STOCK = "low_stock"
    CHOICES = (ALL, ACTIVE, INACTIVE, LOW_STOCK)


def find_seller_offers(
    *, seller: Seller, text: str = "", show: str = OfferFilter.ALL
) -> QuerySet[Offer]:
    """The seller's offers matching a product name (either language) and a state filter."""
    offers = list_seller_offers(seller=seller)
    for term in text.split()[:8]:
        # SQLite folds ASCII case only, so the capitalised form catches "наушники"/"Наушники".
        offers = offers.filter(
            Q(product__name_ru__icontains=term)
            | Q(product__name_ru__contains=term.lower())
            | Q(product__name_ru__contains=term.capitalize())
            | Q(product__name_en__icontains=term)
            | Q(product__brand__icontains=term)
        )
    if show == OfferFilter.ACTIVE:
        offers = offers.filter(is_active=True)
    elif show == OfferFilter.INACTIVE:
        offers = offers.filter(is_active=False)
    elif show == OfferFilter.LOW_STOCK:
        offers = offers.filter(stock_quantity__lte=LOW_STOCK_THRESHOLD)
    return offers


def list_low_stock_offers(
    *, seller: Seller, threshold: int = LOW_STOCK_THRESHOLD, limit: int = 10
) -> list[Offer]:
    return list(
        Offer.objects.filter(seller=seller, is_active=True, stock_quantity__lte=threshold)
        .select_related("product", "variant")
        .order_by("stock_quantity", "id")[:limit]
    )


def seller_offers_by_variant(*, seller: Seller, variant_ids: Iterable[int]) -> dict[int, Offer]:
    """The seller's offers on the given variants, keyed by variant id."""
    offers = Offer.objects.filter(seller=seller, variant_id__in=list(variant_ids))
    return {offer.variant_id: offer for offer in offers}


class ProductPage(TypedDict):
    product__public_id: str
    product__slug: str
    last_modified: dt.datetime


def list_buyable_product_pages() -> QuerySet[Any, ProductPage]:
    """Every product a buyer can buy (the listings' own rule, the summary's is_buyable) as
    `public_id`, `slug` and `last_modified`: the later of the product's own edit and its buy
    box winner's (a price or stock change). In product order, so it pages stably."""
    return (
        ProductOfferSummary.objects.filter(is_buyable=True)
        .annotate(last_modified=Greatest("product__updated_at", "best_offer__updated_at"))
        .order_by("product_id")
        .values("product__public_id", "product__slug", "last_modified")
    )


def last_modified_by_category() -> dict[int, dt.datetime]:
    """Per category holding buyable products, when the latest of them last changed."""
    rows = (
        ProductOfferSummary.objects.filter(is_buyable=True)
        .values("category_id")
        .annotate(last_modified=Max(Greatest("product__updated_at", "best_offer__updated_at")))
        .order_by()
    )
    return {row["category_id"]: row["last_modified"] for row in rows}
