"""Reads for customs: which rule covers a parcel, the VAT and tariff rates, and the exchange
rate a rule's thresholds convert at."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from caravan.fx.freshness import is_rate_stale
from caravan.fx.models import ExchangeRate
from caravan.kernel.errors import NotFound

from .models import ImportRule, TariffRate, VatRate
from .territories import destinations_for


@dataclass(frozen=True)
class CustomsRate:
    """One unit of `base` is `rate` units of `quote`, as `source` published it for
    `rate_date`: the rate a rule's thresholds were converted at, for the order to record."""

    base: str
    quote: str
    rate: Decimal
    source: str
    rate_date: date

    @classmethod
    def identity(cls, currency: str, *, on: date) -> CustomsRate:
        return cls(currency, currency, Decimal(1), "identity", on)


def list_import_rules(*, destination: str | None = None) -> QuerySet[ImportRule]:
    rules = ImportRule.objects.all()
    if destination:
        rules = rules.filter(destination=destination)
    # The open-ended value band after the capped ones, on SQLite and PostgreSQL alike.
    return rules.order_by(
        "destination", "effective_from", F("max_goods_value").asc(nulls_last=True), "regime"
    )


def rules_in_force(*, country: str, on: date) -> list[ImportRule]:
    """The rules covering `country` on `on`, the country's own rows before its union's
    (a country's rows, when it has any, replace the union's), each list ordered by value
    ceiling, the open-ended one last."""
    found = list(
        ImportRule.objects.in_force(on=on).filter(destination__in=destinations_for(country))
    )
    for destination in destinations_for(country):
        own = [rule for rule in found if rule.destination == destination]
        if own:
            return sorted(
                own,
                key=lambda rule: (rule.max_goods_value is None, rule.max_goods_value or 0),
            )
    return []


def vat_rate_for(*, country: str, on: date) -> VatRate:
    rate = (
        VatRate.objects.filter(country=country, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .order_by("-effective_from")
        .first()
    )
    if rate is None:
        raise NotFound(
            _("No VAT rate is configured for %(country)s on %(day)s.")
            % {"country": country, "day": on.isoformat()},
            code="vat_rate_missing",
        )
    return rate


def tariff_rates_for(*, rule: ImportRule) -> list[TariffRate]:
    return list(TariffRate.objects.filter(rule=rule))


def match_tariff_rate(
    rates: list[TariffRate], *, hs_code: str, origin_country: str
) -> TariffRate | None:
    """The longest HS prefix that matches; at equal length a row for the origin beats a row
    for any origin."""
    matching = [
        rate
        for rate in rates
        if hs_code.startswith(rate.hs_prefix) and rate.origin_country in ("", origin_country)
    ]
    if not matching:
        return None
    return max(matching, key=lambda rate: (len(rate.hs_prefix), rate.origin_country != ""))


def customs_rate(*, base: str, quote: str, source: str, on: date) -> CustomsRate:
    """The rate `source` published for the pair, the newest on or before `on`. A missing or
    stale rate is an error: a threshold is never converted at 1.0."""
    if base == quote:
        return CustomsRate.identity(base, on=on)
    rate = (
        ExchangeRate.objects.filter(
            base=base, quote=quote, source__startswith=source, rate_date__lte=on
        )
        .order_by("-rate_date", "-as_of", "-id")
        .first()
    )
    if rate is None:
        raise NotFound(
            _("No %(source)s exchange rate from %(base)s to %(quote)s on %(day)s.")
            % {"source": source.upper(), "base": base, "quote": quote, "day": on.isoformat()},
            code="rate_missing",
        )
    end_of_day = timezone.make_aware(datetime.combine(on, time.max))
    if is_rate_stale(rate_date=rate.rate_date, at=end_of_day):
        raise NotFound(
            _(
                "The %(source)s exchange rate from %(base)s to %(quote)s is of %(rate_day)s, too old for %(day)s."
            )
            % {
                "source": source.upper(),
                "base": base,
                "quote": quote,
                "rate_day": rate.rate_date.isoformat(),
                "day": on.isoformat(),
            },
            code="rate_stale",
        )
    return CustomsRate(base, quote, rate.rate, rate.source, rate.rate_date)


def list_vat_rates(*, country: str | None = None) -> QuerySet[VatRate]:
    rates = VatRate.objects.all()
    if country:
        rates = rates.filter(country=country)
    return rates.order_by("country", "-effective_from")


def list_destinations() -> list[str]:
    return sorted(set(ImportRule.objects.values_list("destination", flat=True)))
