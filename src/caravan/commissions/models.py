"""Commission rules: a percentage with a minimum fee per order line.

Which rule applies is decided in `caravan.commissions.book`; this module only holds the rows.
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from caravan.catalog.models import Category
from caravan.kernel.money import CURRENCY_CHOICES, Money
from caravan.sellers.models import Seller


class CommissionRule(models.Model):
    """A rate for a category (null: every category) and a seller (null: every seller)."""

    category = models.ForeignKey(
        Category,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="commission_rules",
        verbose_name=_("category"),
    )
    seller = models.ForeignKey(
        Seller,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="commission_rules",
        verbose_name=_("seller"),
    )
    percent = models.DecimalField(_("percent"), max_digits=5, decimal_places=2)
    minimum_fee_amount = models.DecimalField(
        _("minimum fee per line"), max_digits=12, decimal_places=2, default=0
    )
    minimum_fee_currency = models.CharField(
        _("minimum fee currency"), max_length=3, choices=CURRENCY_CHOICES
    )
    is_active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("commission rule")
        verbose_name_plural = _("commission rules")
        ordering = ["seller_id", "category_id", "-is_active", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent__gte=0, percent__lte=100),
                name="commission_percent_range",
            ),
            models.CheckConstraint(
                condition=models.Q(minimum_fee_amount__gte=0),
                name="commission_minimum_not_negative",
            ),
            # NULL means "every": two active default rules must collide, so the unique index
            # is on the ids with NULL read as 0 (no row has id 0) rather than on the columns.
            models.UniqueConstraint(
                Coalesce("category", models.Value(0)),
                Coalesce("seller", models.Value(0)),
                condition=models.Q(is_active=True),
                name="commission_one_active_rule",
            ),
        ]

    def __str__(self) -> str:
        scope = self.category.name_en if self.category_id and self.category else "*"
        seller = self.seller.name if self.seller_id and self.seller else "*"
        return f"{scope} / {seller}: {self.percent} %"

    @property
    def minimum_fee(self) -> Money:
        return Money(self.minimum_fee_amount, self.minimum_fee_currency)
