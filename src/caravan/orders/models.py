"""Order -> SellerOrder (one per seller) -> OrderLine, with their transition tables.

Everything a buyer agreed to is frozen here at placement: names, prices, delivery.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models.functions import Round
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from caravan.customs.models import Collection, ImportRule
from caravan.kernel.countries import COUNTRY_CHOICES
from caravan.kernel.i18n import localized
from caravan.kernel.ids import order_number, public_id
from caravan.kernel.money import CURRENCY_CHOICES, Money, MoneyTotals
from caravan.kernel.transitions import TransitionTable
from caravan.offers.models import Offer
from caravan.sellers.models import Seller


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", _("awaiting payment")
        PAID = "paid", _("paid")
        CANCELLED = "cancelled", _("cancelled")
        COMPLETED = "completed", _("completed")

    TRANSITIONS = TransitionTable(
        "order",
        {
            "pending_payment": frozenset({"paid", "cancelled"}),
            "paid": frozenset({"completed", "cancelled"}),
        },
    )

    public_id = models.CharField(max_length=16, unique=True, default=public_id, editable=False)
    number = models.CharField(max_length=16, unique=True, default=order_number, editable=False)
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders"
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING_PAYMENT, db_index=True
    )
    ship_to_name = models.CharField(max_length=150)
    ship_to_phone = models.CharField(max_length=32)
    ship_to_country = models.CharField(max_length=2, choices=COUNTRY_CHOICES)
    ship_to_region = models.CharField(max_length=100, blank=True, default="")
    ship_to_city = models.CharField(max_length=100)
    ship_to_city_area = models.CharField(max_length=100, blank=True, default="")
    ship_to_postal_code = models.CharField(max_length=16)
    ship_to_street = models.CharField(max_length=255)
    # What the buyer is charged, in the currency they chose: the sum of the seller orders'
    # buyer totals (docs/decisions/0006-money.md, the rounding rule).
    buyer_currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    total_amount = models.DecimalField(max_digits=14, decimal_places=2)
    payment_deadline = models.DateTimeField()
    placed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-placed_at"]

    def __str__(self) -> str:
        return self.number

    @property
    def total(self) -> Money:
        return Money(self.total_amount, self.buyer_currency)

    def ship_to_one_line(self) -> str:
        return (
            f"{self.ship_to_name}, {self.ship_to_street}, {self.ship_to_city} "
            f"{self.ship_to_postal_code}, {self.ship_to_country}"
        )


class SellerOrder(models.Model):
    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", _("awaiting payment")
        AWAITING_SHIPMENT = "awaiting_shipment", _("awaiting shipment")
        SHIPPED = "shipped", _("shipped")
        DELIVERED = "delivered", _("delivered")
        CANCELLED = "cancelled", _("cancelled")

    TRANSITIONS = TransitionTable(
        "seller order",
        {
            "pending_payment": frozenset({"awaiting_shipment", "cancelled"}),
            "awaiting_shipment": frozenset({"shipped", "cancelled"}),
            "shipped": frozenset({"delivered"}),
        },
    )
    # A seller order's money is explained by its own rows: the seller-currency figures, the
    # buyer-currency figures and the conversion frozen between them at placement.

    public_id = models.CharField(max_length=16, unique=True, default=public_id, editable=False)
    number = models.CharField(max_length=20, unique=True)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="seller_orders")
    seller = models.ForeignKey(Seller, on_delete=models.PROTECT, related_name="seller_orders")
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING_PAYMENT, db_index=True
    )
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    subtotal_amount = models.DecimalField(max_digits=14, decimal_places=2)
    delivery_amount = models.DecimalField(max_digits=14, decimal_places=2)
    total_amount = models.DecimalField(max_digits=14, decimal_places=2)
    buyer_currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    buyer_subtotal_amount = models.DecimalField(max_digits=14, decimal_places=2)
    buyer_delivery_amount = models.DecimalField(max_digits=14, decimal_places=2)
    buyer_total_amount = models.DecimalField(max_digits=14, decimal_places=2)
    fx_rate = models.DecimalField(max_digits=30, decimal_places=18, help_text="mid rate")
    fx_margin_bps = models.PositiveIntegerField(default=0)
    fx_effective_rate = models.DecimalField(max_digits=30, decimal_places=18)
    fx_source = models.CharField(max_length=40)
    fx_rate_as_of = models.DateTimeField(null=True, blank=True)
    fx_margin_amount = models.DecimalField(
        max_digits=14, decimal_places=2, help_text="in the buyer currency"
    )
    commission_amount = models.DecimalField(
        max_digits=14, decimal_places=2, help_text="in the seller currency"
    )
    # Customs duty and import VAT collected at checkout (DDP) on top of buyer_total, in the
    # buyer currency; how they were assessed is on `customs` (SellerOrderCustoms).
    buyer_duty_collected_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    buyer_vat_collected_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    delivery_method_name_ru = models.CharField(max_length=120)
    delivery_method_name_en = models.CharField(max_length=120)
    delivery_carrier = models.CharField(max_length=80)
    # Days from the placement date (the buyer's) to the promised dates: kept for orders placed
    # before the dates were recorded, which show these.
    delivery_days_min = models.PositiveSmallIntegerField()
    delivery_days_max = models.PositiveSmallIntegerField()
    # The method quoted at checkout (ADR 0012) and its promise as dates in the buyer's time
    # zone; empty on orders placed before shipping profiles. The figures above are frozen: a
    # later change or removal of the method changes nothing here.
    delivery_method = models.ForeignKey(
        "shipping.ProfileMethod",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    delivery_service_level = models.CharField(max_length=80, blank=True)
    delivery_earliest = models.DateField(null=True, blank=True)
    delivery_latest = models.DateField(null=True, blank=True)
    ship_by = models.DateTimeField()
    carrier = models.CharField(max_length=80, blank=True)
    tracking_number = models.CharField(max_length=64, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # The buyer's protection window: escrow is released after it (frozen at delivery).
    protection_ends_at = models.DateTimeField(null=True, blank=True, db_index=True)
    escrow_released_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("seller order")
        verbose_name_plural = _("seller orders")
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["seller", "status", "created_at"])]
        constraints = [
            models.UniqueConstraint(fields=["order", "seller"], name="seller_order_one_per_seller"),
            # Rounded to the cent: SQLite keeps decimals as binary floats, where
            # 69.98 + 14.90 is 84.88000000000001 and an exact comparison would fail.
            models.CheckConstraint(
                condition=models.Q(
                    total_amount=Round(models.F("subtotal_amount") + models.F("delivery_amount"), 2)
                ),
                name="seller_order_total_adds_up",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    buyer_total_amount=Round(
                        models.F("buyer_subtotal_amount") + models.F("buyer_delivery_amount"), 2
                    )
                ),
                name="seller_order_buyer_total_adds_up",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def subtotal(self) -> Money:
        return Money(self.subtotal_amount, self.currency)

    @property
    def delivery(self) -> Money:
        return Money(self.delivery_amount, self.currency)

    @property
    def total(self) -> Money:
        return Money(self.total_amount, self.currency)

    @property
    def buyer_subtotal(self) -> Money:
        return Money(self.buyer_subtotal_amount, self.buyer_currency)

    @property
    def buyer_delivery(self) -> Money:
        return Money(self.buyer_delivery_amount, self.buyer_currency)

    @property
    def buyer_total(self) -> Money:
        return Money(self.buyer_total_amount, self.buyer_currency)

    @property
    def fx_margin(self) -> Money:
        return Money(self.fx_margin_amount, self.buyer_currency)

    @property
    def commission(self) -> Money:
        return Money(self.commission_amount, self.currency)

    @property
    def is_converted(self) -> bool:
        return self.currency != self.buyer_currency

    @property
    def delivery_method_name(self) -> str:
        return localized(self, "delivery_method_name")

    @property
    def customs_record(self) -> SellerOrderCustoms | None:
        """The frozen landed cost of a cross-border seller order; None for a parcel that
        crossed no customs border (or was placed before customs were assessed)."""
        try:
            return self.customs
        except SellerOrderCustoms.DoesNotExist:
            return None

    @property
    def buyer_duty_collected(self) -> Money:
        return Money(self.buyer_duty_collected_amount, self.buyer_currency)

    @property
    def buyer_vat_collected(self) -> Money:
        return Money(self.buyer_vat_collected_amount, self.buyer_currency)

    @property
    def buyer_customs_collected(self) -> Money:
        """The duty and import VAT collected at checkout on top of `buyer_total` (DDP)."""
        return self.buyer_duty_collected + self.buyer_vat_collected

    @property
    def buyer_charged(self) -> Money:
        """The seller order's part of the one charge: goods, delivery and DDP customs."""
        return self.buyer_total + self.buyer_customs_collected


def order_totals(seller_orders: list[SellerOrder]) -> MoneyTotals:
    """What the buyer pays, per currency: one currency since placement converts. DDP duty
    and VAT are part of it; what is due at delivery is not (never charged by us)."""
    return MoneyTotals(seller_order.buyer_charged for seller_order in seller_orders)


class SellerOrderCustoms(models.Model):
    """The landed cost of one cross-border seller order, frozen at placement in the buyer
    currency (ADR 0010): the rule used (its id, and a copy of its title, source and terms,
    since the shipped rows are updated in place), the regime, the duty and the VAT and who
    collects them, the duty-free allowance and the rate its threshold converted at, and the
    parcel lines as customs valued them. A past order's figures are explained from this
    row alone."""

    class Regime(models.TextChoices):
        DDP = "ddp", _("DDP: duties and taxes paid at checkout")
        DAP = "dap", _("DAP: duties and taxes paid by the buyer at delivery")
        MIXED = "mixed", _("duty and VAT collected apart")

    seller_order = models.OneToOneField(
        SellerOrder, on_delete=models.CASCADE, related_name="customs"
    )
    ships_from = models.CharField(max_length=2, choices=COUNTRY_CHOICES)
    destination = models.CharField(max_length=2, choices=COUNTRY_CHOICES)
    assessed_on = models.DateField()
    regime = models.CharField(max_length=8, choices=Regime.choices)
    rule = models.ForeignKey(ImportRule, null=True, on_delete=models.SET_NULL, related_name="+")
    rule_destination = models.CharField(max_length=4)
    rule_regime = models.CharField(max_length=60)
    rule_title = models.CharField(max_length=200)
    rule_source_title = models.CharField(max_length=300)
    rule_source_url = models.URLField(max_length=500)
    rule_source_date = models.DateField()
    # The rule's amounts and rates as they stood when the order was placed (strings).
    rule_terms = models.JSONField(default=dict)
    # [{hs_code, origin, quantity, unit_value, net_weight_grams}] as customs valued them.
    parcel_lines = models.JSONField(default=list)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    goods_amount = models.DecimalField(max_digits=14, decimal_places=2)
    delivery_amount = models.DecimalField(max_digits=14, decimal_places=2)
    allowance_amount = models.DecimalField(max_digits=14, decimal_places=2)
    above_allowance = models.BooleanField()
    duty_amount = models.DecimalField(max_digits=14, decimal_places=2)
    duty_collection = models.CharField(max_length=10, choices=Collection.choices)
    vat_rate = models.DecimalField(max_digits=6, decimal_places=4)
    vat_amount = models.DecimalField(max_digits=14, decimal_places=2)
    vat_collection = models.CharField(max_length=10, choices=Collection.choices)
    # The rate the rule's thresholds converted at: one `customs_rate_base` is
    # `customs_rate` of the buyer currency, as `customs_rate_source` published it.
    customs_rate_base = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    customs_rate = models.DecimalField(max_digits=30, decimal_places=18)
    customs_rate_source = models.CharField(max_length=40)
    customs_rate_date = models.DateField()

    class Meta:
        verbose_name = _("customs assessment")
        verbose_name_plural = _("customs assessments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duty_amount__gte=0, vat_amount__gte=0),
                name="seller_order_customs_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seller_order_id} {self.regime} {self.rule_regime}"

    def _money(self, amount: Decimal) -> Money:
        return Money(amount, self.currency)

    @property
    def goods(self) -> Money:
        return self._money(self.goods_amount)

    @property
    def delivery(self) -> Money:
        return self._money(self.delivery_amount)

    @property
    def duty(self) -> Money:
        return self._money(self.duty_amount)

    @property
    def vat(self) -> Money:
        return self._money(self.vat_amount)

    @property
    def allowance(self) -> Money:
        return self._money(self.allowance_amount)

    @property
    def is_cross_border(self) -> bool:
        return True  # a row exists only for a parcel that crossed a customs border

    @property
    def duty_paid_now(self) -> bool:
        return Collection(self.duty_collection).is_paid_now

    @property
    def vat_paid_now(self) -> bool:
        return Collection(self.vat_collection).is_paid_now

    @property
    def vat_percent(self) -> Decimal:
        return (self.vat_rate * 100).normalize()

    @property
    def duty_collected(self) -> Money:
        """The duty the marketplace took at checkout (DDP); zero when due at delivery."""
        return self.duty if self.duty_paid_now else Money.zero(self.currency)

    @property
    def vat_collected(self) -> Money:
        return self.vat if self.vat_paid_now else Money.zero(self.currency)

    @property
    def collected(self) -> Money:
        return self.duty_collected + self.vat_collected

    @property
    def due_at_delivery(self) -> Money:
        return self.duty + self.vat - self.collected

    @property
    def landed_total(self) -> Money:
        return self.goods + self.delivery + self.duty + self.vat

    @property
    def paid_now(self) -> Money:
        return self.goods + self.delivery + self.collected


class OrderLine(models.Model):
    seller_order = models.ForeignKey(SellerOrder, on_delete=models.CASCADE, related_name="lines")
    offer = models.ForeignKey(Offer, null=True, on_delete=models.SET_NULL, related_name="+")
    product_public_id = models.CharField(max_length=16)
    product_name_ru = models.CharField(max_length=200)
    product_name_en = models.CharField(max_length=200)
    variant_label_ru = models.CharField(max_length=200, blank=True)
    variant_label_en = models.CharField(max_length=200, blank=True)
    # What the buyer read when they bought, in the language they bought in (a German buyer's
    # German name, or the English one they were shown for want of it): the order shows them
    # that in that language, and the seller the product's own columns (ADR 0016).
    buyer_language = models.CharField(max_length=8, blank=True)
    buyer_product_name = models.CharField(max_length=200, blank=True)
    buyer_variant_label = models.CharField(max_length=200, blank=True)
    image = models.CharField(max_length=255, blank=True)
    unit_price_amount = models.DecimalField(max_digits=14, decimal_places=2)
    quantity = models.PositiveIntegerField()
    line_total_amount = models.DecimalField(max_digits=14, decimal_places=2)
    buyer_unit_price_amount = models.DecimalField(max_digits=14, decimal_places=2)
    buyer_line_total_amount = models.DecimalField(max_digits=14, decimal_places=2)
    # The commission rule and rate used, frozen so a later change of the rules does not
    # rewrite what a past order earned.
    commission_rule = models.CharField(max_length=160, blank=True)
    commission_percent = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    commission_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="line_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product_name_en}"

    @property
    def product_name(self) -> str:
        if self._in_buyer_language() and self.buyer_product_name:
            return self.buyer_product_name
        return localized(self, "product_name")

    def _in_buyer_language(self) -> bool:
        return bool(self.buyer_language) and (get_language() or "").lower() == self.buyer_language

    @property
    def buyer_unit_price(self) -> Money:
        return Money(self.buyer_unit_price_amount, self.seller_order.buyer_currency)

    @property
    def buyer_line_total(self) -> Money:
        return Money(self.buyer_line_total_amount, self.seller_order.buyer_currency)

    @property
    def variant_label(self) -> str:
        if self._in_buyer_language() and self.buyer_variant_label:
            return self.buyer_variant_label
        return localized(self, "variant_label")


class OrderEvent(models.Model):
    """Audit trail: one row per transition, never updated."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    seller_order = models.ForeignKey(
        SellerOrder, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        target = self.seller_order_id or self.order_id
        return f"{target}: {self.from_status or '-'} -> {self.to_status}"
