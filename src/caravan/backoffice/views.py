from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from caravan.kernel.clock import now
from caravan.offers.moderation import count_moderation_queue
from caravan.orders.selectors import marketplace_activity
from caravan.sellers.selectors import list_application_queue, marketplace_stats

from .access import operator_required

ACTIVITY_DAYS = 30


@operator_required
def home(request: HttpRequest) -> HttpResponse:
    moment = now()
    return render(
        request,
        "backoffice/home.html",
        {
            "applications_waiting": list_application_queue().count(),
            "products_waiting": count_moderation_queue().pending,
            "stats": marketplace_stats(),
            "activity": marketplace_activity(
                since=moment - timedelta(days=ACTIVITY_DAYS), moment=moment
            ),
            "activity_days": ACTIVITY_DAYS,
        },
    )
