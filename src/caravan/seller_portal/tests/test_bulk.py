"""Bulk import and export pages: who may use them, upload -> preview -> confirm, downloads."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from tests.factories import add_member, make_user

from caravan.imports.models import OfferImport
from caravan.imports.tests.helpers import csv_bytes, read_csv, read_xlsx, upload
from caravan.offers.models import Offer

from .portal_helpers import owner_of


@pytest.fixture(autouse=True)
def _imports_dir(settings, tmp_path):
    settings.IMPORTS_DIR = str(tmp_path / "private-imports")


def offer_file(market) -> bytes:
    variant = market.product.variants.get()
    return csv_bytes(
        [
            ["seller_sku", "product_id", "variant", "price", "stock"],
            ["WH-1", market.product.public_id, variant.public_id, "2400", "9"],
            ["BAD", market.product.public_id, "", "abc", "1"],
        ]
    )


def upload_as(client, user, data: bytes, name: str = "offers.csv"):
    client.force_login(user)
    return client.post(reverse("seller_portal:bulk"), {"file": upload(data, name=name)})


PAGES = [
    ("get", "seller_portal:bulk"),
    ("post", "seller_portal:bulk"),
    ("get", "seller_portal:bulk_export"),
    ("get", "seller_portal:bulk_template"),
]


@pytest.mark.parametrize("role", ["owner", "manager", "catalog"])
def test_roles_that_edit_prices_may_import_and_export(client, market, role):
    member = (
        owner_of(market.seller_ru)
        if role == "owner"
        else add_member(seller=market.seller_ru, role=role)
    )
    client.force_login(member)

    page = client.get(reverse("seller_portal:bulk"))
    export = client.get(reverse("seller_portal:bulk_export"))
    uploaded = upload_as(client, member, offer_file(market))

    assert (page.status_code, export.status_code, uploaded.status_code) == (200, 200, 302)
    assert b'data-testid="nav-bulk"' in page.content


@pytest.mark.parametrize("role", ["fulfilment", "finance"])
@pytest.mark.parametrize(("method", "name"), PAGES)
def test_roles_that_cannot_change_prices_are_refused(client, market, role, method, name):
    client.force_login(add_member(seller=market.seller_ru, role=role))

    response = getattr(client, method)(
        reverse(name), {"file": upload(offer_file(market))} if method == "post" else {}
    )

    assert response.status_code == 403
    assert b'data-testid="forbidden"' in response.content
    assert OfferImport.objects.count() == 0


def test_anonymous_visitors_sign_in_first_and_buyers_are_refused(client, market):
    anonymous = client.get(reverse("seller_portal:bulk"))
    client.force_login(make_user())
    buyer = client.get(reverse("seller_portal:bulk_export"))

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("storefront:login"))
    assert buyer.status_code == 403


def test_upload_shows_the_preview_and_confirm_writes(client, market):
    owner = owner_of(market.seller_ru)
    before = (market.offer_ru.price_amount, market.offer_ru.stock_quantity)

    uploaded = upload_as(client, owner, offer_file(market))
    offer_import = OfferImport.objects.get()
    preview = client.get(uploaded["Location"])
    market.offer_ru.refresh_from_db()
    unchanged = (market.offer_ru.price_amount, market.offer_ru.stock_quantity)
    applied = client.post(reverse("seller_portal:bulk_apply", args=[offer_import.public_id]))
    market.offer_ru.refresh_from_db()

    assert uploaded["Location"] == reverse(
        "seller_portal:bulk_preview", args=[offer_import.public_id]
    )
    body = preview.content.decode()
    assert 'data-testid="count-update">1<' in body
    assert 'data-testid="count-errors">1<' in body
    assert "Not an amount: write digits with a decimal point, 1990.50" in body
    assert unchanged == before
    assert applied.status_code == 302
    assert (
        market.offer_ru.seller_sku,
        market.offer_ru.price_amount,
        market.offer_ru.stock_quantity,
    ) == (
        "WH-1",
        Decimal("2400.00"),
        9,
    )
    done = client.get(applied["Location"]).content.decode()
    assert "Done: 0 offers added, 1 updated, 0 unchanged." in done
    assert 'data-testid="import-apply"' not in done


def test_a_refused_file_is_explained_on_the_form(client, market):
    response = upload_as(client, owner_of(market.seller_ru), "Цена;1\r\n".encode("cp1251"))

    assert response.status_code == 400
    assert "The file is not in UTF-8." in response.content.decode()
    assert OfferImport.objects.count() == 0


def test_discard_removes_the_preview_and_its_file(
    client, market, settings, django_capture_on_commit_callbacks
):
    upload_as(client, owner_of(market.seller_ru), offer_file(market))
    offer_import = OfferImport.objects.get()
    stored = Path(settings.IMPORTS_DIR) / offer_import.stored_name
    assert stored.is_file()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("seller_portal:bulk_discard", args=[offer_import.public_id]))

    assert response.status_code == 302
    assert OfferImport.objects.count() == 0
    assert not stored.exists()
    assert Offer.objects.get(id=market.offer_ru.id).seller_sku == ""


def test_another_sellers_upload_is_not_found(client, market):
    upload_as(client, owner_of(market.seller_ru), offer_file(market))
    offer_import = OfferImport.objects.get()
    client.force_login(owner_of(market.seller_cn))

    preview = client.get(reverse("seller_portal:bulk_preview", args=[offer_import.public_id]))
    applied = client.post(reverse("seller_portal:bulk_apply", args=[offer_import.public_id]))

    assert (preview.status_code, applied.status_code) == (404, 404)
    offer_import.refresh_from_db()
    assert offer_import.status == OfferImport.Status.PREVIEWED
    assert Offer.objects.get(id=market.offer_ru.id).price_amount == Decimal("2500.00")


def test_export_downloads_the_offers_as_csv_and_xlsx(client, market):
    client.force_login(owner_of(market.seller_ru))

    as_csv = client.get(reverse("seller_portal:bulk_export"))
    as_xlsx = client.get(reverse("seller_portal:bulk_export"), {"format": "xlsx"})

    rows = read_csv(b"".join(as_csv.streaming_content))
    assert as_csv["Content-Type"] == "text/csv; charset=utf-8"
    assert as_csv["Content-Disposition"].startswith('attachment; filename="offers-')
    assert [(row[0], row[8], row[10]) for row in rows] == [
        ("seller_sku", "price", "stock"),
        (market.offer_ru.public_id, "2500.00", "5"),
    ]
    assert as_xlsx["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = read_xlsx(b"".join(as_xlsx.streaming_content))
    assert [(row[0], row[8]) for row in sheet] == [
        ("seller_sku", "price"),
        (market.offer_ru.public_id, 2500),
    ]


def test_template_names_every_column(client, market):
    client.force_login(owner_of(market.seller_ru))

    response = client.get(reverse("seller_portal:bulk_template"))

    rows = read_csv(response.content)
    assert rows[0][:3] == ["seller_sku", "product_id", "variant"]
    assert len(rows) == 3
    assert rows[1][0] == "HP-100-BLK"


def test_the_pages_and_row_errors_read_in_russian(client, market):
    client.cookies["django_language"] = "ru"

    upload_as(client, owner_of(market.seller_ru), offer_file(market))
    page = client.get(reverse("seller_portal:bulk")).content.decode()
    preview = client.get(
        reverse("seller_portal:bulk_preview", args=[OfferImport.objects.get().public_id])
    ).content.decode()

    assert "Загрузить файл" in page
    assert "Будет обновлено" in preview
    assert "Это не сумма: запишите цифрами с десятичной точкой, 1990.50" in preview
