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


@pytest.fixture
def market(db):
    from tests.factories import build_market

    return build_market()
