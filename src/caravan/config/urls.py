from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.cache import cache_page
from django.views.generic import RedirectView
from django.views.static import serve

from caravan.api.api import api
from caravan.payments import views as payment_views
from caravan.storefront.sitemaps import SITEMAPS
from caravan.storefront.views.robots import robots_txt

admin.site.site_header = "Caravan back office"
admin.site.site_title = "Caravan"
admin.site.index_title = "Marketplace operations"


class FaviconRedirect(RedirectView):
    """To the icon's static URL, looked up per request: with hashed static file names the URL
    exists only once collectstatic has written the manifest, after this module is imported
    (every management command imports it)."""

    permanent = True

    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str:
        return static("caravan/favicon.svg")


# A sitemap lists every buyable product: built at most hourly, from the shared cache.
SITEMAP_CACHE_SECONDS = 3600

urlpatterns = [
    path("robots.txt", robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        cache_page(SITEMAP_CACHE_SECONDS)(sitemap_views.index),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cache_page(SITEMAP_CACHE_SECONDS)(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("favicon.ico", FaviconRedirect.as_view(), name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("payments/webhook/", payment_views.webhook, name="payment-webhook"),
    path("admin/", admin.site.urls),
    path("backoffice/", include("caravan.backoffice.urls")),
    path("api/v1/", api.urls),
    path("seller/", include("caravan.seller_portal.urls")),
    path("", include("caravan.storefront.urls")),
]

if settings.PAYMENT_PROVIDER == "sandbox":
    # The sandbox's hosted page exists only where the sandbox is the configured provider.
    urlpatterns.insert(6, path("sandbox/", include("caravan.payments.urls")))

if settings.SERVE_MEDIA:
    # Product images only; production puts an object store or the proxy in front of /media/.
    urlpatterns += [
        path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
