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


@pytest.fixture
def market(db):
    from tests.factories import build_market

    return build_market()
