"""The storefront speaks Russian by default (the app's message catalog) and switches to
English on request."""

from datetime import UTC, datetime

import pytest
from tests.factories import set_clock

pytestmark = pytest.mark.django_db


def test_pages_render_in_russian_by_default(client, market, settings, monkeypatch):
    set_clock(monkeypatch, at=datetime(2026, 12, 7, 3, 0, tzinfo=UTC))  # a Monday morning
    settings.LANGUAGE_CODE = "ru"

    home = client.get("/").content.decode()
    product = client.get(f"/p/{market.product.public_id}/").content.decode()

    assert '<html lang="ru">' in home
    assert "Защита покупателя" in home
    assert "Беспроводные наушники" in home
    assert "Предложения продавцов" in product
    # The promise as dates, the month in the genitive.
    assert "13–17 декабря" in product
    assert "2\xa0500 ₽" in product
    assert "Китай" in product


def test_the_language_switch_remembers_english(client, market, settings):
    settings.LANGUAGE_CODE = "ru"

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    home = client.get("/").content.decode()

    assert '<html lang="en">' in home
    assert "Buyer protection" in home
    assert "Wireless Headphones" in home
