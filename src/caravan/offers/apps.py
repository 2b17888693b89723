from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OffersConfig(AppConfig):
    name = "caravan.offers"
    label = "offers"
    verbose_name = _("Offers")

    def ready(self) -> None:
        from caravan.kernel.events import subscribe
        from caravan.sellers.events import SellerRenamed, SellerStatusChanged
        from caravan.shipping.events import ShippingMethodsChanged

        from .seller_events import (
            on_seller_renamed,
            on_seller_status_changed,
            on_shipping_methods_changed,
        )

        subscribe(SellerStatusChanged, on_seller_status_changed)
        subscribe(SellerRenamed, on_seller_renamed)
        subscribe(ShippingMethodsChanged, on_shipping_methods_changed)
