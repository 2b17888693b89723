"""Import rules as data: a change of law is a new row with its source and dates, not code.

Amounts on a rule are in the rule's `currency` and convert into a parcel's currency at the
rate source the rule names (the CBR for EAEU customs, the ECB for the EU). Rates are
fractions: 0.15 is 15 %.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from caravan.kernel.countries import COUNTRY_CHOICES
from caravan.kernel.money import CURRENCY_CHOICES

from .territories import DESTINATION_CHOICES


class Collection(models.TextChoices):
    """Who takes a duty or a tax from the buyer, and when."""

    CHECKOUT = "checkout", _("by the marketplace at checkout")
    SELLER = "seller", _("by the seller in the price")
    DELIVERY = "delivery", _("from the buyer at delivery")

    @property
    def is_paid_now(self) -> bool:
        return self != Collection.DELIVERY


class DutyBase(models.TextChoices):
    EXCESS = "excess", _("on the part above the duty-free allowance")
    WHOLE = "whole", _("on the whole parcel once above the allowance")


class RateSource(models.TextChoices):
    """The fx feed (caravan.fx source names, their crosses and snapshots included) whose rate
    converts a rule's amounts."""

    CBR = "cbr", _("Central Bank of Russia")
    ECB = "ecb", _("European Central Bank")


class Sourced(models.Model):
    source_title = models.CharField(_("legal source"), max_length=300)
    source_url = models.URLField(_("source address"), max_length=500)
    source_date = models.DateField(_("source date"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        abstract = True


class ImportRuleQuerySet(models.QuerySet["ImportRule"]):
    def in_force(self, *, on: date) -> ImportRuleQuerySet:
        return self.filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=on), effective_from__lte=on
        )


class ImportRule(Sourced):
    """How a destination taxes a parcel sent to a private buyer, between two dates and up to
    a goods value (`max_goods_value`): the EU's IOSS regime covers parcels up to EUR 150, its
    standard regime those above."""

    destination = models.CharField(_("destination"), max_length=4, choices=DESTINATION_CHOICES)
    regime = models.SlugField(_("regime"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until (last day)"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    rate_source = models.CharField(
        _("exchange rate for thresholds"), max_length=8, choices=RateSource.choices
    )
    max_goods_value = models.DecimalField(
        _("applies to goods up to"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    duty_free_value = models.DecimalField(
        _("duty-free value per parcel"), max_digits=12, decimal_places=2, default=0
    )
    duty_free_weight_grams = models.PositiveIntegerField(
        _("duty-free weight per parcel, g"), null=True, blank=True
    )
    duty_base = models.CharField(
        _("duty base"), max_length=8, choices=DutyBase.choices, default=DutyBase.EXCESS
    )
    # Empty: the duty depends on the tariff line (TariffRate); none configured is an error.
    duty_rate = models.DecimalField(
        _("duty rate"), max_digits=6, decimal_places=4, null=True, blank=True
    )
    duty_minimum_per_kg = models.DecimalField(
        _("minimum duty per kg"), max_digits=10, decimal_places=2, default=0
    )
    duty_per_heading = models.DecimalField(
        _("flat duty per distinct HS heading"), max_digits=10, decimal_places=2, default=0
    )
    duty_collection = models.CharField(
        _("duty collected"), max_length=10, choices=Collection.choices
    )
    # Empty: the destination country's standard rate (VatRate).
    vat_rate = models.DecimalField(
        _("import VAT rate"), max_digits=6, decimal_places=4, null=True, blank=True
    )
    vat_above_allowance_only = models.BooleanField(
        _("VAT only above the duty-free allowance"), default=False
    )
    vat_includes_delivery = models.BooleanField(_("VAT base includes delivery"), default=True)
    vat_collection = models.CharField(_("VAT collected"), max_length=10, choices=Collection.choices)

    objects = ImportRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("import rule")
        verbose_name_plural = _("import rules")
        ordering = ["destination", "effective_from", "max_goods_value"]
        constraints = [
            models.UniqueConstraint(
                fields=["destination", "regime", "effective_from"], name="customs_rule_unique"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="customs_rule_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(duty_free_value__gte=0)
                & Q(duty_minimum_per_kg__gte=0)
                & Q(duty_per_heading__gte=0)
                & (Q(duty_rate__isnull=True) | Q(duty_rate__gte=0, duty_rate__lt=1))
                & (Q(vat_rate__isnull=True) | Q(vat_rate__gte=0, vat_rate__lt=1)),
                name="customs_rule_amounts_sane",
            ),
        ]

    def __str__(self) -> str:
        until = self.effective_to.isoformat() if self.effective_to else "…"
        return f"{self.destination} {self.regime} {self.effective_from.isoformat()}–{until}"

    def clean(self) -> None:
        """Two rows of one destination and value band in force on the same day would make the
        quote depend on row order: the operator ends the old row where the new one starts."""
        if self.effective_from is None:
            return
        overlapping = (
            ImportRule.objects.filter(
                destination=self.destination, max_goods_value=self.max_goods_value
            )
            .exclude(pk=self.pk)
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=self.effective_from))
        )
        if self.effective_to is not None:
            overlapping = overlapping.filter(effective_from__lte=self.effective_to)
        clash = overlapping.first()
        if clash is not None:
            raise ValidationError(
                _("%(rule)s is in force on some of these days for the same parcels: end it first.")
                % {"rule": clash}
            )


class VatRate(Sourced):
    """A country's standard VAT rate, for rules that charge "the national rate"."""

    country = models.CharField(_("country"), max_length=2, choices=COUNTRY_CHOICES)
    rate = models.DecimalField(_("rate"), max_digits=6, decimal_places=4)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until (last day)"), null=True, blank=True)

    class Meta:
        verbose_name = _("VAT rate")
        verbose_name_plural = _("VAT rates")
        ordering = ["country", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "effective_from"], name="customs_vat_unique"
            ),
            models.CheckConstraint(
                condition=Q(rate__gte=0, rate__lt=1), name="customs_vat_rate_fraction"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.rate} from {self.effective_from.isoformat()}"


class TariffRate(Sourced):
    """A duty rate for the goods whose HS code starts with `hs_prefix` (2 to 10 digits; the
    longest match wins), from one origin or any, under one rule."""

    rule = models.ForeignKey(ImportRule, on_delete=models.CASCADE, related_name="tariff_rates")
    hs_prefix = models.CharField(_("HS code prefix"), max_length=10)
    origin_country = models.CharField(
        _("origin"), max_length=2, choices=COUNTRY_CHOICES, blank=True
    )
    rate = models.DecimalField(_("duty rate"), max_digits=6, decimal_places=4)

    class Meta:
        verbose_name = _("tariff rate")
        verbose_name_plural = _("tariff rates")
        ordering = ["rule", "hs_prefix", "origin_country"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "hs_prefix", "origin_country"], name="customs_tariff_unique"
            ),
            models.CheckConstraint(
                condition=Q(hs_prefix__regex=r"^[0-9]{2,10}$") & Q(rate__gte=0, rate__lt=1),
                name="customs_tariff_sane",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hs_prefix} {self.origin_country or '*'} {self.rate}"
