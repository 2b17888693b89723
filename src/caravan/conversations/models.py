"""A message thread per seller order between its buyer and the seller's staff.

A thread is created with its first message. It keeps, for each side, the id of the last
message that side has seen and how many of the other side's messages came after it: the
unread badges read one integer per thread instead of counting messages
(docs/decisions/0014-order-threads.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from caravan.kernel.ids import public_id
from caravan.orders.models import SellerOrder
from caravan.sellers.models import Seller

MAX_BODY_LENGTH = 2000


class Side(models.TextChoices):
    BUYER = "buyer", _("buyer")
    SELLER = "seller", _("seller")
    # Reserved for the operator settling a dispute; the back office reads threads only.
    OPERATOR = "operator", _("operator")


class Thread(models.Model):
    seller_order = models.OneToOneField(
        SellerOrder, on_delete=models.CASCADE, related_name="thread"
    )
    # Copied from the seller order so that each side's badge is one indexed read.
    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="+")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    message_count = models.PositiveIntegerField(default=0)
    last_message_at = models.DateTimeField(null=True, blank=True)
    buyer_last_read_id = models.PositiveBigIntegerField(default=0)
    seller_last_read_id = models.PositiveBigIntegerField(default=0)
    unread_by_buyer = models.PositiveIntegerField(default=0)
    unread_by_seller = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("order thread")
        verbose_name_plural = _("order threads")
        indexes = [
            models.Index(fields=["seller", "unread_by_seller"], name="thread_seller_unread"),
            models.Index(fields=["buyer", "unread_by_buyer"], name="thread_buyer_unread"),
        ]

    def __str__(self) -> str:
        return f"thread of {self.seller_order_id}"


class ThreadMessage(models.Model):
    public_id = models.CharField(max_length=16, unique=True, default=public_id, editable=False)
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    # Kept when the author's account goes: the other side's copy of a conversation stays.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    side = models.CharField(max_length=8, choices=Side.choices)
    body = models.TextField(max_length=MAX_BODY_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("order message")
        verbose_name_plural = _("order messages")
        ordering = ["id"]
        indexes = [models.Index(fields=["author", "created_at"], name="message_author_recent")]

    def __str__(self) -> str:
        return f"{self.side} in {self.thread_id}: {self.body[:40]}"
