from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    name = "caravan.storefront"
    label = "storefront"
