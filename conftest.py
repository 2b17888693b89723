"""Shared pytest fixtures; factories live in tests/factories.py."""

import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def market(db):
    from tests.factories import build_market

    return build_market()
