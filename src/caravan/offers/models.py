"""A seller's offer on a catalog variant: price, stock, where it ships from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from caravan.catalog.models import Category, Product, Variant
from caravan.kernel.countries import COUNTRY_CHOICES
from caravan.kernel.ids import public_id
from caravan.kernel.money import CURRENCY_CHOICES, Money
from caravan.kernel.transitions import TransitionTable
from caravan.sellers.models import Seller


class Offer(models.Model):
    class Condition(models.TextChoices):
        NEW = "new", _("new")
        USED = "used", _("used")
        REFURBISHED = "refurbished", _("refurbished")

    public_id = models.CharField(max_length=16, unique=True, default=public_id, editable=False)
    seller = models.ForeignKey(Seller, on_delete=models.PROTECT, related_name="offers")
    variant = models.ForeignKey(Variant, on_delete=models.PROTECT, related_name="offers")
    # Denormalised from the variant: listings and the product page filter on it.
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="offers")
    seller_sku = models.CharField(_("seller SKU"), max_length=64, blank=True)
    price_amount = models.DecimalField(_("price"), max_digits=14, decimal_places=2)
    # The "was" price shown struck through; always above the price when set.
    compare_at_amount = models.DecimalField(
        _("compare-at price"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    # The price in the marketplace currency at the latest rate: a sort and filter key only;
    # buyers are shown and charged the offer's own price.
    reference_price_amount = models.DecimalField(max_digits=14, decimal_places=2, editable=False)
    stock_quantity = models.IntegerField(_("stock"))
    ships_from = models.CharField(_("ships from"), max_length=2, choices=COUNTRY_CHOICES)
    handling_days = models.PositiveSmallIntegerField(_("handling days"), default=1)
    condition = models.CharField(
        _("condition"), max_length=16, choices=Condition.choices, default=Condition.NEW
    )
    min_order_quantity = models.PositiveIntegerField(_("minimum per order"), default=1)
    # Empty: no limit of the seller's own (the cart's line limit still applies).
    max_order_quantity = models.PositiveIntegerField(_("maximum per order"), null=True, blank=True)
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
            models.CheckConstraint(
                condition=models.Q(compare_at_amount__isnull=True)
                | models.Q(compare_at_amount__gt=models.F("price_amount")),
                name="offer_compare_at_above_price",
            ),
            models.CheckConstraint(
                condition=models.Q(min_order_quantity__gte=1), name="offer_min_order_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(max_order_quantity__isnull=True)
                | models.Q(max_order_quantity__gte=models.F("min_order_quantity")),
                name="offer_max_order_not_below_min",
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
    def compare_at_price(self) -> Money | None:
        if self.compare_at_amount is None:
            return None
        return Money(self.compare_at_amount, self.currency)

    @property
    def in_stock(self) -> bool:
        return self.stock_quantity > 0

    @property
    def is_new(self) -> bool:
        return self.condition == self.Condition.NEW


class ProductOfferSummary(models.Model):
    """Per product: the listing row (the buy-box winner, counts, facet keys, sort keys), so
    that listings are one query whatever the page size. The listing read model of ADR 0007:
    written only by search.projection, after the change that moved it commits."""

    product = models.OneToOneField(
        Product, on_delete=models.CASCADE, primary_key=True, related_name="offer_summary"
    )
    best_offer = models.ForeignKey(Offer, null=True, on_delete=models.SET_NULL, related_name="+")
    offer_count = models.PositiveIntegerField(default=0)
    seller_count = models.PositiveIntegerField(default=0)
    min_reference_price_amount = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, db_index=True
    )
    # The best offer's price plus its seller's cheapest delivery, in the marketplace
    # currency at the reference rate: the buy box's own ranking key and "price incl.
    # delivery" in listings.
    landed_reference_amount = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, db_index=True
    )
    # The soonest any buyable offer arrives (handling plus the fastest delivery option).
    fastest_delivery_days = models.PositiveSmallIntegerField(null=True, db_index=True)
    # What listings are narrowed by (offers.facets): newline-separated keys.
    facet_keys = models.TextField(blank=True, default="")
    is_buyable = models.BooleanField(default=False, db_index=True)
    product_created_at = models.DateTimeField(db_index=True)
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    # A digest of what the product's listing card shows, kept to tell whether a change
    # reached the listings (the previous best offer's row may already hold its new price).
    card_signature = models.CharField(max_length=64, blank=True, editable=False)
    # The same for what only the product page and the search document hold (every live
    # offer's terms and stock, the product's own edits).
    detail_signature = models.CharField(max_length=64, blank=True, editable=False)
    # Bumped by one whenever the row's content (either signature) changes, never otherwise:
    # what cached card fragments are keyed by.
    version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("product offer summary")
        verbose_name_plural = _("product offer summaries")

    def __str__(self) -> str:
        return f"summary of product {self.product_id}"


class ProductProposal(models.Model):
    """A product a seller put into the shared catalog. Buyers see it once an operator approves
    it; a rejected one carries the reason, and its author may fix it and submit it again.
    The author may edit it; other sellers may only offer on it. The status here is the
    workflow's truth; Product.is_approved mirrors it for the catalog's own reads."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending review")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    TRANSITIONS = TransitionTable(
        "product proposal",
        {
            "pending": frozenset({"approved", "rejected"}),
            # Resubmission after the author fixed what the reason named.
            "rejected": frozenset({"pending"}),
        },
    )

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="proposals")
    product = models.OneToOneField(Product, on_delete=models.CASCADE, related_name="proposal")
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    rejection_reason = models.CharField(_("rejection reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When it last entered the queue (first submission or resubmission): the queue's order.
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("product proposal")
        verbose_name_plural = _("product proposals")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.seller}: {self.product}"


class ProposalEvent(models.Model):
    """Audit trail of a proposal: one row per transition (who, when, why), never updated."""

    proposal = models.ForeignKey(ProductProposal, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("proposal event")
        verbose_name_plural = _("proposal events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.from_status or '-'} -> {self.to_status}"
