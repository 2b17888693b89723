"""A listing page records that its products are listed (page_cache.remember_listed) and reads
those records once per process within LISTED_TRUST_SECONDS (page_cache.listed_keys)."""

import pytest
from django.core.cache import cache
from tests.cache_reads import RECORDING_CACHE, ReadsRecordingCache

from caravan.storefront import page_cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _recording_cache(settings):
    settings.CACHES = {**settings.CACHES, "default": RECORDING_CACHE}
    settings.STOREFRONT_PAGE_CACHE = False
    settings.STOREFRONT_LISTING_SECONDS = 0
    cache.clear()
    ReadsRecordingCache.reads.clear()
    yield
    cache.clear()


def listed_reads():
    return [
        key for keys in ReadsRecordingCache.reads for key in keys if "storefront:listed:" in key
    ]


def test_the_first_page_reads_and_writes_the_records_and_the_next_reads_none(client, market):
    url = f"/c/{market.product.category.slug}/"
    record = f"storefront:listed:{market.product.id}"

    client.get(url)
    first = listed_reads()
    ReadsRecordingCache.reads.clear()
    client.get(url)

    assert first == [record]
    assert listed_reads() == []
    assert cache.get(record) is True


def test_a_record_is_read_again_once_the_trust_has_run_out(client, market, monkeypatch):
    url = f"/c/{market.product.category.slug}/"
    record = f"storefront:listed:{market.product.id}"
    client.get(url)
    cache.delete(record)
    ReadsRecordingCache.reads.clear()
    later = page_cache.time.time() + page_cache.LISTED_TRUST_SECONDS + 1
    monkeypatch.setattr(page_cache.time, "time", lambda: later)

    client.get(url)

    assert listed_reads() == [record]
    assert cache.get(record) is True
