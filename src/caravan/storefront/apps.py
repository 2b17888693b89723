from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    name = "caravan.storefront"
    label = "storefront"

    def ready(self) -> None:
        from caravan.kernel.events import subscribe
        from caravan.offers.events import CatalogChanged

        from .page_cache import on_catalog_changed

        subscribe(CatalogChanged, on_catalog_changed)
