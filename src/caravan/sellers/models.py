from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from caravan.kernel.countries import COUNTRY_CHOICES
from caravan.kernel.i18n import localized
from caravan.kernel.ids import public_id
from caravan.kernel.money import CURRENCY_CHOICES


class Seller(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        SUSPENDED = "suspended", _("suspended")
        CLOSED = "closed", _("closed")

    public_id = models.CharField(max_length=16, unique=True, default=public_id, editable=False)
    slug = models.SlugField(unique=True)
    name = models.CharField(_("trading name"), max_length=120)
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRY_CHOICES)
    currency = models.CharField(
        _("price currency"),
        max_length=3,
        choices=CURRENCY_CHOICES,
        help_text=_("Every offer and delivery option of this seller is priced in it."),
    )
    description_ru = models.TextField(_("description (ru)"), blank=True)
    description_en = models.TextField(_("description (en)"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("seller")
        verbose_name_plural = _("sellers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def description(self) -> str:
        return localized(self, "description")


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("owner")
        MANAGER = "manager", _("manager")
        CATALOG = "catalog", _("catalog")
        FULFILMENT = "fulfilment", _("fulfilment")
        FINANCE = "finance", _("finance")

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seller_memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("seller staff membership")
        verbose_name_plural = _("seller staff memberships")
        constraints = [
            models.UniqueConstraint(fields=["seller", "user"], name="membership_unique_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.seller} ({self.role})"
