from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from caravan.kernel.ids import public_id
from caravan.offers.models import Offer
from caravan.sellers.models import Seller
from caravan.shipping.models import ProfileMethod


class Cart(models.Model):
    """A buyer's cart; anonymous carts are found by the token kept in the session."""

    token = models.CharField(max_length=16, unique=True, default=public_id, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cart",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")

    def __str__(self) -> str:
        return self.token


class CartLine(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cart line")
        verbose_name_plural = _("cart lines")
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "offer"], name="cart_line_one_per_offer"),
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="cart_line_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x offer {self.offer_id}"


class CartDelivery(models.Model):
    """The delivery method the buyer picked for one seller's part of the cart: a preference,
    honoured while the method reaches the buyer's destination (else the cheapest one is)."""

    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="deliveries")
    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="+")
    method = models.ForeignKey(ProfileMethod, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("cart delivery choice")
        verbose_name_plural = _("cart delivery choices")
        constraints = [
            models.UniqueConstraint(fields=["cart", "seller"], name="cart_delivery_one_per_seller"),
        ]

    def __str__(self) -> str:
        return f"{self.cart_id}: {self.method_id}"


class CheckoutAttempt(models.Model):
    """One checkout request, by the buyer's idempotency key: a repeat of the same request
    (a double click, a retried POST, a client's Idempotency-Key) replays its answer; the
    same key with another request is refused. Kept 24 hours."""

    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    fingerprint = models.CharField(max_length=64)
    # The number the order is placed under, chosen before it exists so that this row is
    # written once, first, and concurrent repeats queue on its unique key.
    order_number = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("checkout attempt")
        verbose_name_plural = _("checkout attempts")
        constraints = [
            models.UniqueConstraint(fields=["buyer", "key"], name="checkout_attempt_key_once"),
        ]

    def __str__(self) -> str:
        return f"{self.buyer_id}:{self.key}"
