"""One payment per attempt in one currency, with a state machine, refunds and anomalies.

Payments made before this keep their rows: their session id becomes the provider
reference; each gets a public id; a captured one is the payment that settled its order. The
sandbox's own sessions (throwaway demo records) keep their first amount.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import caravan.kernel.ids
from caravan.kernel.money import CURRENCY_CHOICES


def backfill(apps, schema_editor):
    Payment = apps.get_model("payments", "Payment")
    for payment in Payment.objects.all().iterator():
        payment.public_id = caravan.kernel.ids.public_id()
        if payment.status == "refund_required":
            payment.status = "captured"
        payment.settles_order = payment.status == "captured" and not Payment.objects.filter(
            order_id=payment.order_id, settles_order=True
        ).exists()
        payment.save(update_fields=["public_id", "status", "settles_order"])
    SandboxSession = apps.get_model("payments", "SandboxSession")
    for session in SandboxSession.objects.all().iterator():
        amount, currency = (session.amounts or [["0", "RUB"]])[0]
        session.amount, session.currency = amount, currency
        session.save(update_fields=["amount", "currency"])


def _money(**kwargs):
    return models.DecimalField(max_digits=14, decimal_places=2, **kwargs)


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0003_buyer_currency_and_commission"),
        ("payments", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint("payment", "payment_one_per_currency"),
        migrations.RenameField("payment", "session_reference", "provider_reference"),
        migrations.AlterField(
            "payment",
            "provider_reference",
            models.CharField(max_length=255, blank=True, db_index=True),
        ),
        migrations.AddField(
            "payment", "public_id", models.CharField(max_length=16, null=True, editable=False)
        ),
        migrations.AddField("payment", "redirect_url", models.CharField(max_length=500, blank=True)),
        migrations.AddField("payment", "refunded_amount", _money(default=0)),
        migrations.AddField("payment", "settles_order", models.BooleanField(default=False)),
        migrations.AddField("payment", "captured_at", models.DateTimeField(null=True, blank=True)),
        migrations.AlterField(
            "payment", "created_at", models.DateTimeField(auto_now_add=True, db_index=True)
        ),
        migrations.AddField(
            "sandboxsession",
            "idempotency_key",
            models.CharField(max_length=64, unique=True, null=True),
        ),
        migrations.AddField(
            "sandboxsession", "description", models.CharField(max_length=255, blank=True)
        ),
        migrations.AddField(
            "sandboxsession",
            "currency",
            models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="RUB"),
            preserve_default=False,
        ),
        migrations.AddField("sandboxsession", "amount", _money(default=0), preserve_default=False),
        migrations.AddField(
            "sandboxsession", "resolved_at", models.DateTimeField(null=True, blank=True)
        ),
        migrations.AlterField("providerevent", "event_id", models.CharField(max_length=200)),
        migrations.AlterField(
            "providerevent", "session_reference", models.CharField(max_length=255)
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RemoveField("sandboxsession", "amounts"),
        migrations.AlterField(
            "sandboxsession",
            "status",
            models.CharField(
                max_length=16,
                choices=[
                    ("open", "open"),
                    ("approved", "approved"),
                    ("declined", "declined"),
                    ("canceled", "canceled"),
                ],
                default="open",
            ),
        ),
        migrations.AlterField(
            "payment",
            "public_id",
            models.CharField(
                max_length=16, unique=True, default=caravan.kernel.ids.public_id, editable=False
            ),
        ),
        migrations.AlterField(
            "payment",
            "status",
            models.CharField(
                max_length=20,
                choices=[
                    ("pending", "pending"),
                    ("captured", "captured"),
                    ("partially_refunded", "partially refunded"),
                    ("refunded", "refunded"),
                    ("failed", "failed"),
                    ("expired", "expired"),
                    ("voided", "voided"),
                ],
                default="pending",
            ),
        ),
        migrations.AlterModelOptions(
            "payment",
            {
                "ordering": ["-created_at", "-id"],
                "verbose_name": "payment",
                "verbose_name_plural": "payments",
            },
        ),
        migrations.AddConstraint(
            "payment",
            models.UniqueConstraint(
                fields=["provider", "provider_reference"],
                condition=~models.Q(provider_reference=""),
                name="payment_reference_once",
            ),
        ),
        migrations.AddConstraint(
            "payment",
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(settles_order=True),
                name="payment_one_settles_order",
            ),
        ),
        migrations.AddConstraint(
            "payment",
            models.CheckConstraint(
                condition=models.Q(refunded_amount__gte=0)
                & models.Q(refunded_amount__lte=models.F("amount")),
                name="payment_refunds_within_amount",
            ),
        ),
        migrations.CreateModel(
            name="PaymentEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("from_status", models.CharField(max_length=20, blank=True)),
                ("to_status", models.CharField(max_length=20)),
                ("note", models.CharField(max_length=255, blank=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "payment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="payments.payment",
                    ),
                ),
            ],
            options={
                "verbose_name": "payment event",
                "verbose_name_plural": "payment events",
                "ordering": ["created_at", "id"],
            },
        ),
        migrations.CreateModel(
            name="Refund",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "public_id",
                    models.CharField(
                        max_length=16,
                        unique=True,
                        default=caravan.kernel.ids.public_id,
                        editable=False,
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        max_length=20,
                        choices=[
                            ("buyer_cancelled", "cancelled by the buyer"),
                            ("seller_cancelled", "cancelled by the seller"),
                            ("operator", "refund by the operator"),
                            ("duplicate_capture", "second payment for one order"),
                        ],
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        max_length=12,
                        choices=[
                            ("pending", "pending"),
                            ("succeeded", "succeeded"),
                            ("failed", "failed"),
                        ],
                        default="pending",
                    ),
                ),
                ("currency", models.CharField(max_length=3, choices=CURRENCY_CHOICES)),
                ("amount", _money()),
                (
                    "seller_currency",
                    models.CharField(max_length=3, choices=CURRENCY_CHOICES, blank=True),
                ),
                ("seller_amount", _money(default=0)),
                ("fx_margin_amount", _money(default=0)),
                ("commission_returned_amount", _money(default=0)),
                ("after_release", models.BooleanField(default=False)),
                (
                    "lines",
                    models.JSONField(
                        default=list, blank=True, help_text="[[order line id, quantity]]"
                    ),
                ),
                ("reason", models.CharField(max_length=255)),
                ("provider_reference", models.CharField(max_length=255, blank=True)),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                ("last_error", models.CharField(max_length=255, blank=True)),
                ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                ("completed_at", models.DateTimeField(null=True, blank=True)),
                (
                    "payment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="refunds",
                        to="payments.payment",
                    ),
                ),
                (
                    "seller_order",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="refunds",
                        to="orders.sellerorder",
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "refund",
                "verbose_name_plural": "refunds",
                "ordering": ["-created_at", "-id"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(amount__gt=0), name="refund_positive"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="PaymentAnomaly",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("provider", models.CharField(max_length=32)),
                (
                    "kind",
                    models.CharField(
                        max_length=24,
                        choices=[
                            ("amount_mismatch", "amount differs"),
                            ("unknown_payment", "payment unknown to Caravan"),
                            ("captured_not_paid", "captured there, no paid order here"),
                            ("paid_not_captured", "paid here, no capture there"),
                            ("refund_mismatch", "refund differs"),
                            ("refund_failed", "refund refused by the provider"),
                        ],
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        max_length=16,
                        choices=[
                            ("notification", "provider notification"),
                            ("reconciliation", "reconciliation"),
                            ("refund", "refund"),
                        ],
                    ),
                ),
                ("provider_reference", models.CharField(max_length=255, blank=True)),
                ("expected", models.CharField(max_length=64, blank=True)),
                ("observed", models.CharField(max_length=64, blank=True)),
                ("detail", models.CharField(max_length=255, blank=True)),
                ("fingerprint", models.CharField(max_length=200, unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("resolved_at", models.DateTimeField(null=True, blank=True)),
                (
                    "payment",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="anomalies",
                        to="payments.payment",
                    ),
                ),
            ],
            options={
                "verbose_name": "payment anomaly",
                "verbose_name_plural": "payment anomalies",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="SandboxRefund",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("reference", models.CharField(max_length=64, unique=True)),
                ("idempotency_key", models.CharField(max_length=64, unique=True)),
                ("currency", models.CharField(max_length=3, choices=CURRENCY_CHOICES)),
                ("amount", _money()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "session",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="refunds",
                        to="payments.sandboxsession",
                    ),
                ),
            ],
            options={"verbose_name": "sandbox refund", "verbose_name_plural": "sandbox refunds"},
        ),
    ]
