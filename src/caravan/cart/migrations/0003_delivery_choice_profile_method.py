"""A cart's delivery choice points at a shipping profile's method (ADR 0012): each choice of
a flat method moves to the method migrated from it; a choice with none is dropped (the cart
then offers the cheapest method, as it does for a seller not yet chosen)."""

from django.db import migrations, models
import django.db.models.deletion


def forwards(apps, schema_editor):
    CartDelivery = apps.get_model("cart", "CartDelivery")
    ProfileMethod = apps.get_model("shipping", "ProfileMethod")
    migrated = dict(
        ProfileMethod.objects.filter(legacy_method__isnull=False).values_list(
            "legacy_method_id", "id"
        )
    )
    for choice in CartDelivery.objects.all():
        target = migrated.get(choice.method_id)
        if target is None:
            choice.delete()
        else:
            choice.profile_method_id = target
            choice.save(update_fields=["profile_method"])


class Migration(migrations.Migration):
    dependencies = [
        ("cart", "0002_checkout_attempt"),
        ("shipping", "0003_flat_methods_into_profiles"),
    ]

    operations = [
        migrations.AddField(
            model_name="cartdelivery",
            name="profile_method",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="shipping.profilemethod",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RemoveField(model_name="cartdelivery", name="method"),
        migrations.RenameField(
            model_name="cartdelivery", old_name="profile_method", new_name="method"
        ),
        migrations.AlterField(
            model_name="cartdelivery",
            name="method",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="shipping.profilemethod",
            ),
        ),
    ]
