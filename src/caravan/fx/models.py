from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caravan.kernel.clock import now
from caravan.kernel.money import CURRENCY_CHOICES


def recording_day() -> date:
    """The marketplace's today: the rate date of a rate recorded by hand rather than
    read from a feed that dates it."""
    return timezone.localdate(now())


class ExchangeRate(models.Model):
    """One unit of `base` costs `rate` units of `quote`, as `source` published it for
    `rate_date`; `as_of` is when Caravan recorded it."""

    base = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    quote = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    # Ten significant digits (see fx.feeds.SIGNIFICANT_DIGITS) of rates as small as
    # KRW -> GBP (about 0.0005) need 14 decimal places.
    rate = models.DecimalField(max_digits=24, decimal_places=14)
    source = models.CharField(max_length=40)
    rate_date = models.DateField(default=recording_day)
    as_of = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["-rate_date", "-as_of"]
        constraints = [
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="fx_rate_positive"),
            # A source publishes one rate per pair and day: importing a feed again
            # finds its rows instead of adding copies.
            models.UniqueConstraint(
                fields=["base", "quote", "source", "rate_date"], name="fx_rate_unique_per_day"
            ),
        ]
        indexes = [
            models.Index(fields=["quote", "base", "-rate_date"], name="fx_rate_latest"),
        ]

    def __str__(self) -> str:
        return f"1 {self.base} = {self.rate} {self.quote} ({self.source}, {self.rate_date})"
