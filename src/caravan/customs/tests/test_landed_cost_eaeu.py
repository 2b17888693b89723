from decimal import Decimal

import pytest

from caravan.fx.quotes import Quote
from caravan.kernel.money import Money

from .helpers import FIRST_DAY_NEW_RULES, LAST_DAY_OLD_EAEU, line, quote, rules_and_rates

# Until 30 June 2026: EUR 200 and 31 kg per parcel, 15 % of the excess value, at least
# EUR 2 per kg of excess weight; at 1 EUR = 100 RUB the allowance is 20 000 RUB.


@pytest.mark.parametrize(
    ("goods", "grams", "duty", "is_above"),
    [
        ("19999.99", 1000, "0.00", False),
        ("20000.00", 1000, "0.00", False),
        ("20000.01", 1000, "0.00", True),  # 15 % of 0.01 RUB rounds to nothing
        ("20100.00", 1000, "15.00", True),
        ("10000.00", 30999, "0.00", False),
        ("10000.00", 31000, "0.00", False),
        ("10000.00", 31001, "0.20", True),  # 1 g over: EUR 2/kg x 0.001 kg x 100
        ("10000.00", 32000, "200.00", True),
        # Both over: 15 % of 10 000 RUB = 1 500 against EUR 2 x 10 kg = 2 000 RUB.
        ("30000.00", 41000, "2000.00", True),
        # Both over, the value weighs more: 15 % of 30 000 = 4 500 against 200.
        ("50000.00", 32000, "4500.00", True),
    ],
)
def test_old_eaeu_allowance_by_value_and_weight(db, goods, grams, duty, is_above):
    rules_and_rates(on=LAST_DAY_OLD_EAEU)

    cost = quote(
        line(goods, "RUB", grams=grams), delivery="500", destination="RU", on=LAST_DAY_OLD_EAEU
    )

    assert cost.rule is not None
    assert (cost.rule.destination, cost.rule.regime) == ("EAEU", "personal-parcels")
    assert cost.duty == Money(duty, "RUB")
    assert cost.vat == Money("0", "RUB")  # the 15 % includes the taxes
    assert cost.is_above_allowance is is_above
    assert cost.allowance == Money("20000.00", "RUB")
    assert cost.total == Money(goods, "RUB") + Money("500", "RUB") + Money(duty, "RUB")
    assert cost.paid_now == Money(goods, "RUB") + Money("500", "RUB")
    assert cost.due_at_delivery == Money(duty, "RUB")


@pytest.mark.parametrize(
    ("destination", "goods", "duty", "vat"),
    [
        ("RU", "20000.00", "0.00", "0.00"),
        # 5 % of the whole 20 000.01 = 1 000.0005 -> 1 000.00 (more than EUR 1/kg x 1 kg =
        # 100 RUB); VAT 22 % of goods + duty = 4 620.0022 -> 4 620.00.
        ("RU", "20000.01", "1000.00", "4620.00"),
        ("RU", "30000.00", "1500.00", "6930.00"),
        # The national VAT rate: Kazakhstan 16 %, Belarus 20 %.
        ("KZ", "30000.00", "1500.00", "5040.00"),
        ("BY", "30000.00", "1500.00", "6300.00"),
    ],
)
def test_eaeu_e_commerce_regime_from_1_july_2026(db, destination, goods, duty, vat):
    rules_and_rates(on=FIRST_DAY_NEW_RULES)

    cost = quote(
        line(goods, "RUB"), delivery="500", destination=destination, on=FIRST_DAY_NEW_RULES
    )

    assert cost.rule is not None
    assert (cost.rule.destination, cost.rule.regime) == ("EAEU", "e-commerce")
    assert (cost.duty, cost.vat) == (Money(duty, "RUB"), Money(vat, "RUB"))
    assert cost.due_at_delivery == Money(duty, "RUB") + Money(vat, "RUB")


def test_eaeu_e_commerce_minimum_per_kg_counts_the_whole_weight(db):
    rules_and_rates(on=FIRST_DAY_NEW_RULES)

    # 5 % of 20 100 = 1 005 RUB against EUR 1 x 40 kg = 4 000 RUB; VAT 22 % of 24 100.
    cost = quote(line("20100", "RUB", grams=40000), destination="RU", on=FIRST_DAY_NEW_RULES)

    assert (cost.duty, cost.vat) == (Money("4000.00", "RUB"), Money("5302.00", "RUB"))


def test_a_heavy_cheap_parcel_is_free_under_the_new_regime_but_not_the_old(db):
    rules_and_rates(on=LAST_DAY_OLD_EAEU)
    rules_and_rates(on=FIRST_DAY_NEW_RULES)
    parcel = line("10000", "RUB", grams=40000)

    before = quote(parcel, destination="RU", on=LAST_DAY_OLD_EAEU)
    after = quote(parcel, destination="RU", on=FIRST_DAY_NEW_RULES)

    assert before.duty == Money("1800.00", "RUB")  # EUR 2 x 9 kg
    assert (after.duty, after.vat) == (Money("0", "RUB"), Money("0", "RUB"))


@pytest.mark.parametrize(("ships_from", "destination"), [("RU", "RU"), ("KZ", "RU"), ("RU", "BY")])
def test_a_parcel_inside_the_union_crosses_no_customs_border(db, ships_from, destination):
    cost = quote(
        line("90000", "RUB", hs_code="", grams=50000),
        delivery="300",
        destination=destination,
        ships_from=ships_from,
        on=FIRST_DAY_NEW_RULES,
    )

    assert cost.rule is None
    assert (cost.duty, cost.vat) == (Money("0", "RUB"), Money("0", "RUB"))
    assert cost.paid_now == cost.total == Money("90300", "RUB")


def test_the_threshold_converts_at_the_cbr_rate_and_the_cost_names_it(db):
    rules_and_rates(on=FIRST_DAY_NEW_RULES)

    cost = quote(line("300", "EUR"), destination="RU", on=FIRST_DAY_NEW_RULES)

    assert cost.allowance == Money("200.00", "EUR")
    assert cost.customs_rate is not None
    assert (cost.customs_rate.base, cost.customs_rate.quote) == ("EUR", "EUR")
    rub = quote(line("30000", "RUB"), destination="RU", on=FIRST_DAY_NEW_RULES)
    assert rub.customs_rate is not None
    assert (rub.customs_rate.rate, rub.customs_rate.source, rub.customs_rate.rate_date) == (
        Decimal("100"),
        "cbr",
        FIRST_DAY_NEW_RULES,
    )


def test_the_cost_converts_figure_by_figure_into_the_buyer_currency(db):
    rules_and_rates(on=FIRST_DAY_NEW_RULES)
    cost = quote(line("30000.00", "RUB"), delivery="500", destination="RU", on=FIRST_DAY_NEW_RULES)
    to_euro = Quote("RUB", "EUR", Decimal("0.0099"), 150, "cbr", None)

    in_euro = cost.in_currency(to_euro)

    # effective rate 0.0099 x 1.015 = 0.0100485; each figure rounded to cents
    assert (in_euro.goods, in_euro.delivery, in_euro.duty, in_euro.vat) == (
        Money("301.46", "EUR"),
        Money("5.02", "EUR"),
        Money("15.07", "EUR"),
        Money("69.64", "EUR"),
    )
    assert in_euro.total == Money("391.19", "EUR")
    assert in_euro.due_at_delivery == Money("84.71", "EUR")


def test_a_quote_reads_the_rules_the_rate_and_the_vat_rate_in_three_queries(
    db, django_assert_num_queries
):
    rules_and_rates(on=FIRST_DAY_NEW_RULES)

    with django_assert_num_queries(3):
        cost = quote(line("30000", "RUB"), destination="RU", on=FIRST_DAY_NEW_RULES)

    assert cost.vat == Money("6930.00", "RUB")
