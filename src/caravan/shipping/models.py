from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from caravan.kernel.i18n import localized
from caravan.kernel.money import CURRENCY_CHOICES, Money
from caravan.sellers.models import Seller


class ShippingMethod(models.Model):
    """A delivery option a seller offers: a carrier service with a flat price per order."""

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="shipping_methods")
    name_ru = models.CharField(_("name (ru)"), max_length=120)
    name_en = models.CharField(_("name (en)"), max_length=120)
    carrier = models.CharField(_("carrier"), max_length=80)
    price_amount = models.DecimalField(_("price"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    transit_days_min = models.PositiveSmallIntegerField(_("transit days, from"))
    transit_days_max = models.PositiveSmallIntegerField(_("transit days, to"))
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("shipping method")
        verbose_name_plural = _("shipping methods")
        ordering = ["seller_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price_amount__gte=0), name="shipping_price_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(transit_days_max__gte=models.F("transit_days_min")),
                name="shipping_transit_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seller}: {self.name_en}"

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def price(self) -> Money:
        return Money(self.price_amount, self.currency)
