"""Rows naming products the catalog does not have: proposed for moderation, one product per
run of consecutive rows, one variant per row; a known GTIN matches instead of copying."""

from __future__ import annotations

from decimal import Decimal

from caravan.catalog.models import Product
from caravan.imports.services import apply_import, preview_import
from caravan.offers.models import Offer, ProductProposal

from .helpers import all_offers_state, csv_upload, gtin

HEADER = [
    "seller_sku", "gtin", "brand", "mpn", "category", "name_en", "name_ru", "description_en",
    "options", "price", "stock",
]  # fmt: skip


def product_rows():
    return [
        HEADER,
        ["NV-BLK", gtin(50), "Nova", "NV-1B", "audio", "Nova speaker", "Колонка Nova", "Loud", "colour=Black|Чёрный", "3000", "4"],
        ["NV-WHT", gtin(51), "Nova", "NV-1W", "audio", "Nova speaker", "Колонка Nova", "", "colour=White|Белый", "3100", "2"],
        ["LAMP", "", "Lumo", "", "audio", "Desk lamp", "Настольная лампа", "", "", "500", "1"],
        ["HP-X", gtin(1), "Acme", "", "audio", "Headphones copy", "Копия", "", "", "1500", "3"],
    ]  # fmt: skip


def preview(shop, rows):
    return preview_import(
        seller=shop.seller, uploaded_by=shop.seller.memberships.get().user, upload=csv_upload(rows)
    )


def test_preview_counts_new_products_and_creates_none(shop):
    products_before = Product.objects.count()

    result = preview(shop, product_rows())

    assert (result.create_count, result.product_count, result.error_count) == (4, 2, 0)
    assert Product.objects.count() == products_before
    assert ProductProposal.objects.count() == 0


def test_apply_proposes_each_product_once_with_a_variant_per_row(shop):
    result = apply_import(seller=shop.seller, public_id=preview(shop, product_rows()).public_id)

    assert (result.create_count, result.product_count, result.error_count) == (4, 2, 0)
    proposals = ProductProposal.objects.filter(seller=shop.seller).select_related("product")
    assert sorted((p.product.name_en, p.status, p.product.is_approved) for p in proposals) == [
        ("Desk lamp", "pending", False),
        ("Nova speaker", "pending", False),
    ]
    nova = Product.objects.get(name_en="Nova speaker")
    assert (nova.brand, nova.category_id, nova.description_en, nova.name_ru) == (
        "Nova",
        shop.category.id,
        "Loud",
        "Колонка Nova",
    )
    assert [
        (variant.gtin, variant.mpn, variant.label_en, variant.label_ru)
        for variant in nova.variants.order_by("position")
    ] == [(gtin(50), "NV-1B", "Black", "Чёрный"), (gtin(51), "NV-1W", "White", "Белый")]
    offers = Offer.objects.filter(seller=shop.seller).select_related("variant")
    assert sorted((o.seller_sku, o.product.name_en, o.variant.label_en, o.price_amount) for o in offers) == [
        ("HP-X", "Headphones", "", Decimal("1500.00")),
        ("LAMP", "Desk lamp", "", Decimal("500.00")),
        ("NV-BLK", "Nova speaker", "Black", Decimal("3000.00")),
        ("NV-WHT", "Nova speaker", "White", Decimal("3100.00")),
    ]  # fmt: skip


def test_uploading_the_products_again_changes_nothing(shop):
    apply_import(seller=shop.seller, public_id=preview(shop, product_rows()).public_id)
    products, offers = Product.objects.count(), all_offers_state()

    again = apply_import(seller=shop.seller, public_id=preview(shop, product_rows()).public_id)

    assert (again.create_count, again.update_count, again.unchanged_count, again.product_count) == (
        0,
        0,
        4,
        0,
    )
    assert (Product.objects.count(), all_offers_state()) == (products, offers)


def test_bad_product_rows_are_listed_and_nothing_is_proposed(shop):
    rows = [
        HEADER,
        ["A", "", "Nova", "", "speakers", "Thing", "Вещь", "", "", "10", "1"],
        ["B", "", "Nova", "", "audio", "Thing", "", "", "", "10", "1"],
        ["C", "", "Nova", "", "audio", "Thing", "Вещь", "", "weight=1kg", "10", "1"],
        ["D", "", "Nova", "", "audio", "Thing", "Вещь", "", "colour=Red", "10", "1"],
        ["E", "", "Nova", "", "audio", "Thing", "Вещь", "", "colour=red|Красный", "10", "1"],
        ["F", gtin(60), "Nova", "", "audio", "Other", "Другая", "", "", "10", "1"],
        ["G", gtin(60), "Nova", "", "audio", "Third", "Третья", "", "", "10", "1"],
        ["H", "", "Nova", "", "audio", "Thing", "Вещь", "", "colour", "10", "1"],
    ]  # fmt: skip

    result = preview(shop, rows)
    applied = apply_import(seller=shop.seller, public_id=result.public_id)

    assert result.errors == [
        {"line": 2, "column": "category", "message": "No category with the code speakers; the import page lists the codes"},
        {"line": 3, "column": "name_ru", "message": "Required to propose a new product"},
        {"line": 4, "column": "options", "message": "Unknown option weight; use one of: colour, size"},
        {"line": 6, "column": "options", "message": "Line 5 already proposes this product with the same options"},
        {"line": 8, "column": "gtin", "message": "Line 7 already proposes a product with this identifier"},
        {"line": 9, "column": "options", "message": "Write options as code=value; code=value: colour=Black; size=42"},
    ]  # fmt: skip
    assert (result.create_count, result.product_count) == (2, 2)
    assert (applied.errors, applied.create_count, applied.product_count) == (result.errors, 2, 2)
    assert sorted(ProductProposal.objects.values_list("product__name_en", flat=True)) == [
        "Other",
        "Thing",
    ]
