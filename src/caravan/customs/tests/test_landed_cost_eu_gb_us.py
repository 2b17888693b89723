from datetime import date
from decimal import Decimal

import pytest

from caravan.customs.models import ImportRule, TariffRate
from caravan.kernel.errors import NotFound
from caravan.kernel.money import Money

from .helpers import FIRST_DAY_NEW_RULES, LAST_DAY_OLD_EAEU, line, quote, rules_and_rates


def add_tariff(*, destination: str, regime: str, hs_prefix: str, rate: str, origin: str = ""):
    return TariffRate.objects.create(
        rule=ImportRule.objects.get(destination=destination, regime=regime),
        hs_prefix=hs_prefix,
        origin_country=origin,
        rate=Decimal(rate),
        source_title="test tariff",
        source_url="https://example.org/tariff",
        source_date=date(2026, 1, 1),
    )


@pytest.mark.parametrize(
    ("goods", "regime", "vat", "paid_now"),
    [
        # IOSS: VAT 19 % on goods + delivery at checkout, nothing at delivery.
        ("149.99", "ioss", "30.40", "190.39"),
        ("150.00", "ioss", "30.40", "190.40"),
    ],
)
def test_eu_ioss_up_to_150_before_july_2026(db, goods, regime, vat, paid_now):
    rules_and_rates(on=LAST_DAY_OLD_EAEU)

    cost = quote(line(goods, "EUR"), delivery="10", destination="DE", on=LAST_DAY_OLD_EAEU)

    assert cost.rule is not None and cost.rule.regime == regime
    assert (cost.duty, cost.vat) == (Money("0", "EUR"), Money(vat, "EUR"))
    assert cost.paid_now == Money(paid_now, "EUR")
    assert cost.due_at_delivery == Money("0", "EUR")


def test_eu_above_150_pays_the_tariff_duty_and_vat_at_delivery(db):
    rules_and_rates(on=LAST_DAY_OLD_EAEU)
    add_tariff(destination="EU", regime="standard", hs_prefix="6109", rate="0.12")

    cost = quote(line("150.01", "EUR"), delivery="10", destination="DE", on=LAST_DAY_OLD_EAEU)

    assert cost.rule is not None and cost.rule.regime == "standard"
    # 12 % of 150.01 = 18.0012 -> 18.00; VAT 19 % of 150.01 + 10 + 18.00 = 33.8219 -> 33.82
    assert (cost.duty, cost.vat) == (Money("18.00", "EUR"), Money("33.82", "EUR"))
    assert cost.paid_now == Money("160.01", "EUR")
    assert cost.due_at_delivery == Money("51.82", "EUR")


def test_eu_above_150_without_a_tariff_rate_is_refused_not_guessed(db):
    rules_and_rates(on=LAST_DAY_OLD_EAEU)

    with pytest.raises(NotFound) as error:
        quote(line("150.01", "EUR"), destination="DE", on=LAST_DAY_OLD_EAEU)

    assert error.value.code == "duty_rate_missing"


@pytest.mark.parametrize(
    ("lines", "duty"),
    [
        ([("40", "610910", 1)], "3.00"),
        # one heading twice is one heading; a second heading adds EUR 3
        ([("40", "610910", 2), ("20", "610910", 1)], "3.00"),
        ([("40", "610910", 1), ("20", "611030", 3)], "6.00"),
        ([("40", "610910", 1), ("20", "611030", 1), ("10", "851830", 1)], "9.00"),
    ],
)
def test_eu_flat_duty_per_distinct_heading_from_1_july_2026(db, lines, duty):
    rules_and_rates(on=FIRST_DAY_NEW_RULES)
    parcel = [line(amount, "EUR", hs_code=hs, quantity=qty) for amount, hs, qty in lines]
    goods = sum((Money(a, "EUR") * q for a, _hs, q in lines), Money.zero("EUR"))

    cost = quote(*parcel, delivery="5", destination="FR", on=FIRST_DAY_NEW_RULES)

    assert cost.rule is not None and cost.rule.regime == "ioss-flat-duty"
    assert cost.duty == Money(duty, "EUR")
    assert (
        cost.vat == ((goods + Money("5", "EUR") + Money(duty, "EUR")) * Decimal("0.20")).rounded()
    )
    assert cost.due_at_delivery == Money("0", "EUR")


def test_the_eu_threshold_converts_at_the_ecb_rate(db):
    rules_and_rates(on=FIRST_DAY_NEW_RULES)
    add_tariff(destination="EU", regime="standard", hs_prefix="6109", rate="0.12")

    at = quote(line("1200.00", "CNY"), destination="DE", on=FIRST_DAY_NEW_RULES)
    over = quote(line("1200.01", "CNY"), destination="DE", on=FIRST_DAY_NEW_RULES)

    # EUR 150 at 8 CNY = 1 200 CNY; EUR 3 = 24 CNY
    assert at.rule is not None and at.rule.regime == "ioss-flat-duty"
    assert at.duty == Money("24.00", "CNY")
    assert over.rule is not None and over.rule.regime == "standard"
    assert over.duty == Money("144.00", "CNY")  # 12 % of 1 200.01 = 144.0012
    assert at.customs_rate is not None
    assert (at.customs_rate.base, at.customs_rate.quote, at.customs_rate.rate) == (
        "EUR",
        "CNY",
        Decimal("8"),
    )


def test_an_eu_country_without_a_vat_rate_is_refused(db):
    rules_and_rates(on=FIRST_DAY_NEW_RULES)

    with pytest.raises(NotFound) as error:
        quote(line("40", "EUR"), destination="ES", on=FIRST_DAY_NEW_RULES)

    assert error.value.code == "vat_rate_missing"


@pytest.mark.parametrize(
    ("goods", "vat"),
    [("134.97", "27.99"), ("134.99", "28.00"), ("135.00", "28.00")],  # 20 % of goods + 5
)
def test_gb_vat_at_checkout_up_to_135(db, goods, vat):
    rules_and_rates(on=FIRST_DAY_NEW_RULES)

    cost = quote(line(goods, "GBP"), delivery="5", destination="GB", on=FIRST_DAY_NEW_RULES)

    assert cost.rule is not None and cost.rule.regime == "low-value"
    assert (cost.duty, cost.vat) == (Money("0", "GBP"), Money(vat, "GBP"))
    assert cost.due_at_delivery == Money("0", "GBP")


def test_gb_above_135_pays_duty_and_vat_at_delivery(db):
    rules_and_rates(on=FIRST_DAY_NEW_RULES)
    add_tariff(destination="GB", regime="standard", hs_prefix="61", rate="0.12")

    cost = quote(line("135.01", "GBP"), delivery="5", destination="GB", on=FIRST_DAY_NEW_RULES)

    # 12 % of 135.01 = 16.2012 -> 16.20; VAT 20 % of 135.01 + 5 + 16.20 = 31.242 -> 31.24
    assert cost.rule is not None and cost.rule.regime == "standard"
    assert (cost.duty, cost.vat) == (Money("16.20", "GBP"), Money("31.24", "GBP"))
    assert cost.due_at_delivery == Money("47.44", "GBP")


def test_us_de_minimis_until_28_august_2025_and_none_after(db):
    rules_and_rates(on=date(2025, 8, 28))
    rules_and_rates(on=date(2025, 8, 29))
    add_tariff(
        destination="US", regime="no-de-minimis", hs_prefix="851830", rate="0.10", origin="CN"
    )
    add_tariff(destination="US", regime="no-de-minimis", hs_prefix="85", rate="0.02")

    before = quote(line("800", "USD", hs_code="851830"), destination="US", on=date(2025, 8, 28))
    from_china = quote(line("800", "USD", hs_code="851830"), destination="US", on=date(2025, 8, 29))
    from_germany = quote(
        line("800", "USD", hs_code="851830", origin="DE"),
        destination="US",
        ships_from="DE",
        on=date(2025, 8, 29),
    )

    assert before.rule is not None and before.rule.regime == "de-minimis"
    assert before.duty == Money("0", "USD")
    # the origin-specific line wins over the shorter prefix for any origin
    assert from_china.duty == Money("80.00", "USD")
    assert from_germany.duty == Money("16.00", "USD")
    assert from_china.vat == Money("0", "USD")
    assert from_china.due_at_delivery == Money("80.00", "USD")
