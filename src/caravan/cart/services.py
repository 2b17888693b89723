"""Cart writes and placing an order."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.db import connection, transaction
from django.utils.translation import gettext as _

from caravan.accounts.models import Address, User
from caravan.kernel.clock import now
from caravan.kernel.countries import country_name
from caravan.kernel.errors import NotFound, OutOfStock, ValidationFailed
from caravan.offers.models import Offer
from caravan.offers.selectors import get_buyable_offer
from caravan.offers.services import MAX_ORDER_QUANTITY, announce_product_changes, take_stocks
from caravan.orders.models import Order
from caravan.orders.services import LineDraft, SellerOrderDraft, create_order
from caravan.shipping.models import ProfileMethod
from caravan.shipping.quotes import Destination

from .models import Cart, CartDelivery, CartLine
from .selectors import SellerGroup, build_cart_view

MAX_LINE_QUANTITY = MAX_ORDER_QUANTITY
MAX_CART_LINES = 100
# A region key that is also an ISO 3166-2 subdivision code after the country's.
REGION_KEY = re.compile(r"[A-Z0-9]{1,3}")


def get_or_create_cart(*, token: str | None, user: User | None) -> Cart:
    if user is not None and user.is_authenticated:
        cart, _created = Cart.objects.get_or_create(user=user)
        return cart
    if token:
        anonymous = Cart.objects.filter(token=token, user__isnull=True).first()
        if anonymous is not None:
            return anonymous
    return Cart.objects.create()


def _check_quantity(quantity: int) -> None:
    if not 1 <= quantity <= MAX_LINE_QUANTITY:
        raise ValidationFailed(
            _("Quantity must be between 1 and %(maximum)s") % {"maximum": MAX_LINE_QUANTITY},
            code="invalid_quantity",
        )


def _check_order_limits(*, offer: Offer, quantity: int) -> None:
    """The seller's own minimum and maximum per order for this offer."""
    if quantity < offer.min_order_quantity:
        raise ValidationFailed(
            _("%(product)s: this seller sells at least %(count)s per order")
            % {"product": offer.product.name, "count": offer.min_order_quantity},
            code="below_min_order",
        )
    if offer.max_order_quantity is not None and quantity > offer.max_order_quantity:
        raise ValidationFailed(
            _("%(product)s: this seller sells at most %(count)s per order")
            % {"product": offer.product.name, "count": offer.max_order_quantity},
            code="above_max_order",
        )


def commit_without_waiting_for_the_disk() -> None:
    """The current transaction commits without waiting for its WAL flush (PostgreSQL; a
    no-op elsewhere). For writes that hold no money and promise nothing to anyone outside:
    a crash in the next few hundred milliseconds loses the transaction whole (never a part
    of it), and any later durable commit (the checkout's) flushes it first, so nothing
    durable can ever rest on a lost one."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


@transaction.atomic
def add_to_cart(*, cart: Cart, offer_public_id: str, quantity: int = 1) -> CartLine:
    # A cart line is a note of what the buyer wants, re-added in a click if a crash loses
    # it; the stock is only checked here, taken at checkout.
    commit_without_waiting_for_the_disk()
    _check_quantity(quantity)
    offer = get_buyable_offer(public_id=offer_public_id)
    # Every line of the cart in one statement (at most MAX_CART_LINES): the one for this
    # offer, and how many there are when a new one would be added.
    lines = list(CartLine.objects.select_for_update().filter(cart=cart).order_by("id"))
    line = next((item for item in lines if item.offer_id == offer.id), None)
    wanted = quantity + (line.quantity if line else 0)
    _check_quantity(wanted)
    _check_order_limits(offer=offer, quantity=wanted)
    if offer.stock_quantity < wanted:
        raise OutOfStock(
            _("Only %(count)s left from this seller") % {"count": offer.stock_quantity},
            code="out_of_stock",
        )
    if line is None:
        if len(lines) >= MAX_CART_LINES:
            raise ValidationFailed(_("The cart is full"), code="cart_full")
        line = CartLine.objects.create(cart=cart, offer=offer, quantity=quantity)
    else:
        line.quantity = wanted
        line.save(update_fields=["quantity"])
    cart.save(update_fields=["updated_at"])
    return line


def _get_line(*, cart: Cart, line_id: int) -> CartLine:
    try:
        return CartLine.objects.select_related("offer", "offer__product").get(cart=cart, id=line_id)
    except CartLine.DoesNotExist as error:
        raise NotFound(_("cart line not found")) from error


@transaction.atomic
def set_line_quantity(*, cart: Cart, line_id: int, quantity: int) -> CartLine | None:
    line = _get_line(cart=cart, line_id=line_id)
    if quantity == 0:
        line.delete()
        return None
    _check_quantity(quantity)
    _check_order_limits(offer=line.offer, quantity=quantity)
    if line.offer.stock_quantity < quantity:
        raise OutOfStock(
            _("Only %(count)s left from this seller") % {"count": line.offer.stock_quantity},
            code="out_of_stock",
        )
    line.quantity = quantity
    line.save(update_fields=["quantity"])
    return line


@transaction.atomic
def remove_line(*, cart: Cart, line_id: int) -> None:
    _get_line(cart=cart, line_id=line_id).delete()


@transaction.atomic
def choose_delivery(*, cart: Cart, seller_id: int, method_id: int) -> CartDelivery:
    """Remember the buyer's delivery method for one seller (an active method of the seller's
    default profile; whether it reaches the address is decided when the cart is priced)."""
    try:
        method = ProfileMethod.objects.get(
            id=method_id,
            profile__seller_id=seller_id,
            profile__is_default=True,
            is_active=True,
        )
    except ProfileMethod.DoesNotExist as error:
        raise NotFound(_("delivery option not found"), code="delivery_not_found") from error
    choice, _created = CartDelivery.objects.update_or_create(
        cart=cart, seller_id=seller_id, defaults={"method": method}
    )
    return choice


@transaction.atomic
def attach_cart(*, token: str | None, user: User) -> Cart:
    """On sign-in: the anonymous cart's lines join the user's cart (quantities add up)."""
    user_cart, _created = Cart.objects.get_or_create(user=user)
    if not token:
        return user_cart
    anonymous = Cart.objects.filter(token=token, user__isnull=True).first()
    if anonymous is None or anonymous.id == user_cart.id:
        return user_cart
    existing = {line.offer_id: line for line in user_cart.lines.select_for_update()}
    for line in anonymous.lines.all():
        if line.offer_id in existing:
            merged = existing[line.offer_id]
            merged.quantity = min(MAX_LINE_QUANTITY, merged.quantity + line.quantity)
            merged.save(update_fields=["quantity"])
        else:
            CartLine.objects.create(cart=user_cart, offer_id=line.offer_id, quantity=line.quantity)
    for choice in anonymous.deliveries.all():
        CartDelivery.objects.update_or_create(
            cart=user_cart, seller_id=choice.seller_id, defaults={"method_id": choice.method_id}
        )
    anonymous.delete()
    return user_cart


def address_destination(address: Address) -> Destination:
    """Where an address's parcels go, as the shipping engine reads it. The address's region
    is Google's key for it; only a short Latin code ("CA" in the US) is also the ISO 3166-2
    subdivision zones name ("US-CA"), so only such a region can match a region zone."""
    region = address.region.upper()
    iso = f"{address.country}-{region}" if REGION_KEY.fullmatch(region) else ""
    return Destination(country=address.country, region=iso)


def _cannot_deliver(group: SellerGroup, *, address: Address) -> ValidationFailed:
    """Why a seller's part cannot be checked out to this address, naming the item."""
    product = group.lines[0].line.offer.product.name
    if group.shipping.refusal_code in ("weight_missing", "too_heavy"):
        return ValidationFailed(
            _("%(product)s: %(reason)s") % {"product": product, "reason": group.shipping.refusal},
            code=group.shipping.refusal_code,
        )
    return ValidationFailed(
        _("%(product)s cannot be delivered to %(country)s: %(seller)s does not ship there")
        % {
            "product": product,
            "country": country_name(address.country),
            "seller": group.seller.name,
        },
        code="does_not_ship",
    )


def _take_stock(lines: list[CartLine]) -> None:
    quantities: dict[int, int] = {}
    for line in lines:
        quantities[line.offer_id] = quantities.get(line.offer_id, 0) + line.quantity
    try:
        take_stocks(quantities=quantities)
    except OutOfStock as error:
        short = {
            offer.id
            for offer in Offer.objects.filter(id__in=list(quantities)).only("id", "stock_quantity")
            if offer.stock_quantity < quantities[offer.id]
        }
        line = next((line for line in lines if line.offer_id in short), lines[0])
        raise OutOfStock(
            _("%(product)s: not enough stock left") % {"product": line.offer.product.name},
            code="out_of_stock",
        ) from error


@transaction.atomic
def place_order(
    *,
    cart: Cart,
    buyer: User,
    address: Address,
    currency: str = "",
    number: str = "",
    also: Callable[[Order], object] | None = None,
) -> Order:
    """Turn the cart into one Order with a SellerOrder per seller, taking the stock, priced
    in the buyer's `currency` (empty: the marketplace currency) exactly as the cart shows.
    `also` writes what belongs with the order in the same transaction (its payment) before
    the stock is taken.

    Either everything is taken and written, or nothing is (OutOfStock rolls it all back).
    """
    return place_order_in_transaction(
        cart=cart, buyer=buyer, address=address, currency=currency, number=number, also=also
    )


def place_order_in_transaction(
    *,
    cart: Cart,
    buyer: User,
    address: Address,
    currency: str = "",
    number: str = "",
    also: Callable[[Order], object] | None = None,
) -> Order:
    """place_order for a caller that owns the transaction and lets every error leave it
    (check_out): no savepoint of its own, two round trips fewer."""
    assert connection.in_atomic_block, "place_order_in_transaction needs the caller's transaction"
    if address.user_id != buyer.id:
        raise NotFound(_("address not found"))
    # An anonymous cart (no user yet) may be checked out; another buyer's cart never.
    if cart.user_id is not None and cart.user_id != buyer.id:
        raise NotFound(_("cart not found"))
    cart = Cart.objects.select_for_update().get(id=cart.id)
    placed_at = now()
    view = build_cart_view(
        cart=cart,
        currency=currency,
        destination=address_destination(address),
        placed_at=placed_at,
    )
    if view.is_empty:
        raise ValidationFailed(_("Your cart is empty"), code="cart_empty")
    table = view.quotes
    assert table is not None  # a cart with lines is always priced against a table
    for group in view.groups:
        # A missing rate raises rate_missing; a stale one stops a cross-currency sale.
        table.require_fresh(group.seller.currency)
        for item in group.lines:
            if item.problem == "unavailable":
                raise ValidationFailed(
                    _("%(product)s is no longer sold") % {"product": item.line.offer.product.name},
                    code="offer_unavailable",
                )
            # The seller may have changed the limits since the line was added.
            _check_order_limits(offer=item.line.offer, quantity=item.line.quantity)
        if group.option is None:
            raise _cannot_deliver(group, address=address)
    drafts = [
        SellerOrderDraft(
            seller=group.seller,
            delivery=group.option,
            lines=[
                LineDraft(offer=item.line.offer, quantity=item.line.quantity)
                for item in group.lines
            ],
            quote=table.get(group.seller.currency),
        )
        for group in view.groups
        if group.option is not None
    ]
    order = create_order(
        buyer=buyer,
        address=address,
        currency=view.currency,
        drafts=drafts,
        number=number,
        placed_at=placed_at,
        destination=view.shipping_to,
        rates=view.rates,
    )
    all_lines = [item.line for group in view.groups for item in group.lines]
    # The delivery choices stay: they are the buyer's per seller, and come back into use
    # with the items if the order is cancelled unpaid (ADR 0006) or the buyer orders from
    # that seller again (a choice that no longer quotes falls back to the cheapest).
    CartLine.objects.filter(cart=cart).delete()
    if also is not None:
        also(order)
    # Stock last, in one statement: a rush on one offer waits on its row lock, which is held
    # from here to the commit only.
    _take_stock(all_lines)
    # The listing read model catches up after commit, off the checkout's path (ADR 0007);
    # the stock itself was taken above under its CHECK constraint.
    announce_product_changes(product_ids={line.offer.product_id for line in all_lines})
    return order
