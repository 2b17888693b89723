from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "caravan.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from caravan.kernel.events import subscribe
        from caravan.offers.events import CatalogChanged

        from .subscribers import on_catalog_changed

        subscribe(CatalogChanged, on_catalog_changed)
