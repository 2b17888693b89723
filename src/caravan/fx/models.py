from django.db import models
from django.utils.translation import gettext_lazy as _

from caravan.kernel.money import CURRENCY_CHOICES


class ExchangeRate(models.Model):
    """One unit of `base` costs `rate` units of `quote`, as published by `source` at `as_of`."""

    base = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    quote = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    rate = models.DecimalField(max_digits=20, decimal_places=8)
    source = models.CharField(max_length=40)
    as_of = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["-as_of"]
        constraints = [
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="fx_rate_positive"),
            models.UniqueConstraint(fields=["base", "quote", "as_of"], name="fx_rate_unique"),
        ]

    def __str__(self) -> str:
        return f"1 {self.base} = {self.rate} {self.quote} ({self.source}, {self.as_of:%Y-%m-%d})"
