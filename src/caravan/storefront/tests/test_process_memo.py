"""Remembered values kept in the process until the shared cache's copy expires
(storefront.memo, docs/decisions/0026-process-memo.md)."""

import types

import pytest
from django.core.cache import cache
from tests.cache_reads import RECORDING_CACHE, ReadsRecordingCache

from caravan.storefront import memo

pytestmark = pytest.mark.django_db

T0 = 1_800_000_000.0


@pytest.fixture
def clock(monkeypatch):
    now = types.SimpleNamespace(value=T0)
    monkeypatch.setattr(memo, "time", types.SimpleNamespace(time=lambda: now.value))
    return now


@pytest.fixture
def shared(settings, clock):
    settings.CACHES = {**settings.CACHES, "default": RECORDING_CACHE}
    settings.STOREFRONT_PAGE_CACHE = False
    settings.STOREFRONT_CARD_CACHE = True
    settings.STOREFRONT_PROCESS_MEMO = True
    cache.clear()
    memo.forget_process_memo()
    ReadsRecordingCache.reads.clear()
    yield settings
    cache.clear()
    memo.forget_process_memo()


def counting(value):
    calls = []

    def compute():
        calls.append(1)
        return value

    return compute, calls


def memo_reads():
    return [
        keys
        for keys in ReadsRecordingCache.reads
        if any("storefront:remembered:" in k for k in keys)
    ]


def test_a_value_read_twice_in_one_process_is_read_from_the_shared_cache_once(shared):
    compute, calls = counting({"USD": "92.5"})

    first = memo.remembered("rates-a", compute)
    second = memo.remembered("rates-a", compute)

    assert first == {"USD": "92.5"}
    assert second is first
    assert len(calls) == 1
    assert memo_reads() == [["storefront:remembered:rates-a"]]


def test_another_processs_value_is_kept_until_the_shared_copy_expires(shared, clock):
    cache.set("storefront:remembered:rates-b", memo._Stored(at=T0 - 4, value="stored at T0-4"))
    compute, calls = counting("computed here")

    clock.value = T0
    read_first = memo.remembered("rates-b", compute)
    clock.value = T0 - 4 + memo.REMEMBER_SECONDS - 0.01
    read_just_before = memo.remembered("rates-b", compute)
    cache.delete("storefront:remembered:rates-b")  # the shared copy expired
    clock.value = T0 - 4 + memo.REMEMBER_SECONDS
    read_at_expiry = memo.remembered("rates-b", compute)

    assert (read_first, read_just_before, read_at_expiry) == (
        "stored at T0-4",
        "stored at T0-4",
        "computed here",
    )
    assert len(calls) == 1
    assert len(memo_reads()) == 2


def test_without_the_process_memo_every_read_goes_to_the_shared_cache(shared):
    shared.STOREFRONT_PROCESS_MEMO = False
    compute, calls = counting(7)

    values = [memo.remembered("stats-c", compute) for _ in range(3)]

    assert values == [7, 7, 7]
    assert len(calls) == 1
    assert len(memo_reads()) == 3


def test_a_value_without_its_time_is_computed_again(shared):
    cache.set("storefront:remembered:stats-d", {"sellers": 3})
    compute, calls = counting({"sellers": 4})

    value = memo.remembered("stats-d", compute)

    assert value == {"sellers": 4}
    assert len(calls) == 1
    assert cache.get("storefront:remembered:stats-d") == memo._Stored(at=T0, value={"sellers": 4})


def test_a_value_remembered_as_none_is_not_computed_again(shared):
    compute, calls = counting(None)

    values = [memo.remembered("nothing-e", compute) for _ in range(2)]

    assert values == [None, None]
    assert len(calls) == 1


def test_the_category_tree_is_never_kept_in_the_process(shared, market):
    first = memo.category_tree()
    cache.delete("storefront:memo:category-tree")  # a category renamed
    ReadsRecordingCache.reads.clear()

    again = memo.category_tree()

    assert [node.category.slug for node in again] == [node.category.slug for node in first]
    tree_reads = [
        keys for keys in ReadsRecordingCache.reads if "storefront:memo:category-tree" in keys
    ]
    assert tree_reads == [["storefront:memo:category-tree"]]
    assert memo._process_memo == {}


def test_a_full_process_memo_drops_its_expired_values_first(shared, clock, monkeypatch):
    monkeypatch.setattr(memo, "PROCESS_MEMO_LIMIT", 3)
    memo.remembered("old-1", lambda: 1)
    memo.remembered("old-2", lambda: 2)
    clock.value = T0 + 6
    memo.remembered("new-3", lambda: 3)
    clock.value = T0 + memo.REMEMBER_SECONDS + 1  # old-1 and old-2 expired, new-3 not

    memo.remembered("new-4", lambda: 4)

    assert sorted(memo._process_memo) == [
        "storefront:remembered:new-3",
        "storefront:remembered:new-4",
    ]


def test_a_full_process_memo_of_live_values_starts_again(shared, monkeypatch):
    monkeypatch.setattr(memo, "PROCESS_MEMO_LIMIT", 2)
    memo.remembered("live-1", lambda: 1)
    memo.remembered("live-2", lambda: 2)

    memo.remembered("live-3", lambda: 3)

    assert sorted(memo._process_memo) == ["storefront:remembered:live-3"]


def test_a_product_page_seen_again_reads_no_remembered_value_from_the_shared_cache(
    client, market, shared
):
    address = f"/p/{market.product.public_id}/"
    first = client.get(address)
    ReadsRecordingCache.reads.clear()

    again = client.get(address)

    assert (first.status_code, again.status_code) == (200, 200)
    # The quote table, the reference rates and the seller's shipping tables stayed here.
    remembered = ("storefront:remembered:",)
    assert [
        keys for keys in ReadsRecordingCache.reads if any(k.startswith(remembered) for k in keys)
    ] == []


def test_a_product_page_seen_again_reads_its_entry_and_parts_in_one_round_trip(
    client, market, shared
):
    address = f"/p/{market.product.public_id}/"
    client.get(address)
    ReadsRecordingCache.reads.clear()

    client.get(address)

    entry_reads = [
        keys
        for keys in ReadsRecordingCache.reads
        if any("storefront:memo:product:" in k for k in keys)
    ]
    parts_reads = [
        keys
        for keys in ReadsRecordingCache.reads
        if any("storefront:product-parts:" in k for k in keys)
    ]
    assert len(entry_reads) == 1
    assert parts_reads == entry_reads
