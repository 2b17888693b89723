from decimal import Decimal

import pytest

from caravan.fx.services import convert, latest_rates, record_rate
from caravan.kernel.errors import NotFound
from caravan.kernel.money import Money


def test_conversion_names_the_rate_its_source_and_time(db):
    rate = record_rate(base="CNY", quote="RUB", rate=Decimal("12.3456"), source="cbr")

    conversion = convert(money=Money("99.99", "CNY"), to="RUB")

    # 99.99 x 12.3456 = 1234.436544, rounded half-up to kopecks
    assert conversion.converted == Money("1234.44", "RUB")
    assert (conversion.rate, conversion.source, conversion.as_of) == (
        Decimal("12.3456"),
        "cbr",
        rate.as_of,
    )


def test_the_newest_rate_wins(db):
    record_rate(base="EUR", quote="RUB", rate=Decimal("90"), source="old")
    record_rate(base="EUR", quote="RUB", rate=Decimal("100"), source="new")

    assert latest_rates(quote="RUB")["EUR"].source == "new"
    assert convert(money=Money("2", "EUR"), to="RUB").converted == Money("200.00", "RUB")


def test_converting_into_the_same_currency_is_the_identity(db):
    conversion = convert(money=Money("5", "RUB"), to="RUB")

    assert (conversion.converted, conversion.rate, conversion.source) == (
        Money("5", "RUB"),
        Decimal(1),
        "identity",
    )


def test_a_missing_rate_is_a_coded_error(db):
    with pytest.raises(NotFound) as caught:
        convert(money=Money("5", "USD"), to="RUB")

    assert caught.value.code == "rate_missing"
