"""A seller's offer on a catalog variant: price, stock, where it ships from."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from caravan.catalog.models import Category, Product, Variant
from caravan.kernel.countries import COUNTRY_CHOICES
from caravan.kernel.ids import public_id
from caravan.kernel.money import CURRENCY_CHOICES, Money
from caravan.sellers.models import Seller


class Offer(models.Model):
    public_id = models.CharField(max_length=16, unique=True, default=public_id, editable=False)
    seller = models.ForeignKey(Seller, on_delete=models.PROTECT, related_name="offers")
    variant = models.ForeignKey(Variant, on_delete=models.PROTECT, related_name="offers")
    # Denormalised from the variant: listings and the product page filter on it.
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="offers")
    seller_sku = models.CharField(_("seller SKU"), max_length=64, blank=True)
    price_amount = models.DecimalField(_("price"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    # The price in the marketplace currency at the latest rate: a sort and filter key only;
    # buyers are shown and charged the offer's own price.
    reference_price_amount = models.DecimalField(max_digits=14, decimal_places=2, editable=False)
    stock_quantity = models.IntegerField(_("stock"))
    ships_from = models.CharField(_("ships from"), max_length=2, choices=COUNTRY_CHOICES)
    handling_days = models.PositiveSmallIntegerField(_("handling days"), default=1)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["reference_price_amount", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stock_quantity__gte=0), name="offer_stock_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(price_amount__gt=0), name="offer_price_positive"
            ),
            models.UniqueConstraint(fields=["seller", "variant"], name="offer_one_per_variant"),
        ]
        indexes = [models.Index(fields=["product", "is_active"])]

    def __str__(self) -> str:
        return f"{self.seller} – {self.variant_id} @ {self.price}"

    @property
    def price(self) -> Money:
        return Money(self.price_amount, self.currency)

    @property
    def in_stock(self) -> bool:
        return self.stock_quantity > 0


class ProductOfferSummary(models.Model):
    """Per product: the cheapest buyable offer and counts, kept current by the offer services
    so that listings are one query whatever the page size."""

    product = models.OneToOneField(
        Product, on_delete=models.CASCADE, primary_key=True, related_name="offer_summary"
    )
    best_offer = models.ForeignKey(Offer, null=True, on_delete=models.SET_NULL, related_name="+")
    offer_count = models.PositiveIntegerField(default=0)
    seller_count = models.PositiveIntegerField(default=0)
    min_reference_price_amount = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, db_index=True
    )
    is_buyable = models.BooleanField(default=False, db_index=True)
    product_created_at = models.DateTimeField(db_index=True)
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    # Lower-cased names in both languages and the brand, for text matching.
    search_text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("product offer summary")
        verbose_name_plural = _("product offer summaries")

    def __str__(self) -> str:
        return f"summary of product {self.product_id}"


class ProductProposal(models.Model):
    """A product a seller put into the shared catalog. The seller may edit it; other sellers
    may only offer on it. Moderation (pending -> approved | rejected) builds on this row."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending review")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="proposals")
    product = models.OneToOneField(Product, on_delete=models.CASCADE, related_name="proposal")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.APPROVED)
    rejection_reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("product proposal")
        verbose_name_plural = _("product proposals")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.seller}: {self.product}"
