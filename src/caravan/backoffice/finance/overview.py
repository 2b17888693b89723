"""The finance overview (trial balance, escrow against provider clearing, what needs the
operator, the chart) and the FX rates with their age."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from caravan.fx.selectors import list_rate_ages
from caravan.kernel.clock import now
from caravan.ledger.selectors import trial_balance
from caravan.ledger.verify import verify_ledger

from ..access import operator_required
from .chart import build_finance_chart
from .selectors import (
    chart_currencies,
    daily_finance,
    escrow_against_clearing,
    finance_counts,
    trial_tables,
)

CHART_DAYS = 30


def age_text(age: timedelta) -> str:
    """A rate's age to the hour: "5 h", "3 d 2 h"."""
    hours = max(int(age.total_seconds() // 3600), 0)
    if hours < 48:
        return _("%(hours)d h") % {"hours": hours}
    return _("%(days)d d %(hours)d h") % {"days": hours // 24, "hours": hours % 24}


@require_GET
@operator_required
def finance_overview(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate(now())
    tables = trial_tables(trial_balance())
    currencies = chart_currencies(days=CHART_DAYS, today=today)
    marketplace = settings.MARKETPLACE_CURRENCY
    chosen = request.GET.get("currency", "")
    if chosen not in currencies:
        chosen = marketplace if marketplace in currencies or not currencies else currencies[0]
    rates = list_rate_ages()
    return render(
        request,
        "backoffice/finance/overview.html",
        {
            "tables": tables,
            "all_balanced": all(table.balanced for table in tables),
            "held": escrow_against_clearing([table.currency for table in tables]),
            "counts": finance_counts(),
            "stale_rates": [rate for rate in rates if rate.is_stale],
            "rate_count": len(rates),
            "chart": build_finance_chart(
                daily_finance(currency=chosen, days=CHART_DAYS, today=today)
            ),
            "chart_currencies": currencies,
            "marketplace_currency": marketplace,
            "verify": verify_ledger() if request.GET.get("verify") == "1" else None,
        },
    )


@require_GET
@operator_required
def finance_fx(request: HttpRequest) -> HttpResponse:
    rates = list_rate_ages()
    return render(
        request,
        "backoffice/finance/fx.html",
        {
            "rates": [(rate, age_text(rate.age)) for rate in rates],
            "stale_count": sum(1 for rate in rates if rate.is_stale),
            "max_age": timedelta(hours=settings.FX_MAX_RATE_AGE_HOURS),
            "max_age_hours": settings.FX_MAX_RATE_AGE_HOURS,
            "margin_bps": getattr(settings, "FX_MARGIN_BPS", 0),
        },
    )
