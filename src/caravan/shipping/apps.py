from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShippingConfig(AppConfig):
    name = "caravan.shipping"
    label = "shipping"
    verbose_name = _("Shipping")

    def ready(self) -> None:
        from caravan.kernel.events import subscribe
        from caravan.sellers.events import SellerStatusChanged

        from .subscribers import on_seller_status_changed

        subscribe(SellerStatusChanged, on_seller_status_changed)
