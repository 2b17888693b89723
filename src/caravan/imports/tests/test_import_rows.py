"""Importing good files: dry run first (nothing written), then apply in one transaction."""

from __future__ import annotations

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from tests.factories import make_offer

from caravan.imports.models import OfferImport
from caravan.imports.services import apply_import, preview_import, purge_stale_imports
from caravan.kernel.errors import InvalidTransition
from caravan.offers.models import Offer, ProductOfferSummary
from caravan.offers.services import update_offer

from .helpers import all_offers_state, csv_upload, gtin, offer_state, xlsx_upload

HEADER = ["seller_sku", "gtin", "product_id", "variant", "brand", "mpn", "price", "stock"]


def good_rows(shop):
    return [
        HEADER,
        ["HP-1", gtin(1), "", "", "", "", "1990.00", "5"],
        ["KT-BLUE", "", shop.kettle.public_id, "Blue", "", "", "2500", "3"],
        ["CB-1", "", "", "", "acme", "cb 1", "99.90", "100"],
    ]


def stored_files() -> list[Path]:
    return sorted(Path(settings.IMPORTS_DIR).glob("*"))


def owner(seller):
    return seller.memberships.get().user


@pytest.mark.parametrize("make_upload", [csv_upload, xlsx_upload])
def test_preview_counts_the_rows_and_writes_no_offer(shop, make_upload):
    before = all_offers_state()

    preview = preview_import(
        seller=shop.seller, uploaded_by=owner(shop.seller), upload=make_upload(good_rows(shop))
    )

    assert (
        preview.status,
        preview.row_count,
        preview.create_count,
        preview.update_count,
        preview.unchanged_count,
        preview.error_count,
        preview.errors,
    ) == (OfferImport.Status.PREVIEWED, 3, 3, 0, 0, 0, [])
    assert all_offers_state() == before
    assert stored_files() == [Path(settings.IMPORTS_DIR) / preview.stored_name]
    assert not str(settings.IMPORTS_DIR).startswith(str(settings.MEDIA_ROOT))


@pytest.mark.parametrize("make_upload", [csv_upload, xlsx_upload])
def test_apply_creates_each_offer_with_its_terms(
    shop, make_upload, django_capture_on_commit_callbacks
):
    preview = preview_import(
        seller=shop.seller, uploaded_by=owner(shop.seller), upload=make_upload(good_rows(shop))
    )

    with django_capture_on_commit_callbacks(execute=True):
        applied = apply_import(seller=shop.seller, public_id=preview.public_id)

    assert (applied.status, applied.create_count, applied.update_count, applied.error_count) == (
        OfferImport.Status.APPLIED,
        3,
        0,
        0,
    )
    offers = {
        offer.seller_sku: (
            offer.variant_id,
            offer.price_amount,
            offer.currency,
            offer.stock_quantity,
            offer.handling_days,
            offer.ships_from,
            offer.is_active,
            offer.condition,
            offer.min_order_quantity,
            offer.max_order_quantity,
        )
        for offer in Offer.objects.filter(seller=shop.seller)
    }
    assert offers == {
        "HP-1": (
            shop.headphones.variants.get().id,
            Decimal("1990.00"),
            "RUB",
            5,
            1,
            "RU",
            True,
            "new",
            1,
            None,
        ),
        "KT-BLUE": (
            shop.kettle.variants.get(gtin=gtin(3)).id,
            Decimal("2500.00"),
            "RUB",
            3,
            1,
            "RU",
            True,
            "new",
            1,
            None,
        ),
        "CB-1": (
            shop.cable.variants.get().id,
            Decimal("99.90"),
            "RUB",
            100,
            1,
            "RU",
            True,
            "new",
            1,
            None,
        ),
    }
    assert stored_files() == []
    summaries = ProductOfferSummary.objects.filter(
        product__in=[shop.headphones, shop.kettle, shop.cable]
    ).values_list("product_id", "offer_count", "is_buyable")
    assert sorted(summaries) == sorted(
        [(shop.headphones.id, 1, True), (shop.kettle.id, 1, True), (shop.cable.id, 1, True)]
    )


def test_semicolons_byte_order_mark_and_decimal_commas_are_understood(shop):
    rows = [
        ["seller_sku", "gtin", "price", "stock", "compare_at_price"],
        ["HP-1", gtin(1), "1 990,50", "5", "2490,00"],
    ]
    preview = preview_import(
        seller=shop.seller,
        uploaded_by=owner(shop.seller),
        upload=csv_upload(rows, delimiter=";", bom=True),
    )

    apply_import(seller=shop.seller, public_id=preview.public_id)

    offer = Offer.objects.get(seller=shop.seller)
    assert (preview.create_count, preview.error_count) == (1, 0)
    assert (offer.seller_sku, offer.price_amount, offer.compare_at_amount) == (
        "HP-1",
        Decimal("1990.50"),
        Decimal("2490.00"),
    )


def test_every_term_column_is_written(shop):
    rows = [
        [
            "seller_sku",
            "gtin",
            "price",
            "currency",
            "stock",
            "handling_days",
            "ships_from",
            "active",
            "condition",
            "compare_at_price",
            "min_per_order",
            "max_per_order",
        ],
        ["HP-1", gtin(1), "1500", "rub", "7", "4", "cn", "no", "refurbished", "1800", "2", "6"],
    ]
    preview = preview_import(
        seller=shop.seller, uploaded_by=owner(shop.seller), upload=csv_upload(rows)
    )

    apply_import(seller=shop.seller, public_id=preview.public_id)

    offer = Offer.objects.get(seller=shop.seller)
    assert (
        offer.price_amount,
        offer.stock_quantity,
        offer.handling_days,
        offer.ships_from,
        offer.is_active,
        offer.condition,
        offer.compare_at_amount,
        offer.min_order_quantity,
        offer.max_order_quantity,
    ) == (Decimal("1500.00"), 7, 4, "CN", False, "refurbished", Decimal("1800.00"), 2, 6)


def test_an_update_changes_only_the_columns_the_file_has(shop):
    offer = make_offer(
        seller=shop.seller,
        variant=shop.headphones.variants.get(),
        price="1000",
        stock=2,
        handling_days=3,
    )
    update_offer(
        seller=shop.seller, offer_public_id=offer.public_id, seller_sku="HP-1", max_order_quantity=5
    )
    rows = [["seller_sku", "price", "stock", "max_per_order"], ["HP-1", "1200", "9", ""]]

    preview = preview_import(
        seller=shop.seller, uploaded_by=owner(shop.seller), upload=csv_upload(rows)
    )
    apply_import(seller=shop.seller, public_id=preview.public_id)

    offer.refresh_from_db()
    assert (preview.create_count, preview.update_count, preview.unchanged_count) == (0, 1, 0)
    assert (
        offer.price_amount,
        offer.stock_quantity,
        offer.handling_days,
        offer.max_order_quantity,
    ) == (
        Decimal("1200.00"),
        9,
        3,
        None,
    )
    assert offer.reference_price_amount == Decimal("1200.00")


def test_a_portal_offer_without_sku_takes_the_sku_of_the_row_that_finds_it(shop):
    offer = make_offer(
        seller=shop.seller, variant=shop.headphones.variants.get(), price="1000", stock=2
    )
    rows = [["seller_sku", "gtin", "price", "stock"], ["HP-1", gtin(1), "1000", "2"]]

    preview = preview_import(
        seller=shop.seller, uploaded_by=owner(shop.seller), upload=csv_upload(rows)
    )
    apply_import(seller=shop.seller, public_id=preview.public_id)

    offer.refresh_from_db()
    assert (preview.create_count, preview.update_count) == (0, 1)
    assert (offer.seller_sku, offer.price_amount, offer.stock_quantity) == (
        "HP-1",
        Decimal("1000.00"),
        2,
    )
    assert Offer.objects.filter(seller=shop.seller).count() == 1


def test_uploading_the_same_file_again_changes_nothing(shop):
    rows = good_rows(shop)
    first = preview_import(
        seller=shop.seller, uploaded_by=owner(shop.seller), upload=csv_upload(rows)
    )
    apply_import(seller=shop.seller, public_id=first.public_id)
    after_first = all_offers_state()

    second = preview_import(
        seller=shop.seller, uploaded_by=owner(shop.seller), upload=csv_upload(rows)
    )
    applied = apply_import(seller=shop.seller, public_id=second.public_id)

    assert (
        second.create_count,
        second.update_count,
        second.unchanged_count,
        second.error_count,
    ) == (0, 0, 3, 0)
    assert (applied.create_count, applied.update_count, applied.unchanged_count) == (0, 0, 3)
    assert all_offers_state() == after_first


def test_a_file_is_applied_once(shop):
    preview = preview_import(
        seller=shop.seller, uploaded_by=owner(shop.seller), upload=csv_upload(good_rows(shop))
    )
    apply_import(seller=shop.seller, public_id=preview.public_id)
    after = all_offers_state()

    with pytest.raises(InvalidTransition) as caught:
        apply_import(seller=shop.seller, public_id=preview.public_id)

    assert caught.value.code == "import_already_applied"
    assert all_offers_state() == after


def test_another_sellers_offers_are_never_touched(shop):
    rival_offer = make_offer(
        seller=shop.rival, variant=shop.headphones.variants.get(), price="150", stock=8
    )
    update_offer(seller=shop.rival, offer_public_id=rival_offer.public_id, seller_sku="HP-1")
    before = offer_state(rival_offer)
    rows = [
        ["seller_sku", "gtin", "price", "stock"],
        ["HP-1", gtin(1), "1990", "5"],
        [rival_offer.public_id, gtin(2), "10", "1"],
    ]

    preview = preview_import(
        seller=shop.seller, uploaded_by=owner(shop.seller), upload=csv_upload(rows)
    )
    apply_import(seller=shop.seller, public_id=preview.public_id)

    assert (preview.create_count, preview.update_count, preview.error_count) == (2, 0, 0)
    assert offer_state(rival_offer) == before
    mine = Offer.objects.filter(seller=shop.seller)
    assert {(offer.seller_sku, offer.variant.gtin) for offer in mine} == {
        ("HP-1", gtin(1)),
        (rival_offer.public_id, gtin(2)),
    }


def test_another_sellers_import_cannot_be_applied(shop):
    preview = preview_import(
        seller=shop.seller, uploaded_by=owner(shop.seller), upload=csv_upload(good_rows(shop))
    )

    with pytest.raises(Exception) as caught:
        apply_import(seller=shop.rival, public_id=preview.public_id)

    assert caught.value.code == "not_found"
    preview.refresh_from_db()
    assert preview.status == OfferImport.Status.PREVIEWED
    assert Offer.objects.count() == 0


def test_unconfirmed_previews_are_purged_with_their_files(shop):
    old = preview_import(
        seller=shop.seller, uploaded_by=owner(shop.seller), upload=csv_upload(good_rows(shop))
    )
    fresh = preview_import(
        seller=shop.seller, uploaded_by=owner(shop.seller), upload=csv_upload(good_rows(shop))
    )
    two_days_ago = timezone.now() - timedelta(days=2, minutes=1)
    OfferImport.objects.filter(id=old.id).update(created_at=two_days_ago)
    stray = Path(settings.IMPORTS_DIR) / "crashed.upload"
    stray.write_bytes(b"half an upload")
    os.utime(stray, (two_days_ago.timestamp(), two_days_ago.timestamp()))

    purged = purge_stale_imports()
    again = purge_stale_imports()

    assert (purged, again) == (1, 0)
    assert list(OfferImport.objects.values_list("id", flat=True)) == [fresh.id]
    assert stored_files() == [Path(settings.IMPORTS_DIR) / fresh.stored_name]
