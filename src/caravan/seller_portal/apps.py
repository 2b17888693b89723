from django.apps import AppConfig


class SellerPortalConfig(AppConfig):
    name = "caravan.seller_portal"
    label = "seller_portal"
