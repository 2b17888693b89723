"""Parcels a seller order ships in, their lines and their tracking events (ADR 0014)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from caravan.orders.models import OrderLine, SellerOrder


class Carrier(models.TextChoices):
    # Carriers with an adapter are polled; the others take the seller's events only.
    CDEK = "cdek", _("CDEK")
    RUSSIAN_POST = "russian_post", _("Russian Post")
    SANDBOX = "sandbox", _("Caravan sandbox carrier")
    OTHER = "other", _("Other carrier")


class TrackingStatus(models.TextChoices):
    ACCEPTED = "accepted", _("accepted by the carrier")
    IN_TRANSIT = "in_transit", _("in transit")
    CUSTOMS = "customs", _("at customs")
    OUT_FOR_DELIVERY = "out_for_delivery", _("out for delivery")
    DELIVERED = "delivered", _("delivered")
    RETURNED = "returned", _("returned to the sender")
    # A carrier code we do not map: shown with the carrier's own words, moves nothing.
    NOTE = "note", _("carrier update")


class Parcel(models.Model):
    seller_order = models.ForeignKey(SellerOrder, on_delete=models.PROTECT, related_name="parcels")
    carrier = models.CharField(_("carrier"), max_length=20, choices=Carrier.choices)
    tracking_number = models.CharField(_("tracking number"), max_length=64)
    # The carrier as the seller named it ("Cainiao"), shown instead of the code's label.
    carrier_name = models.CharField(_("carrier name"), max_length=80, blank=True)
    # The latest status of its events (NOTE excluded); empty until the first event.
    status = models.CharField(max_length=20, choices=TrackingStatus.choices, blank=True)
    shipped_at = models.DateTimeField()
    # The last time a carrier adapter answered for it: the poller takes the oldest first.
    polled_at = models.DateTimeField(null=True, blank=True)
    # The customs declaration as first printed complete: a reprint reads these, not the
    # catalog the seller may have edited since (parcels.declarations).
    declared_at = models.DateTimeField(null=True, blank=True)
    # The parcel's share of the seller order's delivery charge, in the seller order's currency.
    declared_postal_charges_amount = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True
    )
    # The sender as first printed (parcels.declarations.Party's fields): the seller may move
    # its return address or rename itself later; the form that went with the parcel may not
    # change. Empty for parcels declared before it was kept: those print today's sender.
    declared_sender = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("parcel")
        verbose_name_plural = _("parcels")
        ordering = ["shipped_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["carrier", "tracking_number"], name="parcels_tracking_unique_per_carrier"
            )
        ]

    def __str__(self) -> str:
        return f"{self.carrier} {self.tracking_number}"

    @property
    def carrier_label(self) -> str:
        return self.carrier_name or str(self.get_carrier_display())

    @property
    def is_final(self) -> bool:
        return self.status in {TrackingStatus.DELIVERED, TrackingStatus.RETURNED}


class ParcelLine(models.Model):
    parcel = models.ForeignKey(Parcel, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    # The catalog's customs details as the declaration was first printed (Parcel.declared_at).
    declared_hs_code = models.CharField(max_length=12, blank=True)
    declared_origin_country = models.CharField(max_length=2, blank=True)
    declared_unit_net_weight_grams = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("parcel line")
        verbose_name_plural = _("parcel lines")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="parcels_line_quantity_positive"
            ),
            models.UniqueConstraint(
                fields=["parcel", "order_line"], name="parcels_line_once_per_parcel"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x line {self.order_line_id}"


class TrackingEvent(models.Model):
    class Source(models.TextChoices):
        SELLER = "seller", _("seller")
        SANDBOX = "sandbox", _("sandbox carrier")
        CARRIER = "carrier", _("carrier")

    parcel = models.ForeignKey(Parcel, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=TrackingStatus.choices)
    occurred_at = models.DateTimeField()
    location = models.CharField(max_length=120, blank=True)
    description = models.CharField(max_length=255, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    # What makes a feed's event the same event when the feed is read again.
    dedup_key = models.CharField(max_length=160)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tracking event")
        verbose_name_plural = _("tracking events")
        ordering = ["occurred_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["parcel", "dedup_key"], name="parcels_event_once_per_parcel"
            )
        ]

    def __str__(self) -> str:
        return f"{self.status} {self.occurred_at:%Y-%m-%d %H:%M}"


class SdrRate(models.Model):
    """Roubles per one SDR (ISO 4217 XDR) as the Central Bank of Russia publishes it daily:
    what decides CN22 against CN23 (300 SDR). Kept apart from fx's rates, which hold the
    marketplace's currencies only."""

    rub_per_sdr = models.DecimalField(max_digits=12, decimal_places=4)
    source = models.CharField(max_length=40)
    rate_date = models.DateField(unique=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("SDR rate")
        verbose_name_plural = _("SDR rates")
        ordering = ["-rate_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rub_per_sdr__gt=0), name="parcels_sdr_rate_positive"
            )
        ]

    def __str__(self) -> str:
        return f"1 XDR = {self.rub_per_sdr} RUB ({self.source}, {self.rate_date})"
