from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShippingConfig(AppConfig):
    name = "caravan.shipping"
    label = "shipping"
    verbose_name = _("Shipping")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from caravan.kernel.events import subscribe
        from caravan.sellers.events import SellerStatusChanged

        from .holidays import on_holiday_changed
        from .models import NonWorkingDay
        from .subscribers import on_seller_status_changed

        subscribe(SellerStatusChanged, on_seller_status_changed)
        post_save.connect(on_holiday_changed, sender=NonWorkingDay, dispatch_uid="holiday_saved")
        post_delete.connect(
            on_holiday_changed, sender=NonWorkingDay, dispatch_uid="holiday_deleted"
        )
