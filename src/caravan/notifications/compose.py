"""What each message says, composed in the language active when it is called.

A composer returns a Content: the subject, a few paragraphs, facts (label, value), the
order's lines, one action link and, for kinds that also go by SMS, the text message. The
templates notifications/email/message.{txt,html} lay out every kind the same way."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from caravan.conversations.models import ThreadMessage
from caravan.kernel.dates import day_and_time
from caravan.kernel.money import Money
from caravan.orders.models import Order, OrderLine, SellerOrder
from caravan.parcels.selectors import tracking_numbers
from caravan.payments.failures import describe_failure
from caravan.payments.models import Payment, Refund
from caravan.payouts.models import Payout

from .codes import delivery_code


@dataclass(frozen=True)
class Content:
    subject: str
    paragraphs: Sequence[str]
    facts: Sequence[tuple[str, str]] = ()
    lines: Sequence[tuple[str, str]] = ()
    action_label: str = ""
    action_url: str = ""
    sms_text: str = ""
    # A party's own words (an order message), shown apart from ours with its line breaks.
    quote: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def site_url(path: str) -> str:
    return f"{settings.NOTIFICATIONS_SITE_URL.rstrip('/')}{path}"


def day(moment: datetime) -> str:
    # caravan/config/formats: "5 декабря 2026" in Russian, "2026年12月5日" in Chinese.
    return date_format(timezone.localtime(moment), "DATE_FORMAT")


def _order_link(order: Order) -> str:
    return site_url(reverse("storefront:order", args=[order.number]))


def _seller_link(seller_order: SellerOrder) -> str:
    return site_url(reverse("seller_portal:order", args=[seller_order.public_id]))


def _line_rows(lines: Sequence[OrderLine]) -> list[tuple[str, str]]:
    rows = []
    for line in lines:
        name = line.product_name + (f" ({line.variant_label})" if line.variant_label else "")
        rows.append((f"{name} x {line.quantity}", str(line.buyer_line_total)))
    return rows


def _order_lines(order: Order) -> list[tuple[str, str]]:
    lines = OrderLine.objects.filter(seller_order__order=order).select_related("seller_order")
    return _line_rows(list(lines.order_by("seller_order_id", "id")))


def order_placed(order: Order) -> Content:
    deadline = timezone.localtime(order.payment_deadline)
    return Content(
        subject=_("Order %(number)s is placed") % {"number": order.number},
        paragraphs=[
            _("Thank you for your order %(number)s.") % {"number": order.number},
            _(
                "Please pay %(total)s by %(time)s, or the order is cancelled and the goods go "
                "back on sale."
            )
            % {"total": order.total, "time": day_and_time(deadline)},
        ],
        facts=[(_("Total"), str(order.total)), (_("Deliver to"), order.ship_to_one_line())],
        lines=_order_lines(order),
        action_label=_("Open the order"),
        action_url=_order_link(order),
    )


def order_paid(order: Order) -> Content:
    return Content(
        subject=_("Payment for order %(number)s received") % {"number": order.number},
        paragraphs=[
            _(
                "We received %(total)s for order %(number)s. The money is held safely until "
                "you have your parcels."
            )
            % {"total": order.total, "number": order.number},
            _("Each seller ships their parcel separately; we write when each one is on its way."),
        ],
        facts=[(_("Total paid"), str(order.total))],
        lines=_order_lines(order),
        action_label=_("Open the order"),
        action_url=_order_link(order),
    )


def payment_declined(payment: Payment) -> Content:
    """Composed when the task runs, so it tells the order's state then: still payable (the
    way back), paid since by another attempt, or cancelled."""
    order = payment.order
    if order.status == Order.Status.PENDING_PAYMENT:
        next_step = _(
            "Nothing was charged. The items are reserved for you until %(time)s: pay again "
            "from the order's page, or cancel the order there to get the items back in your cart."
        ) % {"time": day_and_time(timezone.localtime(order.payment_deadline))}
        action = _("Pay again")
    elif order.status in {Order.Status.PAID, Order.Status.COMPLETED}:
        next_step = _("Another payment attempt has paid the order since; this one charged nothing.")
        action = _("Open the order")
    else:
        next_step = _("The order was cancelled and nothing was charged. You can order again.")
        action = _("Open the order")
    return Content(
        subject=_("Payment for order %(number)s was declined") % {"number": order.number},
        paragraphs=[
            _("Your payment of %(amount)s for order %(number)s was declined.")
            % {"amount": payment.money, "number": order.number},
            describe_failure(payment.failure_reason),
            next_step,
        ],
        action_label=action,
        action_url=_order_link(order),
    )


def order_cancelled(order: Order, *, reason: str) -> Content:
    return Content(
        subject=_("Order %(number)s is cancelled") % {"number": order.number},
        paragraphs=[
            _("Order %(number)s was cancelled before it was paid; nothing was charged.")
            % {"number": order.number},
            _("Its items that are still on sale are back in your cart."),
        ],
        facts=[(_("Reason"), reason)] if reason else [],
        action_label=_("Open the order"),
        action_url=_order_link(order),
    )


def parcel_shipped(seller_order: SellerOrder) -> Content:
    order = seller_order.order
    code = delivery_code(seller_order)
    # A seller order shipped in parcels names every parcel's carrier and number.
    parcels = tracking_numbers(seller_order_id=seller_order.id) or [
        (seller_order.carrier, seller_order.tracking_number)
    ]
    carriers = ", ".join(dict.fromkeys(carrier for carrier, _number in parcels))
    numbers = ", ".join(number for _carrier, number in parcels)
    values = {
        "number": seller_order.number,
        "seller": seller_order.seller.name,
        "carrier": carriers,
        "tracking": numbers,
        "code": code,
    }
    return Content(
        subject=_("Your parcel %(number)s is on its way") % values,
        paragraphs=[
            _("%(seller)s shipped parcel %(number)s with %(carrier)s.") % values,
            _("Give the delivery code to the courier only when you have the parcel in hand."),
        ],
        facts=[
            (_("Carrier"), carriers),
            (_("Tracking number") if len(parcels) == 1 else _("Tracking numbers"), numbers),
            (_("Delivery code"), code),
        ],
        lines=_line_rows(list(seller_order.lines.order_by("id"))),
        action_label=_("Track the order"),
        action_url=_order_link(order),
        sms_text=_(
            "Caravan: parcel %(number)s shipped, %(carrier)s %(tracking)s. Delivery code "
            "%(code)s: give it only on receipt."
        )
        % values,
    )


def parcel_delivered(seller_order: SellerOrder) -> Content:
    values = {"number": seller_order.number, "seller": seller_order.seller.name}
    protection = seller_order.protection_ends_at
    paragraphs = [_("Parcel %(number)s from %(seller)s is delivered.") % values]
    if protection is not None:
        paragraphs.append(
            _(
                "If something is wrong with it, tell us by %(date)s: until then your money is "
                "protected."
            )
            % {"date": day(protection)}
        )
    return Content(
        subject=_("Parcel %(number)s is delivered") % values,
        paragraphs=paragraphs,
        action_label=_("Open the order"),
        action_url=_order_link(seller_order.order),
    )


def parcel_cancelled(seller_order: SellerOrder, *, reason: str) -> Content:
    values = {"number": seller_order.number, "seller": seller_order.seller.name}
    return Content(
        subject=_("Parcel %(number)s is cancelled") % values,
        paragraphs=[
            _("Parcel %(number)s from %(seller)s was cancelled before it shipped.") % values,
            _("What you paid for it is refunded to your card; we write when the refund is sent."),
        ],
        facts=[(_("Reason"), reason)] if reason else [],
        lines=_line_rows(list(seller_order.lines.order_by("id"))),
        action_label=_("Open the order"),
        action_url=_order_link(seller_order.order),
    )


def refund_sent(refund: Refund) -> Content:
    order = refund.payment.order
    values = {"amount": refund.money, "number": order.number}
    return Content(
        subject=_("Refund of %(amount)s for order %(number)s") % values,
        paragraphs=[
            _("We sent %(amount)s back to the card you paid order %(number)s with.") % values,
            _("Banks usually show a refund within a few working days."),
        ],
        facts=[(_("Amount"), str(refund.money)), (_("Reason"), refund.reason)],
        action_label=_("Open the order"),
        action_url=_order_link(order),
    )


def seller_new_order(seller_order: SellerOrder) -> Content:
    values = {"number": seller_order.number, "date": day(seller_order.ship_by)}
    return Content(
        subject=_("New paid order %(number)s: ship by %(date)s") % values,
        paragraphs=[
            _(
                "Order %(number)s is paid. Please ship it by %(date)s and enter the tracking "
                "number in the seller portal."
            )
            % values,
        ],
        facts=[
            (_("Ship by"), values["date"]),
            (_("Delivery"), seller_order.delivery_method_name),
            (_("Order total"), str(seller_order.total)),
        ],
        lines=[
            (
                f"{line.product_name} x {line.quantity}",
                str(Money(line.line_total_amount, seller_order.currency)),
            )
            for line in seller_order.lines.order_by("id")
        ],
        action_label=_("Open the order"),
        action_url=_seller_link(seller_order),
    )


def seller_ship_by_reminder(seller_order: SellerOrder) -> Content:
    values = {"number": seller_order.number, "date": day(seller_order.ship_by)}
    return Content(
        subject=_("Reminder: ship order %(number)s by %(date)s") % values,
        paragraphs=[
            _("Order %(number)s is paid and not shipped yet. Its ship-by date is %(date)s.")
            % values,
            _("Ship it and enter the tracking number, or cancel it if you cannot fulfil it."),
        ],
        facts=[(_("Ship by"), values["date"])],
        action_label=_("Open the order"),
        action_url=_seller_link(seller_order),
    )


def seller_order_cancelled(seller_order: SellerOrder, *, reason: str) -> Content:
    values = {"number": seller_order.number}
    return Content(
        subject=_("Order %(number)s is cancelled") % values,
        paragraphs=[
            _(
                "Order %(number)s was cancelled; do not ship it. Its stock is back in your "
                "offers and the buyer is refunded."
            )
            % values,
        ],
        facts=[(_("Reason"), reason)] if reason else [],
        action_label=_("Open the order"),
        action_url=_seller_link(seller_order),
    )


def seller_payout_sent(payout: Payout) -> Content:
    values = {"amount": payout.money, "account": payout.account_number or payout.iban}
    return Content(
        subject=_("Payout of %(amount)s sent") % values,
        paragraphs=[_("We paid %(amount)s to your account %(account)s.") % values],
        facts=[
            (_("Amount"), str(payout.money)),
            (_("Payment purpose"), payout.purpose),
        ],
        action_label=_("Open the seller portal"),
        action_url=site_url(reverse("seller_portal:dashboard")),
    )


def seller_message(message: ThreadMessage) -> Content:
    """To the buyer: the shop's name, never the name or address of the staff who wrote."""
    seller_order = message.thread.seller_order
    values = {"seller": seller_order.seller.name, "number": seller_order.number}
    return Content(
        subject=_("%(seller)s wrote about your parcel %(number)s") % values,
        paragraphs=[_("%(seller)s sent you a message about parcel %(number)s:") % values],
        quote=message.body,
        action_label=_("Read and reply"),
        action_url=f"{_order_link(seller_order.order)}#thread-{seller_order.public_id}",
    )


def buyer_message(message: ThreadMessage) -> Content:
    """To the seller's staff: the name the order ships to, never the buyer's email."""
    seller_order = message.thread.seller_order
    values = {"buyer": seller_order.order.ship_to_name, "number": seller_order.number}
    return Content(
        subject=_("A message from the buyer of order %(number)s") % values,
        paragraphs=[_("%(buyer)s, who placed order %(number)s, wrote:") % values],
        quote=message.body,
        action_label=_("Reply in the seller portal"),
        action_url=f"{_seller_link(seller_order)}#thread",
    )
