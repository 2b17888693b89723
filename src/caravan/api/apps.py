from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "caravan.api"
    label = "api"
