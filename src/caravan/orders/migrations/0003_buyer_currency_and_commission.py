"""Orders freeze their conversion into the buyer currency and their commission.

Orders placed before this were charged in each seller's own currency, at rate 1 and with no
margin or commission: the backfill says exactly that.
"""

from decimal import Decimal

import django.db.models.functions.math
from django.db import migrations, models

from caravan.kernel.money import CURRENCY_CHOICES


def backfill(apps, schema_editor):
    Order = apps.get_model("orders", "Order")
    SellerOrder = apps.get_model("orders", "SellerOrder")
    OrderLine = apps.get_model("orders", "OrderLine")
    SellerOrder.objects.update(
        buyer_currency=models.F("currency"),
        buyer_subtotal_amount=models.F("subtotal_amount"),
        buyer_delivery_amount=models.F("delivery_amount"),
        buyer_total_amount=models.F("total_amount"),
        fx_effective_rate=Decimal(1),
    )
    OrderLine.objects.update(
        buyer_unit_price_amount=models.F("unit_price_amount"),
        buyer_line_total_amount=models.F("line_total_amount"),
    )
    for order in Order.objects.all().iterator():
        seller_orders = list(SellerOrder.objects.filter(order=order).order_by("id"))
        if not seller_orders:
            continue
        order.buyer_currency = seller_orders[0].currency
        order.total_amount = sum(
            (item.total_amount for item in seller_orders if item.currency == order.buyer_currency),
            Decimal(0),
        )
        order.save(update_fields=["buyer_currency", "total_amount"])


def _decimal(**kwargs):
    return models.DecimalField(max_digits=14, decimal_places=2, **kwargs)


class Migration(migrations.Migration):
    dependencies = [("orders", "0002_seller_order_total_rounded")]

    operations = [
        migrations.AddField(
            "order",
            "buyer_currency",
            models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="RUB"),
            preserve_default=False,
        ),
        migrations.AddField("order", "total_amount", _decimal(default=0), preserve_default=False),
        migrations.AddField(
            "sellerorder",
            "buyer_currency",
            models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="RUB"),
            preserve_default=False,
        ),
        migrations.AddField(
            "sellerorder", "buyer_subtotal_amount", _decimal(default=0), preserve_default=False
        ),
        migrations.AddField(
            "sellerorder", "buyer_delivery_amount", _decimal(default=0), preserve_default=False
        ),
        migrations.AddField(
            "sellerorder", "buyer_total_amount", _decimal(default=0), preserve_default=False
        ),
        migrations.AddField(
            "sellerorder",
            "fx_rate",
            models.DecimalField(max_digits=30, decimal_places=18, default=1, help_text="mid rate"),
            preserve_default=False,
        ),
        migrations.AddField(
            "sellerorder", "fx_margin_bps", models.PositiveIntegerField(default=0)
        ),
        migrations.AddField(
            "sellerorder",
            "fx_effective_rate",
            models.DecimalField(max_digits=30, decimal_places=18, default=1),
            preserve_default=False,
        ),
        migrations.AddField(
            "sellerorder",
            "fx_source",
            models.CharField(max_length=40, default="identity"),
            preserve_default=False,
        ),
        migrations.AddField(
            "sellerorder", "fx_rate_as_of", models.DateTimeField(null=True, blank=True)
        ),
        migrations.AddField(
            "sellerorder",
            "fx_margin_amount",
            _decimal(default=0, help_text="in the buyer currency"),
            preserve_default=False,
        ),
        migrations.AddField(
            "sellerorder",
            "commission_amount",
            _decimal(default=0, help_text="in the seller currency"),
            preserve_default=False,
        ),
        migrations.AddField(
            "sellerorder",
            "protection_ends_at",
            models.DateTimeField(null=True, blank=True, db_index=True),
        ),
        migrations.AddField(
            "sellerorder", "escrow_released_at", models.DateTimeField(null=True, blank=True)
        ),
        migrations.AddField(
            "sellerorder", "cancel_reason", models.CharField(max_length=255, blank=True)
        ),
        migrations.AddField(
            "orderline", "buyer_unit_price_amount", _decimal(default=0), preserve_default=False
        ),
        migrations.AddField(
            "orderline", "buyer_line_total_amount", _decimal(default=0), preserve_default=False
        ),
        migrations.AddField(
            "orderline", "commission_rule", models.CharField(max_length=160, blank=True)
        ),
        migrations.AddField(
            "orderline",
            "commission_percent",
            models.DecimalField(max_digits=5, decimal_places=2, default=0),
        ),
        migrations.AddField(
            "orderline",
            "commission_amount",
            models.DecimalField(max_digits=14, decimal_places=2, default=0),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddConstraint(
            "sellerorder",
            models.CheckConstraint(
                condition=models.Q(
                    buyer_total_amount=django.db.models.functions.math.Round(
                        models.F("buyer_subtotal_amount") + models.F("buyer_delivery_amount"), 2
                    )
                ),
                name="seller_order_buyer_total_adds_up",
            ),
        ),
    ]
