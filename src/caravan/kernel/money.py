"""Money: a Decimal amount in one ISO 4217 currency. Never a float."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import number_format

# Minor units per ISO 4217 for the currencies the marketplace prices in.
MINOR_UNITS: dict[str, int] = {
    "RUB": 2,
    "CNY": 2,
    "EUR": 2,
    "USD": 2,
    "TRY": 2,
    "KZT": 2,
    "BYN": 2,
    "GBP": 2,
    "JPY": 0,
    "KRW": 0,
}
CURRENCY_SYMBOLS: dict[str, str] = {
    "RUB": "₽",
    "CNY": "¥",
    "EUR": "€",
    "USD": "$",
    "TRY": "₺",
    "KZT": "₸",
    "GBP": "£",
    "JPY": "¥",
}
CURRENCY_CHOICES = [(code, code) for code in MINOR_UNITS]


class CurrencyMismatch(TypeError):
    """Two amounts in different currencies were combined."""


class UnknownCurrency(ValueError):
    pass


def _to_decimal(value: Decimal | int | str) -> Decimal:
    # Most amounts arrive as Decimals already (database columns, arithmetic on Money): a
    # product page makes about 400 Money values, so they skip the parse.
    if type(value) is Decimal and value.is_finite():
        return value
    if isinstance(value, float):
        raise TypeError("Money never takes a float; pass a Decimal, int or str")
    try:
        amount = Decimal(value)
    except (InvalidOperation, ValueError) as error:
        raise ValueError(f"not an amount: {value!r}") from error
    # NaN and Infinity parse as Decimals but break comparisons and rounding downstream.
    if not amount.is_finite():
        raise ValueError(f"not an amount: {value!r}")
    return amount


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __init__(self, amount: Decimal | int | str, currency: str) -> None:
        if currency not in MINOR_UNITS:
            raise UnknownCurrency(f"unknown currency: {currency!r}")
        object.__setattr__(self, "amount", _to_decimal(amount))
        object.__setattr__(self, "currency", currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    def _same(self, other: object) -> Money:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{self.currency} and {other.currency} cannot be combined")
        return other

    def __add__(self, other: object) -> Money:
        return Money(self.amount + self._same(other).amount, self.currency)

    def __radd__(self, other: object) -> Money:
        # sum() starts from 0; only that zero is accepted.
        if other == 0:
            return self
        return self.__add__(other)

    def __sub__(self, other: object) -> Money:
        return Money(self.amount - self._same(other).amount, self.currency)

    def __mul__(self, factor: int | Decimal) -> Money:
        if isinstance(factor, float) or not isinstance(factor, int | Decimal):
            raise TypeError("Money is multiplied by an int or a Decimal only")
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same(other).amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same(other).amount

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._same(other).amount

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._same(other).amount

    def rounded(self) -> Money:
        """Round half-up to the currency's minor unit (the named rounding point)."""
        exponent = Decimal(1).scaleb(-MINOR_UNITS[self.currency])
        return Money(self.amount.quantize(exponent, rounding=ROUND_HALF_UP), self.currency)

    @property
    def is_zero(self) -> bool:
        return self.amount == 0

    def __str__(self) -> str:
        return format_money(self)


def format_money(money: Money) -> str:
    places = MINOR_UNITS[money.currency]
    amount = money.rounded().amount
    if places and amount == amount.to_integral_value():
        places = 0
    text = number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)
    symbol = CURRENCY_SYMBOLS.get(money.currency)
    if money.currency == "CNY":
        return f"{text} CN¥"
    return f"{text} {symbol}" if symbol else f"{text} {money.currency}"


class MoneyTotals:
    """Totals kept per currency: amounts in different currencies are never summed."""

    def __init__(self, items: Iterable[Money] = ()) -> None:
        self._totals: dict[str, Money] = {}
        for item in items:
            self.add(item)

    def add(self, money: Money) -> None:
        current = self._totals.get(money.currency)
        self._totals[money.currency] = money if current is None else current + money

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(sorted(self._totals.values(), key=lambda money: money.currency))

    def __len__(self) -> int:
        return len(self._totals)

    def get(self, currency: str) -> Money:
        return self._totals.get(currency, Money.zero(currency))

    def as_list(self) -> list[Money]:
        return list(self)

    def __str__(self) -> str:
        return " + ".join(str(money) for money in self)
