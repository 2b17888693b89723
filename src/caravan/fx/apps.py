from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FxConfig(AppConfig):
    name = "caravan.fx"
    label = "fx"
    verbose_name = _("Exchange rates")
