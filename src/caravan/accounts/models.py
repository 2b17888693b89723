from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caravan.kernel.countries import COUNTRY_CHOICES

from .user_cache import forget_users


class UserQuerySet(models.QuerySet["User"]):
    """Bulk writes make the users' cached copies stale too (accounts.user_cache)."""

    def update(self, **kwargs: Any) -> int:
        forget_users(self.values_list("pk", flat=True))
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        forget_users(self.values_list("pk", flat=True))
        return super().delete()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_queryset(self) -> UserQuerySet:
        return UserQuerySet(self.model, using=self._db)

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("operator staff"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    # The currency prices are shown and charged in; empty until the buyer picks one in the
    # header (then the marketplace currency applies). Checked against BUYER_CURRENCIES by
    # accounts.services.set_preferred_currency, not by choices: the list is a setting.
    preferred_currency = models.CharField(
        _("preferred currency"), max_length=3, blank=True, default=""
    )
    # The country the buyer lives in when no address says (delivery is quoted there); set
    # with the currency by storefront.session.choose_country. Empty: the marketplace's.
    preferred_country = models.CharField(
        _("preferred country"), max_length=2, choices=COUNTRY_CHOICES, blank=True, default=""
    )
    # The interface language, kept with the country and currency (storefront.preferences):
    # restored at sign-in on any device. Empty until chosen in the header.
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, blank=True, default=""
    )

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A new password or a deactivation must sign the user out on the next request.
        if self.pk is not None:
            forget_users([self.pk])
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        forget_users([self.pk])
        return super().delete(*args, **kwargs)


class Address(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="addresses")
    full_name = models.CharField(_("recipient"), max_length=150)
    # E.164 (+4930123456) when phone_parsed; an older phone that could not be parsed is kept
    # as it was typed, with phone_parsed false (accounts.address_rules).
    phone = models.CharField(_("phone"), max_length=32)
    phone_parsed = models.BooleanField(_("phone in E.164"), default=True)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRY_CHOICES)
    # The first-level division (state, province, oblast) as Google's address data keys it:
    # "CA", "广东省", "Москва"; empty where the country has none or the buyer left it out.
    region = models.CharField(_("region"), max_length=100, blank=True, default="")
    city = models.CharField(_("city"), max_length=100)
    city_area = models.CharField(_("district"), max_length=100, blank=True, default="")
    postal_code = models.CharField(_("postal code"), max_length=16)
    street = models.CharField(_("street, house, flat"), max_length=255)
    # accounts.addresses.address_key of the fields: one row per distinct address and user,
    # however it was typed (case, spaces, punctuation, the phone's formatting).
    key = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="address_once_per_user"),
        ]

    def __str__(self) -> str:
        return self.one_line()

    def one_line(self) -> str:
        return f"{self.full_name}, {self.street}, {self.city} {self.postal_code}, {self.country}"
