from django.apps import AppConfig


class KernelConfig(AppConfig):
    name = "caravan.kernel"
    label = "kernel"
