from django.apps import AppConfig


class KernelConfig(AppConfig):
    name = "caravan.kernel"
    label = "kernel"

    def ready(self) -> None:
        # Sets Pillow's pixel limit for the whole process (kernel.uploads.MAX_IMAGE_PIXELS).
        from . import uploads  # noqa: F401
