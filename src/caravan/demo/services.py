"""Writes the demo marketplace through the domain services, so every denormalised row
(offer summaries, cover images, reference prices) is exactly what real use would produce."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from caravan.accounts.models import User
from caravan.accounts.services import add_address
from caravan.catalog.models import Category, Product, ProductImage
from caravan.catalog.renditions import delete_renditions
from caravan.catalog.services import (
    AttributeInput,
    ProductInput,
    VariantInput,
    create_product,
    ensure_attribute,
    ensure_category,
)
from caravan.customs.services import load_customs_rules
from caravan.fx.importing import load_snapshot
from caravan.kernel.clock import now
from caravan.kernel.money import Money
from caravan.offers.services import create_offer
from caravan.sellers.models import Seller
from caravan.sellers.services import create_seller

from .customs_words import LEAF_CUSTOMS, demo_origin, demo_weight
from .generator import ProductPlan, plan_catalog
from .images import render_product_image
from .money_history import (
    HISTORY_DAYS,
    HistorySummary,
    clock_at,
    moment_of,
    seed_money_history,
)
from .parcels import seed_parcels
from .pending import create_pending_application, create_pending_proposals
from .shipping_profiles import seed_shipping_profiles
from .synonyms import seed_synonyms
from .threads import seed_threads
from .translations import seed_catalog_translations
from .vocabulary import (
    ABROAD_BUYERS,
    ATTRIBUTES,
    BUYER,
    BUYER_ADDRESS,
    DEFAULT_PRODUCT_COUNT,
    DEMO_PASSWORD,
    DEMO_SEED,
    OPERATOR,
    SECOND_BUYER,
    SECOND_BUYER_ADDRESS,
    SELLERS,
)
from .words import LEAVES, PARENTS

DEMO_IMAGE_PREFIX = "demo-"
# Before this hour (local time) the history is told from the day before: its last order,
# "yesterday 18:30", is then always over twelve hours old.
HISTORY_DAY_STARTS = timedelta(hours=7)
Progress = Callable[[str], None]


@dataclass(frozen=True)
class SeedSummary:
    created: bool
    sellers: int
    products: int
    offers: int
    history: HistorySummary | None = None


def is_seeded() -> bool:
    """The operator login and the first demo seller exist: the demo data set is loaded."""
    return (
        User.objects.filter(email=OPERATOR.email).exists()
        and Seller.objects.filter(slug=SELLERS[0].slug).exists()
    )


# The currency each abroad buyer pays in (one the checkout accepts: BUYER_CURRENCIES).
ABROAD_CURRENCIES = {"DE": "EUR", "KZ": "KZT", "US": "USD", "CN": "CNY"}


def _create_people() -> None:
    # date_joined's default is the real clock's, fixed when the model was defined.
    buyer = User.objects.create_user(
        BUYER.email, DEMO_PASSWORD, full_name=BUYER.full_name, date_joined=now()
    )
    add_address(user=buyer, **BUYER_ADDRESS)
    second = User.objects.create_user(
        SECOND_BUYER.email, DEMO_PASSWORD, full_name=SECOND_BUYER.full_name, date_joined=now()
    )
    add_address(user=second, **SECOND_BUYER_ADDRESS)
    for login, address in ABROAD_BUYERS:
        abroad = User.objects.create_user(
            login.email,
            DEMO_PASSWORD,
            full_name=login.full_name,
            date_joined=now(),
            # Paying in their own currency: the landed cost's thresholds convert at the rate
            # the destination's customs use (the ECB publishes none for the rouble), so
            # Jonas in Berlin sees the EU's duty and VAT collected at checkout (ADR 0010).
            preferred_currency=ABROAD_CURRENCIES[address["country"]],
        )
        add_address(user=abroad, **address)
    # Demo logins share one easy password, which register_user's validators would refuse.
    User.objects.create_superuser(
        OPERATOR.email, DEMO_PASSWORD, full_name=OPERATOR.full_name, date_joined=now()
    )


def _create_sellers() -> dict[str, Seller]:
    sellers: dict[str, Seller] = {}
    for words in SELLERS:
        owner = User.objects.create_user(
            words.owner_email, DEMO_PASSWORD, full_name=words.owner_name, date_joined=now()
        )
        seller = create_seller(
            owner=owner,
            name=words.name,
            slug=words.slug,
            legal_name=words.legal_name,
            country=words.country,
            currency=words.currency,
            description_ru=words.description_ru,
            description_en=words.description_en,
        )
        sellers[words.slug] = seller
    return sellers


def _create_categories() -> dict[str, Category]:
    categories: dict[str, Category] = {}
    for position, parent in enumerate(PARENTS):
        categories[parent.slug] = ensure_category(
            slug=parent.slug, name_ru=parent.name_ru, name_en=parent.name_en, position=position
        )
    for position, leaf in enumerate(LEAVES):
        categories[leaf.slug] = ensure_category(
            slug=leaf.slug,
            name_ru=leaf.name_ru,
            name_en=leaf.name_en,
            parent=categories[leaf.parent],
            position=position,
        )
    return categories


def _picture(plan: ProductPlan) -> ContentFile[bytes]:
    tint = plan.variants[0].colour or plan.leaf.background[1]
    data = render_product_image(
        shape=plan.shape,
        background=plan.leaf.background,
        tint=tint,
        brand=plan.brand,
        label=plan.kind_en,
    )
    return ContentFile(data, name=f"{DEMO_IMAGE_PREFIX}{plan.number:05d}.jpg")


def _create_listing(
    plan: ProductPlan, *, categories: dict[str, Category], sellers: dict[str, Seller]
) -> Product:
    customs = LEAF_CUSTOMS[plan.leaf.slug]
    length, width, height = customs.box_mm
    data = ProductInput(
        category=categories[plan.leaf.slug],
        name_ru=plan.name_ru,
        name_en=plan.name_en,
        brand=plan.brand,
        description_ru=plan.description_ru,
        description_en=plan.description_en,
        specs=[AttributeInput(spec.code, spec.value_ru, spec.value_en) for spec in plan.specs],
        variants=[
            VariantInput(
                options=[
                    AttributeInput(option.code, option.value.value_ru, option.value.value_en)
                    for option in variant.options
                ],
                gtin=variant.gtin,
                net_weight_grams=demo_weight(
                    leaf=plan.leaf.slug, product_number=plan.number, variant_index=index
                ),
                length_mm=length,
                width_mm=width,
                height_mm=height,
            )
            for index, variant in enumerate(plan.variants)
        ],
        hs_code=customs.hs_code,
        eaeu_code=customs.eaeu_code,
        origin_country=demo_origin(plan.made_in),
    )
    product = create_product(data=data, images=[_picture(plan)])
    variants = list(product.variants.order_by("position"))
    for offer in plan.offers:
        seller = sellers[offer.seller.slug]
        create_offer(
            seller=seller,
            variant=variants[offer.variant_index],
            price=Money(offer.price, seller.currency),
            stock_quantity=offer.stock_quantity,
            handling_days=offer.handling_days,
            seller_sku=offer.seller_sku,
        )
    return product


def seed_demo(
    *,
    products: int = DEFAULT_PRODUCT_COUNT,
    seed: int = DEMO_SEED,
    progress: Progress | None = None,
) -> SeedSummary:
    """Load the demo marketplace once; on a database that has it already, change nothing."""
    if is_seeded():
        return SeedSummary(created=False, sellers=0, products=0, offers=0)
    report = progress or (lambda message: None)
    plan = plan_catalog(products=products, seed=seed)
    offers = 0
    # The day the history is told from ("yesterday 18:30" is its last order). In the small
    # hours the calendar's today would make yesterday evening a few hours ago, too soon for
    # that order's parcels to have been scanned or anything since to have happened: then the
    # history is told from the day before, as if seeded late in the evening.
    today = timezone.localdate(now() - HISTORY_DAY_STARTS)
    # One transaction: a failed run leaves no half-seeded database behind, and SQLite
    # commits once instead of after every row.
    with transaction.atomic():
        # The shipped CBR and ECB files, dated when the demo's history begins; its orders
        # record them again on their own days, and today's come last (below).
        load_snapshot(on_date=today - timedelta(days=HISTORY_DAYS))
        # A reset flushes the rows the customs migration loaded.
        load_customs_rules()
        for code, (name_ru, name_en) in ATTRIBUTES.items():
            ensure_attribute(code=code, name_ru=name_ru, name_en=name_en)
        # The people and shops were there before the history's first order.
        with clock_at(moment_of((HISTORY_DAYS + 15, "09:00"), today=today)):
            _create_people()
            sellers = _create_sellers()
            seed_shipping_profiles(sellers=sellers)
        categories = _create_categories()
        report(f"{len(sellers)} sellers, {len(categories)} categories")
        created: dict[int, Product] = {}
        for index, product_plan in enumerate(plan, start=1):
            created[product_plan.number] = _create_listing(
                product_plan, categories=categories, sellers=sellers
            )
            offers += len(product_plan.offers)
            if index % 50 == 0:
                report(f"{index} of {len(plan)} products")
        # Work waiting in the back office: one application, two product proposals.
        create_pending_application(password=DEMO_PASSWORD)
        create_pending_proposals(seller=sellers["gadget-house"], categories=categories)
        # The words shoppers use that the names do not (search.synonyms).
        seed_synonyms()
        # Categories and a few products in German and Chinese (catalog.translations).
        seed_catalog_translations(
            categories=categories,
            products=created,
            seller_countries={
                product_plan.number: sellers[product_plan.offers[0].seller.slug].country
                for product_plan in plan
                if product_plan.offers
            },
        )
    report("past orders, refunds and payouts")
    try:
        # Outside the transaction: each service commits, and refunds reach the provider.
        history = seed_money_history(today=today)
        # Buyers and sellers writing about some of those orders (the order threads).
        seed_threads(today=today)
        # Anna's latest order, shipped in parcels with tracking timelines.
        seed_parcels(today=today)
    finally:
        # Today's rates, so checkout converts offline now (a rate over 72 hours old is stale).
        load_snapshot(on_date=timezone.localdate(now()))
    return SeedSummary(
        created=True,
        sellers=len(sellers),
        products=len(plan),
        offers=offers,
        history=history,
    )


def delete_demo_images() -> int:
    """Remove the demo's picture files, so a reset does not leave them behind on disk."""
    images = ProductImage.objects.filter(image__contains=f"/{DEMO_IMAGE_PREFIX}")
    count = 0
    for product_image in images.iterator():
        if product_image.image.name:
            product_image.image.storage.delete(product_image.image.name)
            delete_renditions(product_image.image.name)
            count += 1
    return count
