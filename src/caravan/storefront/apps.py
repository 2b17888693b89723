from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    name = "caravan.storefront"
    label = "storefront"

    def ready(self) -> None:
        from caravan.catalog.events import CatalogTextChanged
        from caravan.kernel.events import subscribe
        from caravan.search.events import ListingChanged

        from .page_cache import on_catalog_text_changed, on_listing_changed

        subscribe(ListingChanged, on_listing_changed)
        subscribe(CatalogTextChanged, on_catalog_text_changed)
