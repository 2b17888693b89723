"""Import rules, read-only: what each destination charges, since when, and on what authority.
Rules change as data (the Django admin or a migration loading customs.rule_data)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from caravan.customs.models import ImportRule
from caravan.customs.selectors import list_destinations, list_import_rules, list_vat_rates
from caravan.kernel.money import Money

from .access import operator_required


def percent(rate: Decimal | None) -> str:
    """0.15 -> "15 %"; an empty rate reads as a dash (the tariff line or the national rate)."""
    if rate is None:
        return "—"
    return f"{(rate * 100).normalize():f} %"


@dataclass(frozen=True)
class RuleRow:
    rule: ImportRule
    ceiling: Money | None
    allowance: Money
    duty_rate: str
    minimum_per_kg: Money
    per_heading: Money
    vat_rate: str


def _row(rule: ImportRule) -> RuleRow:
    def money(amount: Decimal) -> Money:
        return Money(amount, rule.currency)

    return RuleRow(
        rule=rule,
        ceiling=None if rule.max_goods_value is None else money(rule.max_goods_value),
        allowance=money(rule.duty_free_value),
        duty_rate=percent(rule.duty_rate),
        minimum_per_kg=money(rule.duty_minimum_per_kg),
        per_heading=money(rule.duty_per_heading),
        vat_rate=percent(rule.vat_rate),
    )


@require_GET
@operator_required
def customs_rules(request: HttpRequest) -> HttpResponse:
    destinations = list_destinations()
    chosen = request.GET.get("destination", "")
    if chosen not in destinations:
        chosen = ""
    return render(
        request,
        "backoffice/customs/rules.html",
        {
            "destinations": destinations,
            "chosen": chosen,
            "rows": [_row(rule) for rule in list_import_rules(destination=chosen or None)],
            "vat_rates": [(rate, percent(rate.rate)) for rate in list_vat_rates()],
        },
    )
