from decimal import Decimal

import pytest

from caravan.kernel.errors import InvalidTransition
from caravan.kernel.money import CurrencyMismatch, Money, MoneyTotals, UnknownCurrency
from caravan.kernel.transitions import TransitionTable


def test_money_adds_and_subtracts_in_one_currency():
    price = Money("10.50", "RUB")

    assert price + Money("2.25", "RUB") == Money("12.75", "RUB")
    assert price - Money("0.50", "RUB") == Money("10.00", "RUB")
    assert -price == Money("-10.50", "RUB")


def test_money_keeps_the_exact_decimal_amount():
    assert Money("0.1", "RUB") + Money("0.2", "RUB") == Money("0.3", "RUB")
    assert Money(7, "EUR").amount == Decimal("7")
    assert Money(Decimal("1.005"), "EUR").amount == Decimal("1.005")


def test_money_multiplies_by_int_or_decimal_only():
    price = Money("19.99", "CNY")

    assert price * 3 == Money("59.97", "CNY")
    assert 2 * price == Money("39.98", "CNY")
    assert price * Decimal("0.5") == Money("9.995", "CNY")
    with pytest.raises(TypeError):
        price * 1.5  # type: ignore[operator]
    with pytest.raises(TypeError):
        price * "2"  # type: ignore[operator]


def test_sum_of_money_starts_from_zero_only():
    assert sum([Money("1", "RUB"), Money("2", "RUB")]) == Money("3", "RUB")
    with pytest.raises(TypeError):
        Money("1", "RUB") + 1  # type: ignore[operator]


def test_adding_two_currencies_raises():
    with pytest.raises(CurrencyMismatch):
        Money("1", "RUB") + Money("1", "CNY")
    with pytest.raises(CurrencyMismatch):
        Money("1", "RUB") - Money("1", "EUR")
    with pytest.raises(CurrencyMismatch):
        assert Money("1", "RUB") < Money("2", "CNY")


def test_money_never_takes_a_float():
    with pytest.raises(TypeError):
        Money(0.1, "RUB")  # type: ignore[arg-type]


def test_money_refuses_text_that_is_not_an_amount():
    with pytest.raises(ValueError):
        Money("ten", "RUB")
    with pytest.raises(ValueError):
        Money("", "RUB")


@pytest.mark.parametrize("text", ["NaN", "sNaN", "Infinity", "-Infinity"])
def test_money_refuses_non_finite_amounts(text):
    with pytest.raises(ValueError):
        Money(text, "RUB")


def test_money_refuses_an_unknown_currency():
    with pytest.raises(UnknownCurrency):
        Money("1", "XXX")
    with pytest.raises(UnknownCurrency):
        Money("1", "rub")


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("1.005", "RUB", "1.01"),
        ("1.004", "RUB", "1.00"),
        ("2.675", "EUR", "2.68"),
        ("-1.005", "RUB", "-1.01"),
        ("10", "CNY", "10.00"),
        ("99.5", "JPY", "100"),
        ("99.49", "JPY", "99"),
    ],
)
def test_rounding_is_half_up_to_the_minor_unit(amount, currency, expected):
    rounded = Money(amount, currency).rounded()

    assert rounded == Money(expected, currency)
    assert str(rounded.amount) == expected


def test_money_compares_within_one_currency():
    assert Money("1", "RUB") < Money("2", "RUB")
    assert Money("2", "RUB") >= Money("2.00", "RUB")
    assert Money("0", "RUB").is_zero
    assert Money.zero("CNY") == Money("0.00", "CNY")


def test_money_totals_keep_one_total_per_currency():
    totals = MoneyTotals(
        [Money("100", "RUB"), Money("25.50", "CNY"), Money("50", "RUB"), Money("1", "EUR")]
    )

    assert totals.as_list() == [Money("25.50", "CNY"), Money("1", "EUR"), Money("150", "RUB")]
    assert len(totals) == 3
    assert totals.get("RUB") == Money("150", "RUB")
    assert totals.get("USD") == Money("0", "USD")


def test_empty_money_totals_have_no_currency():
    totals = MoneyTotals()

    assert totals.as_list() == []
    assert len(totals) == 0
    assert str(totals) == ""


ORDER_LIKE = TransitionTable(
    "order",
    {
        "pending": frozenset({"paid", "cancelled"}),
        "paid": frozenset({"completed"}),
    },
)


def test_transition_table_allows_only_listed_moves():
    assert ORDER_LIKE.can("pending", "paid")
    assert ORDER_LIKE.can("paid", "completed")
    assert not ORDER_LIKE.can("paid", "pending")
    assert not ORDER_LIKE.can("completed", "paid")
    assert not ORDER_LIKE.can("unknown", "paid")
    ORDER_LIKE.check("pending", "cancelled")


def test_transition_table_check_raises_a_coded_error():
    with pytest.raises(InvalidTransition) as caught:
        ORDER_LIKE.check("cancelled", "paid")

    assert caught.value.code == "invalid_transition"
    assert caught.value.message == "order cannot move from cancelled to paid"
