"""What each web process keeps beside the shared cache: a product page's offers worked out
once, the rows', entries', cards' and kept listing pages' copies (storefront.offer_sheet,
offer_rows, memo, card_cache, listing_pages; docs/decisions/0028-process-copies.md)."""

import re
import types
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.cache_reads import RECORDING_CACHE, ReadsRecordingCache

from caravan.catalog.models import Product
from caravan.fx.quotes import quote_table
from caravan.kernel.money import Money
from caravan.offers.models import Offer
from caravan.offers.selectors import product_offer_rows
from caravan.offers.services import update_offer
from caravan.shipping.quotes import Destination
from caravan.storefront import offer_rows, offer_sheet
from caravan.storefront.memo import reference_rates, shipping_tables
from caravan.storefront.presenters import offer_lines

from .shelves import build_shelf

pytestmark = pytest.mark.django_db

OFFER_PRICE = re.compile(r'data-testid="offer-price">([^<]*)')
CARD_PRICE = re.compile(r'data-testid="card-price">([^<]*)<')


@pytest.fixture
def process_copies(settings):
    settings.CACHES = {**settings.CACHES, "default": RECORDING_CACHE}
    settings.STOREFRONT_PAGE_CACHE = False
    settings.STOREFRONT_CARD_CACHE = True
    settings.STOREFRONT_PROCESS_MEMO = True
    cache.clear()
    ReadsRecordingCache.reads.clear()
    yield settings
    cache.clear()


@pytest.fixture
def worked_out(monkeypatch):
    """The offers each call of presenters.offer_lines worked out, by offer id."""
    calls: list[list[int]] = []

    def recording(offers, **options):
        calls.append([offer.id for offer in offers])
        return offer_lines(offers, **options)

    monkeypatch.setattr(offer_sheet, "offer_lines", recording)
    return calls


def test_a_second_visit_works_out_no_offer_again(client, market, process_copies, worked_out):
    url = f"/p/{market.product.public_id}/"
    first = client.get(url).content.decode()

    second = client.get(url).content.decode()

    assert [sorted(ids) for ids in worked_out] == [sorted([market.offer_ru.id, market.offer_cn.id])]
    assert OFFER_PRICE.findall(second) == OFFER_PRICE.findall(first)


def test_a_price_change_works_out_that_offer_alone_and_shows_its_new_price(
    client, market, process_copies, worked_out
):
    url = f"/p/{market.product.public_id}/"
    client.get(url)

    update_offer(
        seller=market.seller_ru,
        offer_public_id=market.offer_ru.public_id,
        price=Money("2400", "RUB"),
    )
    body = client.get(url).content.decode()

    assert worked_out[1:] == [[market.offer_ru.id]]
    assert OFFER_PRICE.findall(body) == ["1,903.13 ₽", "2,400 ₽"]


def test_a_stock_change_shows_at_once(client, market, process_copies, worked_out):
    url = f"/p/{market.product.public_id}/"
    client.get(url)

    update_offer(
        seller=market.seller_ru, offer_public_id=market.offer_ru.public_id, stock_quantity=0
    )
    body = client.get(url).content.decode()

    assert worked_out[1:] == [[market.offer_ru.id]]
    assert body.count('class="offer-row is-out"') == 1


def test_another_currency_gets_lines_of_its_own(client, market, process_copies, worked_out):
    url = f"/p/{market.product.public_id}/"
    client.get(url)
    other = Client()
    other.post("/currency/", {"currency": "EUR", "next": url})

    in_euros = other.get(url).content.decode()

    assert len(worked_out) == 2
    assert [price[-1] for price in OFFER_PRICE.findall(in_euros)] == ["€", "€"]


def test_a_language_without_label_columns_works_every_line_out_each_time(
    client, market, process_copies, worked_out
):
    url = f"/p/{market.product.public_id}/"
    client.cookies["django_language"] = "de"

    client.get(url)
    client.get(url)

    assert len(worked_out) == 2


def test_lines_are_worked_out_again_at_the_next_quarter_hour(market, process_copies, worked_out):
    destination = Destination(country="RU")
    rates = reference_rates()
    quotes = quote_table(currency="RUB")
    moment = datetime(2026, 12, 7, 20, 59, 59, tzinfo=UTC)

    def lines(at):
        return offer_sheet.sheet_lines(
            product_offer_rows(public_id=market.product.public_id).for_product(market.product),
            quotes=quotes,
            destination=destination,
            rates=rates,
            tables=shipping_tables,
            placed_at=at,
        )

    first = lines(moment)
    same_quarter = lines(moment - timedelta(minutes=14))
    next_quarter = lines(moment + timedelta(seconds=1))  # 21:00 UTC: midnight in Moscow

    assert len(worked_out) == 2
    assert [line.row for line in same_quarter] == [line.row for line in first]
    assert [line.row.promise for line in next_quarter] != [line.row.promise for line in first]


def test_past_the_limit_the_lines_are_all_forgotten(market, process_copies, worked_out, client):
    url = f"/p/{market.product.public_id}/"
    client.get(url)
    offer_sheet._lines.keep({("filler", n): None for n in range(offer_sheet.SHEET_LIMIT - 2)})

    update_offer(
        seller=market.seller_ru, offer_public_id=market.offer_ru.public_id, stock_quantity=9
    )
    client.get(url)

    assert worked_out[1:] == [[market.offer_ru.id]]
    assert len(offer_sheet._lines) == 1


def test_a_second_visit_reads_no_row_or_entry_from_the_shared_cache(client, market, process_copies):
    url = f"/p/{market.product.public_id}/"
    client.get(url)
    client.get(url)
    ReadsRecordingCache.reads.clear()

    client.get(url)

    read = [key for keys in ReadsRecordingCache.reads for key in keys]
    assert [key for key in read if "offer-row" in key or "buy-box" in key] == []
    assert [key for key in read if "storefront:memo:product:" in key] == []
    assert [key for key in read if "product-parts" in key] == []


def test_without_process_copies_every_visit_reads_the_rows_from_the_shared_cache(
    client, market, process_copies
):
    process_copies.STOREFRONT_PROCESS_MEMO = False
    url = f"/p/{market.product.public_id}/"
    client.get(url)
    ReadsRecordingCache.reads.clear()

    client.get(url)

    read = [key for keys in ReadsRecordingCache.reads for key in keys]
    assert len([key for key in read if "offer-row" in key]) == 2
    assert len([key for key in read if "buy-box" in key]) == 1


def test_the_kept_page_around_the_offers_is_read_again_after_its_seconds(
    client, market, process_copies, monkeypatch
):
    url = f"/p/{market.product.public_id}/"
    now = [1_000.0]
    monkeypatch.setattr(offer_rows, "time", types.SimpleNamespace(monotonic=lambda: now[0]))
    client.get(url)
    client.get(url)  # the kept page read and held here
    ReadsRecordingCache.reads.clear()

    client.get(url)
    held = [key for keys in ReadsRecordingCache.reads for key in keys if "product-shell" in key]
    now[0] += offer_rows.REMEMBER_SECONDS
    client.get(url)
    read_again = [
        key for keys in ReadsRecordingCache.reads for key in keys if "product-shell" in key
    ]

    assert (len(held), len(read_again)) == (0, 1)


def listing_reads():
    read = [key for keys in ReadsRecordingCache.reads for key in keys]
    return (
        [key for key in read if "storefront:card:" in key],
        [key for key in read if "storefront:listing-page:" in key],
        [key for key in read if "storefront:changed:card:" in key],
    )


def test_a_listing_seen_again_reads_only_the_stamps_of_its_kept_page_and_cards(
    client, process_copies
):
    build_shelf(count=3)
    url = "/c/electronics/?sort=price"
    first = client.get(url).content.decode()
    ReadsRecordingCache.reads.clear()

    again = client.get(url).content.decode()

    cards, pages, card_stamps = listing_reads()
    assert (cards, pages, len(card_stamps)) == ([], [], 3)
    assert CARD_PRICE.findall(again) == CARD_PRICE.findall(first)


def test_a_card_changed_since_its_copy_was_kept_is_rendered_again_and_kept_anew(
    client, process_copies, django_capture_on_commit_callbacks
):
    shelf = build_shelf(count=3)
    url = "/c/electronics/?sort=price"
    client.get(url)

    with django_capture_on_commit_callbacks(execute=True):
        update_offer(
            seller=shelf.seller_ru,
            offer_public_id=shelf.offers[0].public_id,
            price=Money("1500", "RUB"),
        )
    repriced = client.get(url).content.decode()
    ReadsRecordingCache.reads.clear()
    again = client.get(url).content.decode()

    assert "1,500 ₽" in CARD_PRICE.findall(repriced)
    assert CARD_PRICE.findall(again) == CARD_PRICE.findall(repriced)
    assert listing_reads()[0] == []


def test_a_product_page_seen_again_runs_one_statement(client, market, process_copies):
    url = f"/p/{market.product.public_id}/"
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)

    assert again.status_code == 200
    assert len(queries.captured_queries) == 1
    assert '"offers_offer"' in queries.captured_queries[0]["sql"]


def test_a_product_with_no_live_offer_reads_its_version_alone(client, market, process_copies):
    Offer.objects.filter(product=market.product).update(is_active=False)
    url = f"/p/{market.product.public_id}/"
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)

    assert again.status_code == 200
    assert len(queries.captured_queries) == 2
    assert OFFER_PRICE.findall(again.content.decode()) == []


def test_a_hidden_product_is_not_found(client, market, process_copies):
    Product.objects.filter(id=market.product.id).update(is_active=False)

    response = client.get(f"/p/{market.product.public_id}/")

    assert response.status_code == 404
