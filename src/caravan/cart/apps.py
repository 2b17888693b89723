from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CartConfig(AppConfig):
    name = "caravan.cart"
    label = "cart"
    verbose_name = _("Cart")

    def ready(self) -> None:
        from caravan.kernel.events import subscribe
        from caravan.orders.events import OrderCancelled

        from .restore import on_order_cancelled

        subscribe(OrderCancelled, on_order_cancelled)
