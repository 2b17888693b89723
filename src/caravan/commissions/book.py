"""Which commission rule applies to an order line, and how much it takes.

Precedence, first match wins (a category "matches" when it is the line's category or one of
its ancestors, the nearest one first):

1. the seller's own rule for a matching category (a negotiated rate for one category);
2. the seller's catch-all rule (category empty): a seller-wide deal beats category rates;
3. the marketplace's rule for a matching category (so "Electronics" covers "Headphones");
4. the marketplace default (no category, no seller), created by a data migration.

The amount is the rounding point 3 of docs/decisions/0006-money.md, in the line's currency:
`max(round(line_total * percent / 100), minimum fee)`, never more than the line total. A minimum
fee stated in another currency is converted at the reference rate (no FX margin) and rounded.

Placement prices many lines at once, so `load_commission_book` reads everything the lines need
in two queries (the categories' ancestor chain, then the candidate rules) and the book answers
each line from memory; exchange rates are read only when a minimum fee must be converted, once
per line currency.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext as _

from caravan.catalog.models import Category
from caravan.fx.models import ExchangeRate
from caravan.fx.selectors import latest_rates_into
from caravan.fx.services import convert, latest_rates
from caravan.kernel.i18n import localized
from caravan.kernel.money import Money

from .models import CommissionRule


@dataclass(frozen=True)
class FrozenCommission:
    """What an order line keeps: the rule, its rate and the amount it took."""

    rule_id: int
    rule_label: str
    percent: Decimal
    amount: Money


@dataclass(frozen=True)
class CategoryNode:
    id: int
    parent_id: int | None
    name_ru: str
    name_en: str

    @property
    def name(self) -> str:
        return localized(self, "name")


class CommissionBook:
    """The rules for a known set of sellers and categories, resolved in memory."""

    def __init__(
        self,
        *,
        rules: Collection[CommissionRule],
        categories: Mapping[int, CategoryNode],
        seller_ids: Collection[int],
    ) -> None:
        self._rules = {(rule.category_id, rule.seller_id): rule for rule in rules}
        self._categories = dict(categories)
        self._seller_ids = frozenset(seller_ids)
        self._rates: dict[str, dict[str, ExchangeRate]] = {}

    def _ancestry(self, category_id: int) -> list[int]:
        """The category and its ancestors, nearest first."""
        if category_id not in self._categories:
            raise ValueError(f"category {category_id} was not loaded into the commission book")
        chain: list[int] = []
        current: int | None = category_id
        # The tree has no cycles by construction; the membership test only guards bad data.
        while current is not None and current in self._categories and current not in chain:
            chain.append(current)
            current = self._categories[current].parent_id
        return chain

    def rule_for(self, *, seller_id: int, category_id: int) -> tuple[CommissionRule, str]:
        """The winning rule and its label, per the precedence in the module docstring."""
        if seller_id not in self._seller_ids:
            raise ValueError(f"seller {seller_id} was not loaded into the commission book")
        chain = self._ancestry(category_id)
        for candidate in chain:
            rule = self._rules.get((candidate, seller_id))
            if rule is not None:
                return rule, self._label(rule, seller_override=True)
        rule = self._rules.get((None, seller_id))
        if rule is not None:
            return rule, self._label(rule, seller_override=True)
        for candidate in chain:
            rule = self._rules.get((candidate, None))
            if rule is not None:
                return rule, self._label(rule, seller_override=False)
        rule = self._rules.get((None, None)) or settings_default_rule()
        return rule, self._label(rule, seller_override=False)

    def _label(self, rule: CommissionRule, *, seller_override: bool) -> str:
        percent = f"{rule.percent:.2f} %"
        if rule.category_id is not None:
            scope = self._categories[rule.category_id].name
        elif seller_override:
            scope = _("All categories")
        else:
            scope = _("Marketplace default")
        if seller_override:
            return _("%(scope)s %(percent)s (seller override)") % {
                "scope": scope,
                "percent": percent,
            }
        return f"{scope} {percent}"

    def add_rates(self, rates: Mapping[str, dict[str, ExchangeRate]]) -> None:
        """Rates into some currencies that the caller already read ({quote: {base: rate}}),
        so preload_rates does not read them again."""
        for quote, table in rates.items():
            self._rates.setdefault(quote, table)

    def preload_rates(self, *, currencies: Collection[str]) -> None:
        """Rates into every line currency a minimum fee may need, in one query."""
        needed = {
            currency
            for currency in currencies
            if currency not in self._rates
            and any(
                rule.minimum_fee_currency != currency and rule.minimum_fee_amount
                for rule in self._rules.values()
            )
        }
        if needed:
            self._rates.update(latest_rates_into(quotes=needed))

    def _minimum_fee(
        self,
        rule: CommissionRule,
        *,
        currency: str,
        rates: dict[str, ExchangeRate] | None,
    ) -> Money:
        minimum = rule.minimum_fee
        if minimum.currency == currency or minimum.is_zero:
            return Money(minimum.amount, currency).rounded()
        if rates is None:
            if currency not in self._rates:
                self._rates[currency] = latest_rates(quote=currency)
            rates = self._rates[currency]
        return convert(money=minimum, to=currency, rates=rates).converted

    def commission_for(
        self,
        *,
        seller_id: int,
        category_id: int,
        line_total: Money,
        min_fee_rates: dict[str, ExchangeRate] | None = None,
    ) -> FrozenCommission:
        """The commission on one line. `min_fee_rates` are rates into the line's currency
        (fx.services.latest_rates) when the caller already holds them."""
        rule, label = self.rule_for(seller_id=seller_id, category_id=category_id)
        currency = line_total.currency
        zero = Money.zero(currency)
        if line_total <= zero:
            return FrozenCommission(rule.id, label, rule.percent, zero)
        by_percent = Money(line_total.amount * rule.percent / 100, currency).rounded()
        minimum = self._minimum_fee(rule, currency=currency, rates=min_fee_rates)
        amount = max(by_percent, minimum)
        return FrozenCommission(
            rule_id=rule.id,
            rule_label=label,
            percent=rule.percent,
            amount=min(amount, line_total),
        )


def settings_default_rule() -> CommissionRule:
    """The marketplace default when no default rule row exists (a database emptied by a
    reset or a test flush): settings.COMMISSION_DEFAULT, never saved. A default row, which
    the data migration creates and the back office edits, takes precedence."""
    default = settings.COMMISSION_DEFAULT
    return CommissionRule(
        id=0,
        category=None,
        seller=None,
        percent=Decimal(default["percent"]),
        minimum_fee_amount=Decimal(default["minimum_fee"]),
        minimum_fee_currency=default["minimum_fee_currency"],
        is_active=True,
    )


def _category_chain(category_ids: Collection[int]) -> dict[int, CategoryNode]:
    """The categories and all their ancestors in one recursive query."""
    if not category_ids:
        return {}
    table = connection.ops.quote_name(Category._meta.db_table)
    placeholders = ", ".join(["%s"] * len(category_ids))
    sql = (
        "WITH RECURSIVE chain (id, parent_id, name_ru, name_en) AS ("
        f" SELECT id, parent_id, name_ru, name_en FROM {table} WHERE id IN ({placeholders})"
        f" UNION SELECT c.id, c.parent_id, c.name_ru, c.name_en FROM {table} c"
        " JOIN chain ON c.id = chain.parent_id"
        ") SELECT id, parent_id, name_ru, name_en FROM chain"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(category_ids))
        rows = cursor.fetchall()
    return {row[0]: CategoryNode(row[0], row[1], row[2], row[3]) for row in rows}


def load_commission_book(
    *, seller_ids: Collection[int], category_ids: Collection[int]
) -> CommissionBook:
    """Every rule the given sellers' lines in the given categories may need, in two queries."""
    sellers = sorted(set(seller_ids))
    categories = _category_chain(sorted(set(category_ids)))
    rules = CommissionRule.objects.filter(is_active=True).filter(
        Q(seller_id__in=sellers) | Q(seller__isnull=True),
        Q(category_id__in=list(categories)) | Q(category__isnull=True),
    )
    return CommissionBook(rules=list(rules), categories=categories, seller_ids=sellers)
