from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "caravan.backoffice"
    label = "backoffice"
