from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "caravan.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from caravan.catalog.events import CatalogTextChanged, ProductsChanged
        from caravan.kernel.events import subscribe

        from .subscribers import on_products_changed
        from .suggest import forget_categories

        subscribe(ProductsChanged, on_products_changed)
        subscribe(CatalogTextChanged, forget_categories)
