"""Small display helpers for the seller portal templates."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from caravan.kernel.money import Money
from caravan.kernel.templatetags.countries import country, flag
from caravan.kernel.templatetags.dates import day_and_time
from caravan.orders.models import Order, OrderEvent, SellerOrder

register = template.Library()

STATUS_BADGES = {
    "pending_payment": "badge",
    "awaiting_shipment": "badge-warn",
    "shipped": "badge-info",
    "delivered": "badge-ok",
    "cancelled": "badge-bad",
}


# Shared with the other interface apps; registered here so templates load one library.
register.filter("flag", flag)
register.filter("country", country)
register.filter("day_and_time", day_and_time)


@register.filter
def status_badge(status: str) -> str:
    """The badge class for a seller order status."""
    return STATUS_BADGES.get(status, "badge")


@register.filter
def status_label(status: str) -> str:
    """The translated name of an order or seller order status, as the audit trail stores it."""
    labels = {**dict(Order.Status.choices), **dict(SellerOrder.Status.choices)}
    return str(labels.get(status, status))


@register.filter
def money(amount: Decimal | None, currency: str) -> str:
    return "" if amount is None else str(Money(amount, currency))


@register.filter
def is_overdue(deadline: datetime | None) -> bool:
    return deadline is not None and deadline < timezone.now()


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: object) -> str:
    """The current query string with some parameters replaced (empty values dropped)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = str(value)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def event_actor(event: OrderEvent, seller_order: SellerOrder) -> str:
    """Who moved the order, without the buyer's email: a seller needs the name, address and
    phone to ship, never the buyer's contact details (issue 11)."""
    actor = event.actor
    if actor is None:
        return ""
    if actor.pk == seller_order.order.buyer_id:
        return _("the buyer")
    if actor.is_staff:
        return _("Caravan")
    return actor.email


@register.simple_tag(takes_context=True)
def orders_unread_badge(context: template.Context) -> str:
    """The Orders link's count of buyers' messages nobody at the shop has read yet."""
    from ..views.threads import unread_messages

    request = context.get("request")
    if request is None or not hasattr(request, "seller_access"):
        return ""
    count = unread_messages(request)
    if not count:
        return ""
    label = ngettext(
        "%(count)s unread message from buyers", "%(count)s unread messages from buyers", count
    ) % {"count": count}
    return format_html(
        '<span class="nav-count" data-testid="nav-orders-unread" title="{}">'
        '<span class="sr-only">{}</span><span aria-hidden="true">{}</span></span>',
        label,
        label,
        count,
    )
