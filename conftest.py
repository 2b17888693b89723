"""Shared pytest fixtures; factories live in tests/factories.py."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _language_reset():
    """LocaleMiddleware activates a request's language on the test's thread and never resets
    it, so a test that browses in Russian would leave later tests reading Russian."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _throttles_reset():
    """Throttle counters live in a real cache; each test starts with none, so a suite that
    signs in hundreds of times from 127.0.0.1 is never throttled by accident."""
    from django.core.cache import caches

    caches["throttle"].clear()


@pytest.fixture(autouse=True)
def _process_memo_reset():
    """The storefront's per-process copies of remembered values (on when REDIS_URL is set)
    outlive a test's database; each test starts with none, and with no statement compiled
    (ADR 0027)."""
    yield
    from caravan.catalog.selectors import forget_statements as forget_version_reads
    from caravan.offers.selectors import forget_statements as forget_offer_reads
    from caravan.search.results import forget_statements
    from caravan.storefront.card_cache import forget_cards
    from caravan.storefront.listing_pages import forget_tags
    from caravan.storefront.memo import forget_process_memo
    from caravan.storefront.offer_rows import forget_fragments
    from caravan.storefront.offer_sheet import forget_lines
    from caravan.storefront.page_cache import forget_listed_seen

    forget_process_memo()
    forget_statements()
    forget_offer_reads()
    forget_version_reads()
    forget_tags()
    forget_listed_seen()
    forget_fragments()
    forget_lines()
    forget_cards()


@pytest.fixture(autouse=True)
def _postgres_marked_tests_need_postgresql(request):
    """A test marked `postgres` run against another database fails at once and says how to
    run it, rather than failing somewhere inside on a feature SQLite lacks."""
    if request.node.get_closest_marker("postgres") is None:
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.fail(
            "needs PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/caravan_test"
        )


@pytest.fixture
def market(db):
    from tests.factories import build_market

    return build_market()
