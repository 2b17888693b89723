from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    name = "caravan.storefront"
    label = "storefront"

    def ready(self) -> None:
        from caravan.kernel.events import subscribe
        from caravan.search.events import ListingChanged

        from .page_cache import on_catalog_changed

        # page_cache reads the two fields ListingChanged shares with the event it was typed for.
        subscribe(ListingChanged, on_catalog_changed)  # type: ignore[arg-type]
