from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.static import serve

from caravan.api.api import api
from caravan.payments import views as payment_views

admin.site.site_header = "Caravan back office"
admin.site.site_title = "Caravan"
admin.site.index_title = "Marketplace operations"

urlpatterns = [
    path("favicon.ico", RedirectView.as_view(url=static("caravan/favicon.svg"), permanent=True)),
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
    urlpatterns.insert(3, path("sandbox/", include("caravan.payments.urls")))

if settings.SERVE_MEDIA:
    # Product images only; production puts an object store or the proxy in front of /media/.
    urlpatterns += [
        path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
